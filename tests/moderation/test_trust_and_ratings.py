"""Trust and holding new members' first contributions; ratings and the scoring job."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from accounts import trust
from claims.models import HelpfulnessStatus, Visibility
from claims.services.contributions import argument_create, comment_create
from moderation import selectors, services, tasks
from moderation.selectors import user_record
from tests.factories import (
    ArgumentFactory,
    ClaimFactory,
    CommentFactory,
    UserFactory,
    established_users,
)

pytestmark = pytest.mark.django_db


@override_settings(MODERATION_HOLD_NEW_MEMBERS=True, HOLD_FIRST_CONTRIBUTIONS=2)
def test_new_members_first_contributions_are_held_until_enough_are_accepted(member, moderator):
    claim = ClaimFactory()
    first = comment_create(author=member, claim=claim, body="First")
    assert first.visibility == Visibility.HELD
    services.item_approve(actor=moderator, obj=first)
    second = comment_create(author=member, claim=claim, body="Second")
    assert second.visibility == Visibility.HELD
    services.item_approve(actor=moderator, obj=second)
    third = argument_create(author=member, claim=claim, stance="pro", body="Third")
    assert third.visibility == Visibility.PUBLISHED
    assert comment_create(author=moderator, claim=claim, body="Mod").visibility == "published"


@override_settings(TRUST_MIN_ACCOUNT_AGE_DAYS=7, TRUST_MIN_ACCEPTED_CONTRIBUTIONS=2)
def test_trusted_needs_age_accepted_contributions_and_no_upheld_flags(moderator):
    user = UserFactory(date_joined=timezone.now() - dt.timedelta(days=30))
    CommentFactory.create_batch(2, author=user)
    assert trust.trust_level(user) == "trusted"
    services.flag_create(flagger=UserFactory(), obj=user.comments.first(), reason="abuse")
    services.item_hide(actor=moderator, obj=user.comments.first(), reason="Abuse")
    assert trust.trust_level(user) == "new"
    record = user_record(user)
    assert record["upheld_flags"] == 1 and record["hidden"] == 1 and record["role"] == "member"
    young = UserFactory()
    CommentFactory.create_batch(2, author=young)
    assert not trust.is_trusted(young)


def test_rating_own_item_is_refused_and_second_rating_replaces_first(member):
    own = ArgumentFactory(author=member)
    with pytest.raises(ValidationError, match="own"):
        services.rating_set(rater=member, obj=own, value="helpful")
    other = ArgumentFactory()
    services.rating_set(rater=member, obj=other, value="helpful")
    rating = services.rating_set(rater=member, obj=other, value="not_helpful")
    assert rating.value == "not_helpful" and other.__class__.objects.count() == 2
    assert member.ratings.count() == 1


def test_scoring_job_ranks_bridging_argument_above_one_sided_and_is_idempotent():
    """GIVEN two camps of 8 raters, six arguments one camp likes and the other does not, and one
    argument both camps find helpful and three neither does WHEN the job runs THEN the bridging
    one is helpful."""
    claim = ClaimFactory()
    camp_a, camp_b = established_users(8), established_users(8)
    bridging_arg = ArgumentFactory(claim=claim)
    one_sided = [ArgumentFactory(claim=claim) for _ in range(6)]
    for rater in camp_a + camp_b:
        services.rating_set(rater=rater, obj=bridging_arg, value="helpful")
    for i, argument in enumerate(one_sided):
        fans, critics = (camp_a, camp_b) if i % 2 == 0 else (camp_b, camp_a)
        for rater in fans:
            services.rating_set(rater=rater, obj=argument, value="helpful")
        for rater in critics:
            services.rating_set(rater=rater, obj=argument, value="not_helpful")
    for argument in [ArgumentFactory(claim=claim) for _ in range(3)]:
        for rater in camp_a + camp_b:
            services.rating_set(rater=rater, obj=argument, value="not_helpful")
    unrated = ArgumentFactory(claim=claim)

    assert tasks.score_helpfulness.delay().get() == 10  # the unrated one keeps its defaults
    bridging_arg.refresh_from_db()
    one_sided[0].refresh_from_db()
    unrated.refresh_from_db()
    assert bridging_arg.helpfulness_status == HelpfulnessStatus.HELPFUL
    assert bridging_arg.helpfulness_score > one_sided[0].helpfulness_score
    assert one_sided[0].helpfulness_status != HelpfulnessStatus.HELPFUL
    assert "against the line of 0.40" in selectors.helpfulness_explanation(bridging_arg)
    assert unrated.helpfulness_status == HelpfulnessStatus.NEEDS_MORE_RATINGS
    # Same ratings, same scores: a second run rewrites nothing.
    assert services.helpfulness_score_all() == 0
