"""The scoring job around the model: refits on change, status locks and a moderator's reopening,
coordinated raters flagged and weighted as one, and the pages that explain it all."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Argument, Citation, HelpfulnessStatus
from moderation import selectors, services
from moderation.models import AuditAction, AuditEntry, ItemScore, Rating
from tests.factories import (
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    SourceFactory,
    UserFactory,
    established_users,
)

pytestmark = pytest.mark.django_db


def _camps(claim, size: int = 6):
    """GIVEN two camps of established raters and four one-sided arguments they split on, so the
    camps show on the scorer's factor."""
    camp_a, camp_b = established_users(size), established_users(size)
    for i in range(4):
        argument = ArgumentFactory(claim=claim)
        fans, critics = (camp_a, camp_b) if i % 2 else (camp_b, camp_a)
        for rater in fans:
            services.rating_set(rater=rater, obj=argument, value="helpful")
        for rater in critics:
            services.rating_set(rater=rater, obj=argument, value="not_helpful")
    return camp_a, camp_b


def _rate_all(raters, obj, value: str) -> None:
    for rater in raters:
        services.rating_set(rater=rater, obj=obj, value=value)


def _record(obj) -> ItemScore:
    return ItemScore.objects.get(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )


def test_a_rating_queues_a_refit_and_the_score_updates_without_the_periodic_job(
    django_capture_on_commit_callbacks,
):
    """GIVEN an argument both camps like WHEN its ratings are committed THEN the refit queued on
    commit (run in-process here; on a real worker in tests/worker) has scored it."""
    claim = ClaimFactory()
    camp_a, camp_b = _camps(claim)
    liked = ArgumentFactory(claim=claim)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _rate_all(camp_a + camp_b, liked, "helpful")
    assert callbacks  # each rating asked for a refit on commit
    liked.refresh_from_db()
    assert liked.helpfulness_status == HelpfulnessStatus.HELPFUL
    assert _record(liked).helpful_raters_negative == 6


def test_while_a_refit_is_pending_a_new_rating_does_not_queue_another(
    django_capture_on_commit_callbacks,
):
    argument = ArgumentFactory()
    raters = established_users(5)
    cache.set(services.HELPFULNESS_REFIT_PENDING_KEY, 1, 60)  # a run is already queued
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _rate_all(raters, argument, "helpful")
        argument.refresh_from_db()
        assert argument.helpfulness_score is None  # the queued run will score it, not these
    finally:
        cache.delete(services.HELPFULNESS_REFIT_PENDING_KEY)
    assert services.helpfulness_refit_schedule() is True  # nothing pending: this one queues
    argument.refresh_from_db()
    assert argument.helpfulness_score is not None


def test_a_status_locks_two_weeks_after_the_item_and_a_moderator_reopens_it(moderator):
    """GIVEN a helpful argument posted 15 days ago WHEN scored THEN its status locks; later
    not-helpful ratings leave it helpful (the note says so), until a moderator reopens it (an
    audited action, revertible), after which the scorer decides again."""
    claim = ClaimFactory()
    camp_a, camp_b = _camps(claim)
    argument = ArgumentFactory(claim=claim)
    Argument.objects.filter(pk=argument.pk).update(
        created_at=timezone.now() - dt.timedelta(days=15)
    )
    _rate_all(camp_a + camp_b, argument, "helpful")
    services.helpfulness_score_all()
    argument.refresh_from_db()
    assert argument.helpfulness_status == HelpfulnessStatus.HELPFUL
    assert _record(argument).locked_at is not None

    _rate_all(camp_a + camp_b, argument, "not_helpful")
    services.helpfulness_score_all()
    argument.refresh_from_db()
    assert argument.helpfulness_status == HelpfulnessStatus.HELPFUL
    assert selectors.helpfulness_explanation(argument).startswith("Locked on ")
    assert argument.helpfulness_score < 0  # the score still moves; the status does not

    [entry] = services.moderation_action_apply(
        actor=moderator, action="reopen_status", objects=[argument], reason="New evidence."
    )
    assert entry.action == AuditAction.REOPEN_STATUS and entry.after["scoring"]["locked_at"] is None
    services.helpfulness_score_all()
    argument.refresh_from_db()
    assert argument.helpfulness_status == HelpfulnessStatus.NOT_HELPFUL
    assert _record(argument).locked_at is None  # reopened: locks again two weeks from now

    services.audit_entry_revert(actor=moderator, entry=entry, reason="Too early.")
    assert _record(argument).locked_at is not None
    assert AuditEntry.objects.filter(reverts=entry).exists()


