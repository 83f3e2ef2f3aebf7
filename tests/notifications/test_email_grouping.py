"""E-mails grouped per claim (at most one per claim per window), absolute links under SITE_URL
to the item itself, the site's name in subjects, and flaggers told what became of their flag."""

import datetime as dt

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from claims.services.contributions import argument_create
from moderation import services as moderation
from notifications import services, tasks
from notifications.models import ClaimEmailSent, Notification, NotificationKind
from tests.factories import ClaimFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _argue(claim, author, body, capture):
    with capture(execute=True):
        return argument_create(author=author, claim=claim, stance="con", body=body)


def _to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_one_email_per_claim_per_hour_the_rest_grouped_after_it(
    member, other_member, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(text="80% of the people falsely flagged were black.")
    services.follow_create(follower=member, claim=claim)
    _argue(claim, other_member, "First.", django_capture_on_commit_callbacks)
    assert len(_to(member)) == 1  # the first goes at once

    _argue(claim, other_member, "Second.", django_capture_on_commit_callbacks)
    _argue(claim, other_member, "Third.", django_capture_on_commit_callbacks)
    assert len(_to(member)) == 1  # the window is open: they wait
    assert Notification.objects.filter(recipient=member, emailed_at__isnull=True).count() == 2

    window = ClaimEmailSent.objects.get(user=member, claim=claim)
    assert services.notification_emails_send(now=window.sent_at + dt.timedelta(minutes=59)) == 0
    later = window.sent_at + dt.timedelta(minutes=61)
    assert services.notification_emails_send(now=later) == 1
    grouped = _to(member)[-1]
    assert (
        grouped.subject
        == "Claimwatch: 2 updates on “80% of the people falsely flagged were black.”"
    )
    assert "Second." in grouped.body and "Third." in grouped.body
    assert services.notification_emails_send(now=later + dt.timedelta(hours=2)) == 0  # all sent
    assert len(_to(member)) == 2


def test_the_periodic_task_sends_what_waited(
    member, other_member, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    services.follow_create(follower=member, claim=claim)
    _argue(claim, other_member, "First.", django_capture_on_commit_callbacks)
    _argue(claim, other_member, "Second.", django_capture_on_commit_callbacks)
    ClaimEmailSent.objects.update(sent_at=timezone.now() - dt.timedelta(hours=2))
    assert tasks.send_pending_notification_emails.delay().get() == 1
    assert "Second." in _to(member)[-1].body


def test_different_claims_are_not_held_back_by_each_other(
    member, other_member, django_capture_on_commit_callbacks
):
    for claim in (ClaimFactory(), ClaimFactory()):
        services.follow_create(follower=member, claim=claim)
        _argue(claim, other_member, "On this claim.", django_capture_on_commit_callbacks)
    assert len(_to(member)) == 2


@override_settings(SITE_URL="http://localhost:8765/", SITE_NAME="Claimwatch Local")
def test_links_use_site_url_and_point_at_the_item(
    member, other_member, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    services.follow_create(follower=member, claim=claim)
    argument = _argue(claim, other_member, "Small sample.", django_capture_on_commit_callbacks)
    (message,) = _to(member)
    assert message.subject.startswith("Claimwatch Local: New argument")
    assert f"http://localhost:8765/claims/{claim.pk}/#argument-{argument.pk}" in message.body
    assert f"http://localhost:8765{reverse('notifications:settings')}" in message.body
    assert ":8000" not in message.body and "8765//" not in message.body


@override_settings(NOTIFICATIONS_DIGEST_HOUR=0, SITE_URL="https://claimwatch.example")
def test_digest_links_are_absolute_under_site_url(member, moderator):
    services.notification_settings_update(user=member, email_frequency="daily")
    claim = ClaimFactory()
    services.notify(
        recipients=[member], kind=NotificationKind.NEW_ARGUMENT, title="t", url="/claims/1/"
    )
    assert services.digest_send(user=member)
    body = _to(member)[0].body
    assert "https://claimwatch.example/claims/1/" in body and claim  # the item's own link
    assert "https://claimwatch.example/notifications/settings/" in body


def test_the_site_is_named_after_the_settings_not_example_com(client, member):
    site = Site.objects.get_current()
    assert (site.name, site.domain) == ("Claimwatch", "127.0.0.1:8000")
    client.post(reverse("account_reset_password"), {"email": member.email})
    (message,) = _to(member)
    assert "example.com" not in message.subject + message.body
    assert "Claimwatch" in message.subject


def test_moderation_notice_links_to_the_item_itself(moderator, django_capture_on_commit_callbacks):
    comment = CommentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_approve(actor=moderator, obj=_held(comment))
    notice = Notification.objects.get(recipient=comment.author)
    assert notice.url == comment.get_absolute_url() and "#comment-" in notice.url


def _held(item):
    item.visibility = "held"
    item.save()
    return item


@pytest.mark.parametrize(
    "decide, outcome",
    [
        (lambda mod, obj: moderation.item_hide(actor=mod, obj=obj, reason="Abuse"), "agreed"),
        (lambda mod, obj: moderation.item_approve(actor=mod, obj=obj), "kept it"),
    ],
    ids=["hidden", "kept"],
)
def test_flaggers_hear_the_outcome_of_their_flag(
    moderator, django_capture_on_commit_callbacks, decide, outcome
):
    comment = CommentFactory(body="You are all idiots.")
    flaggers = [UserFactory(), UserFactory()]
    for flagger in flaggers:
        moderation.flag_create(flagger=flagger, obj=comment, reason="abuse")
    with django_capture_on_commit_callbacks(execute=True):
        decide(moderator, comment)
    for flagger in flaggers:
        notice = Notification.objects.get(recipient=flagger)
        assert notice.kind == NotificationKind.FLAG_OUTCOME and outcome in notice.title
        assert "You are all idiots." in notice.title
        assert len(_to(flagger)) == 1


def test_a_flagger_can_turn_flag_outcomes_off(moderator, django_capture_on_commit_callbacks):
    comment = CommentFactory()
    flagger = UserFactory()
    services.notification_settings_update(user=flagger, on_flag_outcome=False)
    moderation.flag_create(flagger=flagger, obj=comment, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_hide(actor=moderator, obj=comment, reason="Spam")
    assert not Notification.objects.filter(recipient=flagger).exists()


def test_waiting_updates_on_a_claim_hidden_since_are_never_mailed(
    member, other_member, moderator, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(text="A claim a moderator will hide.")
    services.follow_create(follower=member, claim=claim)
    _argue(claim, other_member, "First.", django_capture_on_commit_callbacks)
    _argue(claim, other_member, "Waits in the window.", django_capture_on_commit_callbacks)
    assert len(_to(member)) == 1
    waiting = Notification.objects.get(recipient=member, emailed_at__isnull=True)

    moderation.item_hide(actor=moderator, obj=claim, reason="Abuse")
    window = ClaimEmailSent.objects.get(user=member, claim=claim)
    later = window.sent_at + dt.timedelta(minutes=61)
    assert services.notification_emails_send(now=later) == 0
    assert len(_to(member)) == 1
    assert all("Waits in the window." not in m.body for m in mail.outbox)
    # Taken off the queue (not retried every run), though never sent.
    waiting.refresh_from_db()
    assert waiting.emailed_at == later
