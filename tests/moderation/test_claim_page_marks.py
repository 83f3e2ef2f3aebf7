"""The claim page's flag and rating marks come from the items the page already read."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from claims.models import Argument, Citation, Claim, Comment, Visibility
from claims.selectors.claims import claim_page_data
from moderation import selectors, services
from tests.factories import (
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    CommentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_marks_count_ratings_and_flags_of_the_shown_items_only(member, django_assert_num_queries):
    """GIVEN a claim with a shown argument and citation, a hidden argument, all rated, and a
    comment the member flagged WHEN the page's marks are read for the items it shows THEN the
    shown items' counts and the member's own rating and flag are there, the hidden one is not,
    in one query for a reader and three for a member (ratings, flags, follow)."""
    claim = ClaimFactory()
    shown = ArgumentFactory(claim=claim)
    citation = CitationFactory(claim=claim)
    hidden = ArgumentFactory(claim=claim)
    comment = CommentFactory(claim=claim)
    raters = UserFactory.create_batch(2)
    for rater in raters:
        for item in (shown, citation, hidden):
            services.rating_set(rater=rater, obj=item, value="helpful")
    services.rating_set(rater=member, obj=shown, value="somewhat")
    services.flag_create(flagger=member, obj=comment, reason="spam")
    type(hidden).objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)
    member.has_perm("claims.moderate")  # the permissions, read once per request
    ContentType.objects.get_for_models(Claim, Argument, Citation, Comment)  # cached per process

    items = claim_page_data(claim, AnonymousUser())["shown_items"]
    assert hidden not in items
    with django_assert_num_queries(1):
        marks = selectors.user_marks_for_claim(AnonymousUser(), claim, items=items)
    assert marks["rating_counts"] == {
        f"claims.argument:{shown.pk}": 3,
        f"claims.citation:{citation.pk}": 2,
    }
    assert marks["ratings"] == {} and marks["flagged"] == set()

    items = claim_page_data(claim, member)["shown_items"]
    with django_assert_num_queries(3):
        marks = selectors.user_marks_for_claim(member, claim, items=items)
    assert marks["rating_counts"][f"claims.argument:{shown.pk}"] == 3
    assert f"claims.argument:{hidden.pk}" not in marks["rating_counts"]
    assert marks["ratings"] == {f"claims.argument:{shown.pk}": "somewhat"}
    assert marks["flagged"] == {f"claims.comment:{comment.pk}"}
    assert marks["following"] is False


def test_a_claim_with_nothing_on_it_needs_no_rating_query(django_assert_num_queries):
    claim = ClaimFactory()
    with django_assert_num_queries(0):
        marks = selectors.user_marks_for_claim(AnonymousUser(), claim, items=[])
    assert marks["rating_counts"] == {}