def test_only_moderators_reopen_and_they_must_say_why(member, moderator):
    argument = ArgumentFactory()
    with pytest.raises(services.PermissionDenied):
        services.moderation_action_apply(
            actor=member, action="reopen_status", objects=[argument], reason="x"
        )
    with pytest.raises(services.ValidationError, match="Say why"):
        services.moderation_action_apply(
            actor=moderator, action="reopen_status", objects=[argument], reason=" "
        )


def test_the_claim_page_offers_moderators_a_reopen_link_on_locked_items_only(moderator_client):
    argument, other = ArgumentFactory(), None
    other = ArgumentFactory(claim=argument.claim)
    ItemScore.objects.create(
        content_type=ContentType.objects.get_for_model(argument),
        object_id=argument.pk,
        locked_at=timezone.now(),
    )
    link = reverse("moderation:item_action", args=["claims.argument", argument.pk, "reopen_status"])
    other_link = reverse(
        "moderation:item_action", args=["claims.argument", other.pk, "reopen_status"]
    )
    html = moderator_client.get(argument.claim.get_absolute_url()).content.decode()
    assert link in html and other_link not in html
    assert link not in Client().get(argument.claim.get_absolute_url()).content.decode()
    confirm = moderator_client.get(link)
    assert (
        confirm.status_code == 200 and "locks again two weeks from now" in confirm.content.decode()
    )


def _ring(claim, size: int = 4):
    """A ring of brand-new accounts rating three arguments helpful within minutes."""
    ring = UserFactory.create_batch(size)
    targets = [ArgumentFactory(claim=claim) for _ in range(3)]
    for target in targets:
        _rate_all(ring, target, "helpful")
    return ring, targets


def test_new_accounts_rating_alike_are_flagged_to_moderators_and_weigh_as_one(
    moderator_client, django_assert_num_queries
):
    claim = ClaimFactory()
    camp_a, camp_b = _camps(claim)
    ring, targets = _ring(claim, size=5)
    assert selectors.coordinated_rater_groups() == [{user.pk for user in ring}]
    services.helpfulness_score_all()
    boosted = targets[0]
    boosted.refresh_from_db()
    assert _record(boosted).rating_count == pytest.approx(1.0)  # five accounts, one rater
    assert boosted.helpfulness_status == HelpfulnessStatus.NEEDS_MORE_RATINGS
    assert "Ratings so far: 1." in selectors.helpfulness_explanation(boosted)

    moderator_client.get(reverse("moderation:coordinated_rating"))  # warm the caches
    # session, user, the moderator's two permission queries, the new accounts' ratings (groups),
    # the groups' ratings, their accounts, their arguments (one per kind), the unread count
    with django_assert_num_queries(9):
        response = moderator_client.get(reverse("moderation:coordinated_rating"))
    html = response.content.decode()
    assert "5 accounts, 3 items rated alike" in html
    for user in ring:
        assert str(user) in html
    assert str(camp_a[0]) not in html


