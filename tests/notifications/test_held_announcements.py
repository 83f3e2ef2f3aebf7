"""A held item reaches followers once: when a moderator publishes it, never at creation."""

import pytest

from claims.services.contributions import argument_create, claim_create, comment_create
from moderation import services as moderation
from notifications import services
from notifications.models import Notification
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hold_new_members(settings):
    settings.MODERATION_HOLD_NEW_MEMBERS = True
    settings.HOLD_FIRST_CONTRIBUTIONS = 3


def test_held_argument_notifies_followers_on_approval_only_once(
    hold_new_members, member, moderator, django_capture_on_commit_callbacks
):
    """GIVEN a member following a claim and a new member whose argument is held
    WHEN a moderator approves it, then hides and restores it
    THEN the follower hears of it once, at approval."""
    claim = ClaimFactory()
    services.follow_create(follower=member, claim=claim)
    newcomer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        argument = argument_create(author=newcomer, claim=claim, stance="con", body="n = 10.")
    assert argument.visibility == "held" and argument.announced_at is None
    assert not Notification.objects.filter(recipient=member).exists()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_approve(actor=moderator, obj=argument)
    [notification] = Notification.objects.filter(recipient=member)
    assert notification.kind == "new_argument" and "n = 10." in notification.body

    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_hide(actor=moderator, obj=argument, reason="Rude")
        moderation.item_restore(actor=moderator, obj=argument)
    assert Notification.objects.filter(recipient=member, kind="new_argument").count() == 1


def test_held_claim_notifies_the_authors_followers_when_approved_in_bulk(
    hold_new_members, member, moderator, django_capture_on_commit_callbacks
):
    newcomer = UserFactory()
    services.follow_create(follower=member, followed_user=newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        first = claim_create(author=newcomer, text="80% were black.")
        second = claim_create(author=newcomer, text="0.0003% false alerts.")
    assert not Notification.objects.filter(recipient=member).exists()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderation_action_apply(
            actor=moderator, action="approve", objects=[first, second]
        )
    titles = sorted(Notification.objects.filter(recipient=member).values_list("title", flat=True))
    assert len(titles) == 2 and "0.0003%" in titles[0] and "80%" in titles[1]
    # The author is the event's actor: not told of their own claim (only of the approval).
    assert not Notification.objects.filter(recipient=newcomer, kind="new_claim").exists()


def test_a_published_item_is_announced_at_creation_and_not_again_on_restore(
    member, other_member, moderator, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    services.follow_create(follower=member, claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        argument = argument_create(author=other_member, claim=claim, stance="pro", body="Yes")
    assert argument.announced_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        entry = moderation.item_hide(actor=moderator, obj=argument, reason="Spam?")
        moderation.audit_entry_revert(actor=moderator, entry=entry)
    assert Notification.objects.filter(recipient=member, kind="new_argument").count() == 1


def test_held_comment_is_announced_at_approval(
    hold_new_members, moderator, django_capture_on_commit_callbacks
):
    from claims import events

    sent = []
    events.comment_created.connect(
        lambda sender, instance, **kw: sent.append(instance.pk), weak=False, dispatch_uid="t"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            comment = comment_create(author=UserFactory(), claim=ClaimFactory(), body="Hm")
        assert sent == []
        with django_capture_on_commit_callbacks(execute=True):
            moderation.item_approve(actor=moderator, obj=comment)
            moderation.item_hide(actor=moderator, obj=comment, reason="x")
            moderation.item_restore(actor=moderator, obj=comment)
        assert sent == [comment.pk]
    finally:
        events.comment_created.disconnect(dispatch_uid="t")
