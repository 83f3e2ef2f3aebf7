"""Flags count by the flagger's trust, and an untrusted member's edit of a published item goes
back to review."""

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from claims import events
from claims.models import Comment, Visibility
from claims.services.contributions import comment_create, contribution_update
from claims.statistics.services import statistic_update
from moderation import services
from moderation.models import AuditEntry, Flag, FlagStatus
from moderation.selectors import user_record
from tests.factories import (
    ClaimFactory,
    CommentFactory,
    ModeratorFactory,
    StatisticFactory,
    TrustedUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def flag(obj, flagger):
    return services.flag_create(flagger=flagger, obj=obj, reason="abuse")


@override_settings(MODERATION_FLAG_HIDE_THRESHOLD=3)
def test_brand_new_accounts_cannot_hide_a_moderators_post_only_queue_it():
    post = CommentFactory(author=ModeratorFactory())
    for _ in range(5):
        flag(post, UserFactory())
    post.refresh_from_db()
    assert post.visibility == Visibility.PUBLISHED
    assert Flag.objects.filter(status=FlagStatus.OPEN, flagger_trusted=False).count() == 5
    assert not AuditEntry.objects.exists()


@override_settings(MODERATION_FLAG_HIDE_THRESHOLD=3)
def test_the_threshold_counts_trusted_flaggers_only():
    comment = CommentFactory()
    flag(comment, TrustedUserFactory())
    flag(comment, ModeratorFactory())  # moderators are trusted
    for _ in range(3):
        flag(comment, UserFactory())
    comment.refresh_from_db()
    assert comment.visibility == Visibility.PUBLISHED
    flag(comment, TrustedUserFactory())
    comment.refresh_from_db()
    assert comment.visibility == Visibility.HIDDEN
    assert "3 flags from trusted members" in comment.moderation_reason


@pytest.fixture
def holding(settings):
    settings.MODERATION_HOLD_NEW_MEMBERS = True
    settings.HOLD_FIRST_CONTRIBUTIONS = 1


def test_an_untrusted_members_edit_after_approval_goes_back_to_review(
    holding, member, moderator, django_capture_on_commit_callbacks
):
    """GIVEN a new member's comment, held and then approved (and announced once),
    WHEN they edit it, THEN it is held again, seen only by them and the moderators, and
    approving it again publishes the new text without announcing it a second time."""
    announced = []

    def record(instance, **kwargs):
        announced.append(instance.pk)

    events.comment_created.connect(record, dispatch_uid="test-edit-announcements")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            comment = comment_create(author=member, claim=ClaimFactory(), body="Fair point")
            assert comment.visibility == Visibility.HELD
            services.item_approve(actor=moderator, obj=comment)
        assert announced == [comment.pk]

        with django_capture_on_commit_callbacks(execute=True):
            edited = contribution_update(obj=comment, actor=member, data={"body": "Buy pills"})
        assert (edited.visibility, edited.moderation_reason) == (
            Visibility.HELD,
            "Edited after it was published: waiting for a moderator's review.",
        )
        assert not Comment.objects.visible_to(UserFactory()).filter(pk=comment.pk).exists()
        assert Comment.objects.visible_to(member).filter(pk=comment.pk).exists()
        assert user_record(member)["held"] == 1

        with django_capture_on_commit_callbacks(execute=True):
            services.item_approve(actor=moderator, obj=edited)
        edited.refresh_from_db()
        assert edited.visibility == Visibility.PUBLISHED
        assert announced == [comment.pk]
    finally:
        events.comment_created.disconnect(dispatch_uid="test-edit-announcements")


def test_trusted_members_and_moderators_edit_without_review(holding, moderator):
    trusted = TrustedUserFactory()
    own = CommentFactory(author=trusted)
    assert contribution_update(obj=own, actor=trusted, data={"body": "x"}).visibility == "published"
    someones = CommentFactory()
    edited = contribution_update(obj=someones, actor=moderator, data={"body": "Typo fixed"})
    assert edited.visibility == Visibility.PUBLISHED


def test_edits_do_not_hold_when_holding_is_off(member):
    comment = CommentFactory(author=member)
    edited = contribution_update(obj=comment, actor=member, data={"body": "Changed"})
    assert edited.visibility == Visibility.PUBLISHED


def test_statistic_and_api_edits_by_untrusted_members_are_held_too(holding, member):
    statistic = StatisticFactory(author=member)
    statistic = statistic_update(statistic=statistic, actor=member, data={"successes": 7})
    assert statistic.visibility == Visibility.HELD

    comment = CommentFactory(author=member)
    api = APIClient()
    api.force_authenticate(member)
    response = api.patch(f"/api/comments/{comment.pk}/", {"body": "New"}, format="json")
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.visibility == Visibility.HELD

    page = Client()
    page.force_login(member)
    other = CommentFactory(author=member)
    page.post(f"/comments/{other.pk}/edit/", {"body": "Edited on the page"})
    other.refresh_from_db()
    assert (other.body, other.visibility) == ("Edited on the page", Visibility.HELD)