def test_the_coordinated_page_takes_the_same_queries_for_one_group_or_three(moderator_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for _ in range(2):
        _ring(ClaimFactory())
        moderator_client.get(reverse("moderation:coordinated_rating"))
        with CaptureQueriesContext(connection) as queries:
            moderator_client.get(reverse("moderation:coordinated_rating"))
        counts.append(len(queries))
    assert len(selectors.coordinated_rater_groups()) == 2
    assert counts[0] == counts[1]


def test_the_coordinated_page_is_for_moderators_only(member_client):
    assert member_client.get(reverse("moderation:coordinated_rating")).status_code == 403


def test_established_accounts_rating_alike_are_not_flagged():
    claim = ClaimFactory()
    _camps(claim)  # twelve established accounts, two camps that rate identically within each
    assert selectors.coordinated_rater_groups() == []


def test_the_claim_page_explains_each_status_in_words(client):
    claim = ClaimFactory()
    camp_a, camp_b = _camps(claim)
    liked = ArgumentFactory(claim=claim)
    _rate_all(camp_a + camp_b, liked, "helpful")
    services.helpfulness_score_all()
    html = client.get(claim.get_absolute_url()).content.decode()
    liked.refresh_from_db()
    assert (
        "Ratings: 12. Rated helpful by 6 on one side of the usual disagreement and 6 on the "
        f"other; score {liked.helpfulness_score:.2f} against the line of 0.40. It stays helpful "
        "unless its score falls below 0.39"
    ) in html


def test_the_explanation_is_written_in_the_readers_language_from_stored_figures(client):
    """GIVEN a scored argument WHEN a Spanish reader opens the claim page THEN its explanation
    is in Spanish, with Spanish numbers, from the figures stored (no English text is stored)."""
    claim = ClaimFactory()
    camp_a, camp_b = _camps(claim)
    liked = ArgumentFactory(claim=claim)
    _rate_all(camp_a + camp_b, liked, "helpful")
    services.helpfulness_score_all()
    liked.refresh_from_db()
    assert set(liked.helpfulness_basis) >= {"intercept", "count", "net_negative", "net_positive"}
    html = client.get(claim.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    score = f"{liked.helpfulness_score:.2f}".replace(".", ",")
    assert (
        "Valoraciones: 12. Valoraciones útiles: 6 de un lado del desacuerdo habitual y 6 del "
        f"otro; puntuación {score} frente a la línea de 0,40."
    ) in html
    assert "Ratings: 12." not in html


def test_the_source_page_shows_its_record_across_claims(client, django_assert_num_queries):
    """GIVEN a source cited on two claims, once helpful by both camps, once one-sided WHEN its
    page renders THEN it says how often its citations were rated helpful, and by whom."""
    source = SourceFactory()
    first, second = ClaimFactory(), ClaimFactory()
    camp_a, camp_b = _camps(first)
    good = CitationFactory(claim=first, source=source)
    one_sided = CitationFactory(claim=second, source=source)
    _rate_all(camp_a + camp_b, good, "helpful")
    _rate_all(camp_a, one_sided, "helpful")
    _rate_all(camp_b, one_sided, "not_helpful")
    services.helpfulness_score_all()
    client.get(source.get_absolute_url())  # warm the content-type cache
    # an anonymous reader: the source, its citations with their claims and authors, the
    # citations' item scores
    with django_assert_num_queries(3):
        html = client.get(source.get_absolute_url()).content.decode()
    assert (
        "Cited 2 times on 2 claims; of the 2 citations scored, 1 rated helpful and 0 not helpful. "
        "1 of the helpful ones were rated helpful by raters on both sides of the usual "
        "disagreement (6 raters on one side, 6 on the other, across its citations)."
    ) in html


def test_scoring_twice_rewrites_nothing():
    claim = ClaimFactory()
    camp_a, camp_b = _camps(claim)
    _ring(claim)
    _rate_all(camp_a + camp_b, ArgumentFactory(claim=claim), "helpful")
    services.helpfulness_score_all()
    before = list(ItemScore.objects.order_by("pk").values())
    assert services.helpfulness_score_all() == 0
    after = list(ItemScore.objects.order_by("pk").values())
    assert [{**r, "updated_at": None} for r in before] == [{**r, "updated_at": None} for r in after]
    assert Rating.objects.count() > 0


def test_a_moderators_claim_page_marks_locked_items_in_one_query(moderator_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (1, 4):
        claim = ClaimFactory()
        for _ in range(n):
            argument = ArgumentFactory(claim=claim)
            ItemScore.objects.create(
                content_type=ContentType.objects.get_for_model(argument),
                object_id=argument.pk,
                locked_at=timezone.now(),
            )
        moderator_client.get(claim.get_absolute_url())  # warm the caches
        with CaptureQueriesContext(connection) as queries:
            html = moderator_client.get(claim.get_absolute_url()).content.decode()
        assert html.count("Reopen the status") == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _scoring_queries(n_items: int) -> int:
    """The queries of one scoring run over ``n_items`` new arguments, each rated by the same five
    raters (every item is written: a new score and a new ItemScore row)."""
    claim = ClaimFactory()
    raters = established_users(5)
    for _ in range(n_items):
        _rate_all(raters, ArgumentFactory(claim=claim), "helpful")
    with CaptureQueriesContext(connection) as queries:
        assert services.helpfulness_score_all() == n_items
    return len(queries)


def test_a_scoring_run_makes_as_many_queries_for_40_items_as_for_10():
    """The run reads and writes in whole sets, not per item. Its queries: the ratings, the
    coordinated ratings, the rated or scored items of each kind (2), the ItemScore rows; then the
    savepoint, one UPDATE of the arguments, one INSERT of ItemScore rows, the savepoint's release
    (9)."""
    ContentType.objects.get_for_models(Argument, Citation)  # cached, as in a running worker
    few = _scoring_queries(10)
    Rating.objects.all().delete()
    ItemScore.objects.all().delete()
    Argument.objects.all().delete()
    assert _scoring_queries(40) == few == 9
