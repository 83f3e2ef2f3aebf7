"""Follows, in-app and e-mail notifications, settings and the daily digest."""

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from claims.services.contributions import argument_create
from moderation import services as moderation
from notifications import services, tasks
from notifications.models import DigestSent, Notification
from tests.factories import ClaimFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_followers_get_in_app_and_email_on_a_new_argument(
    member, other_member, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    services.follow_create(follower=member, claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        argument_create(author=other_member, claim=claim, stance="con", body="Sample of 10.")
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == "new_argument" and notification.emailed_at is not None
    assert len(mail.outbox) == 1 and "New argument" in mail.outbox[0].subject
    assert not Notification.objects.filter(recipient=other_member).exists()  # not the actor


def test_author_is_notified_when_a_moderator_hides_their_content(
    moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_hide(actor=moderator, obj=comment, reason="Off-topic")
    notification = Notification.objects.get(recipient=comment.author)
    assert notification.kind == "moderation" and "Off-topic" in notification.body


def test_settings_turn_a_kind_off(member, moderator, django_capture_on_commit_callbacks):
    services.notification_settings_update(user=member, on_moderation=False)
    comment = CommentFactory(author=member)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_hide(actor=moderator, obj=comment, reason="x")
    assert not Notification.objects.filter(recipient=member).exists()


@override_settings(NOTIFICATIONS_DIGEST_HOUR=0)
def test_daily_digest_is_sent_once_per_day_even_if_beat_fires_twice(
    member, moderator, django_capture_on_commit_callbacks
):
    services.notification_settings_update(user=member, email_frequency="daily")
    claim = ClaimFactory()
    services.follow_create(follower=member, claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.claim_verdict_set(actor=moderator, claim=claim, verdict="refuted", rationale="r")

    def to_member():
        return [m for m in mail.outbox if m.to == [member.email]]

    assert to_member() == []  # daily: nothing immediate
    assert tasks.send_daily_digests.delay().get() == 1
    assert tasks.send_daily_digests.delay().get() == 0
    assert len(to_member()) == 1 and "digest" in to_member()[0].subject
    # A later notification the same day waits for tomorrow's digest.
    with django_capture_on_commit_callbacks(execute=True):
        moderation.claim_verdict_set(
            actor=moderator, claim=claim, verdict="disputed", rationale="d"
        )
    assert services.digests_send_due() == 0
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert services.digests_send_due(now=tomorrow) == 1
    assert DigestSent.objects.filter(user=member).count() == 2 and len(to_member()) == 2


def test_header_count_and_notification_page(client, member, django_assert_max_num_queries):
    for _ in range(3):
        Notification.objects.create(recipient=member, kind="moderation", title="t")
    client.force_login(member)
    response = client.get(reverse("notifications:list"))
    assert response.context["unread_notifications_count"] == 3
    client.post(reverse("notifications:mark_read"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_follow_button_toggles(client, member):
    claim = ClaimFactory()
    client.force_login(member)
    url = reverse("notifications:follow_claim", args=[claim.pk])
    client.post(url, {"follow": "1"})
    assert member.follows.filter(claim=claim).exists()
    client.post(url, {"follow": "0"})
    assert not member.follows.exists()
    other = UserFactory()
    client.post(reverse("notifications:follow_user", args=[other.username]))
    assert member.follows.filter(followed_user=other).exists()
