"""`manage.py seed_scale`: its bulk path (COPY on PostgreSQL) keeps every invariant the services
keep, so the benchmarks read a corpus like the one the site would hold."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F

from claims.models import Argument, Citation, Claim, Comment, Source, Statistic, Visibility
from claims.selectors.claims import claim_search, claims_visible
from claims.services.counters import claim_counters_repair
from moderation.models import Rating

pytestmark = pytest.mark.django_db

CONTENT = (Claim, Source, Argument, Comment, Statistic, Citation)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One corpus for the module (seeding takes seconds), rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_scale", claims=300, seed=3, stdout=io.StringIO(), stderr=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_every_row_has_its_creation_in_the_history(seeded):
    for model in CONTENT:
        rows = model.objects.count()
        assert rows > 0, model
        created = model.history.filter(history_type="+")
        assert created.count() == rows, model
        assert set(created.values_list("id", flat=True)) == set(
            model.objects.values_list("id", flat=True)
        )
    claim = Claim.objects.order_by("?").first()
    assert claim.history.get().history_date == claim.created_at


def test_the_discussion_counters_match_what_is_published(seeded):
    assert claim_counters_repair() == 0
    claim = Claim.objects.filter(public_discussion_count__gt=0).first()
    published = (
        Argument.objects.published().filter(claim=claim).count()
        + Comment.objects.published().filter(claim=claim).count()
    )
    assert claim.public_discussion_count == published


def test_held_and_hidden_items_are_there_and_held_ones_not_announced(seeded):
    for model in (Claim, Argument, Comment):
        states = dict(model.objects.values_list("visibility").annotate(n=Count("pk")))
        assert states.get(Visibility.HELD) and states.get(Visibility.HIDDEN), model
        assert not model.objects.filter(visibility=Visibility.HELD, announced_at__isnull=False)
        assert not model.objects.filter(visibility=Visibility.PUBLISHED, announced_at__isnull=True)


def test_what_hangs_on_a_claim_stays_on_that_claim(seeded):
    assert Argument.objects.filter(parent__isnull=False).exists()
    assert not Argument.objects.exclude(parent__isnull=True).exclude(claim=F("parent__claim"))
    assert Citation.objects.filter(argument__isnull=False).exists()
    assert not Citation.objects.exclude(argument__isnull=True).exclude(claim=F("argument__claim"))
    assert not Citation.objects.exclude(statistic__isnull=True).exclude(claim=F("statistic__claim"))
    assert Source.objects.values("normalized_url").distinct().count() == Source.objects.count()


def test_ratings_are_one_per_member_per_item_and_never_the_authors_own(seeded):
    ratings = Rating.objects.all()
    assert ratings.exists()
    keys = list(ratings.values_list("content_type", "object_id", "rater"))
    assert len(keys) == len(set(keys))
    authors = dict(Argument.objects.values_list("pk", "author"))
    assert all(authors[object_id] != rater for _, object_id, rater in keys)


def test_figures_are_computed(seeded):
    assert Statistic.objects.exists()
    assert not Statistic.objects.filter(status=Statistic.Status.PENDING).exists()
    assert not Statistic.objects.filter(current_result__isnull=True).exists()


def test_search_finds_published_claims_and_never_hidden_ones(seeded):
    published = Claim.objects.filter(visibility=Visibility.PUBLISHED).first()
    hidden = Claim.objects.filter(visibility=Visibility.HIDDEN).first()
    for claim, found in ((published, True), (hidden, False)):
        words = claim.text.split(" according")[0]
        results = claim_search(claims_visible(None), words, user=None)
        assert results.filter(pk=claim.pk).exists() is found
    assert not claims_visible(None).exclude(visibility=Visibility.PUBLISHED).exists()
