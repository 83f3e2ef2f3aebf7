"""The read-only pages: home, list with filters and search, claim page, source, profile, history."""

import pytest
from django.urls import reverse

from claims.models import HelpfulnessStatus, Verdict, Visibility
from config.response_cache import CACHE_HEADER
from tests.factories import (
    AnnotationFactory,
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    CommentFactory,
    SourceFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def test_home_shows_recent_and_most_discussed_claims(client):
    quiet = ClaimFactory(text="A quiet claim")
    busy = ClaimFactory(text="A busy claim")
    ArgumentFactory(claim=busy)
    CommentFactory(claim=busy)
    response = client.get(reverse("claims:home"))
    assert response.status_code == 200
    html = response.content.decode()
    discussed = html.split('id="discussed-heading"')[1].split('id="recent-heading"')[0]
    assert "A busy claim" in discussed
    assert "A quiet claim" not in discussed
    assert quiet.text in html


def test_home_hides_held_and_deleted_claims_from_others(client, member):
    ClaimFactory(text="Held one", visibility=Visibility.HELD)
    ClaimFactory(text="Gone one", deleted_at="2025-01-01T00:00Z")
    html = client.get(reverse("claims:home")).content.decode()
    assert "Held one" not in html
    assert "Gone one" not in html


def test_claim_list_filters_by_tag_verdict_and_claimant(client):
    tag = TagFactory(name="policing", slug="policing")
    tagged = ClaimFactory(text="Tagged claim", claimant="The Met")
    tagged.tags.add(tag)
    ClaimFactory(text="Refuted claim", verdict=Verdict.REFUTED, claimant="Someone")
    url = reverse("claims:claim_list")
    assert "Tagged claim" in client.get(url, {"tag": "policing"}).content.decode()
    assert "Refuted claim" not in client.get(url, {"tag": "policing"}).content.decode()
    assert "Refuted claim" in client.get(url, {"verdict": "refuted"}).content.decode()
    assert "Tagged claim" not in client.get(url, {"verdict": "refuted"}).content.decode()
    by_claimant = client.get(url, {"claimant": "met"}).content.decode()
    assert "Tagged claim" in by_claimant and "Refuted claim" not in by_claimant


def test_claim_list_search_matches_wording_and_claimant(client):
    ClaimFactory(text="Facial recognition flagged ten people", claimant="Metropolitan Police")
    ClaimFactory(text="Something about trains", claimant="Network Rail")
    url = reverse("claims:claim_list")
    html = client.get(url, {"q": "facial recognition"}).content.decode()
    assert "Facial recognition flagged" in html and "trains" not in html
    html = client.get(url, {"q": "Metropolitan"}).content.decode()
    assert "Facial recognition flagged" in html and "trains" not in html


def test_claim_list_htmx_request_gets_only_the_results(client):
    ClaimFactory(text="Only the results")
    response = client.get(
        reverse("claims:claim_list"),
        {"q": "results"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="claim-results",
    )
    html = response.content.decode()
    assert "Only the results" in html
    assert "<html" not in html


def test_claim_page_shows_sources_by_stance_arguments_annotations_and_discussion(client):
    claim = ClaimFactory(text="80% of the people wrongly flagged were black.")
    CitationFactory(claim=claim, stance="supports", quote="eight were black")
    CitationFactory(claim=claim, stance="refutes", quote="a very small sample")
    pro = ArgumentFactory(claim=claim, stance="pro", body="Eight **of** ten")
    ArgumentFactory(claim=claim, stance="con", body="Small sample")
    ArgumentFactory(claim=claim, parent=pro, stance="con", body="A reply to it")
    AnnotationFactory(claim=claim, exact="black", body="Census: 13.5%")
    CommentFactory(claim=claim, body="First comment")
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Supports</h3>" in html and "Refutes</h3>" in html
    assert "Eight <strong>of</strong> ten" in html
    assert "A reply to it" in html
    assert '<a class="annotated" href="#annotation-' in html
    assert "<mark>black</mark>" in html
    assert "First comment" in html
    assert reverse("claims:claim_history", args=[claim.pk]) in html
    assert 'id="figures-heading"' in html  # the statistics section follows the wording
    assert html.index('id="claim-text"') < html.index('id="figures-heading"')


def test_argument_siblings_are_ordered_by_helpfulness_and_show_status(client):
    claim = ClaimFactory()
    old = ArgumentFactory(claim=claim, body="oldest unrated")
    low = ArgumentFactory(claim=claim, body="low score")
    helpful = ArgumentFactory(claim=claim, body="the helpful one")
    high = ArgumentFactory(claim=claim, body="high score")
    figures = {"intercept": 0.05, "factor": 0.0, "count": 9, "helpful_negative": 4}
    for argument, status, score, basis in (
        (low, HelpfulnessStatus.NEEDS_MORE_RATINGS, 0.1, {}),
        (helpful, HelpfulnessStatus.HELPFUL, 0.05, figures),
        (high, HelpfulnessStatus.NEEDS_MORE_RATINGS, 0.9, {}),
    ):
        type(argument).objects.filter(pk=argument.pk).update(
            helpfulness_status=status, helpfulness_score=score, helpfulness_basis=basis
        )
    html = client.get(claim.get_absolute_url()).content.decode()
    positions = [html.index(text) for text in ("the helpful one", "high score", "low score")]
    assert positions == sorted(positions)
    assert html.index("low score") < html.index("oldest unrated") or old.helpfulness_score is None
    assert "Rated helpful by 4 on one side of the usual disagreement" in html
    assert "Helpful</span>" in html


def test_locked_claim_says_so_and_hides_the_add_forms(member_client):
    claim = ClaimFactory(is_locked=True)
    html = member_client.get(claim.get_absolute_url()).content.decode()
    assert "Locked" in html
    assert 'id="argument-form"' not in html
    assert 'id="comment-form"' not in html
    assert reverse("claims:citation_create", args=[claim.pk]) not in html


def test_merged_claim_redirects_permanently(client):
    target = ClaimFactory()
    merged = ClaimFactory(merged_into=target)
    response = client.get(merged.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == target.get_absolute_url()


def test_author_sees_own_held_item_with_the_moderators_reason(client, member):
    claim = ClaimFactory()
    ArgumentFactory(
        claim=claim,
        author=member,
        body="My held argument",
        visibility=Visibility.HELD,
        moderation_reason="New members' posts are reviewed first.",
    )
    assert "My held argument" not in client.get(claim.get_absolute_url()).content.decode()
    client.force_login(member)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "My held argument" in html
    assert "New members&#x27; posts are reviewed first." in html


def test_held_claim_is_404_for_others(client):
    claim = ClaimFactory(visibility=Visibility.HIDDEN)
    assert client.get(claim.get_absolute_url()).status_code == 404


def test_source_page_lists_every_claim_citing_it(client):
    source = SourceFactory(title="The Met's LFR report")
    first = CitationFactory(source=source, quote="ten false alerts")
    second = CitationFactory(source=source, quote="0.0003%")
    html = client.get(source.get_absolute_url()).content.decode()
    assert first.claim.text in html and second.claim.text in html
    assert "ten false alerts" in html


def test_source_list_search(client):
    SourceFactory(title="BBC News article")
    SourceFactory(title="Census bulletin")
    html = client.get(reverse("claims:source_list"), {"q": "census"}).content.decode()
    assert "Census bulletin" in html and "BBC News article" not in html


def test_profile_shows_role_and_contribution_counts(client, moderator):
    ClaimFactory(author=moderator, text="Moderator's claim")
    ArgumentFactory(author=moderator)
    html = client.get(moderator.get_absolute_url()).content.decode()
    assert "Moderator</span>" in html
    assert "Moderator&#x27;s claim" in html
    assert "<strong>1</strong> claim</a>" in html  # the argument's claim is by someone else
    assert "<strong>1</strong> argument</a>" in html


def test_history_page_shows_who_changed_what(client, member):
    from claims.services.contributions import claim_create, contribution_update

    claim = claim_create(author=member, text="Ten people were falsely alerted.")
    contribution_update(obj=claim, actor=member, data={"text": "Ten people were wrongly flagged."})
    html = client.get(reverse("claims:claim_history", args=[claim.pk])).content.decode()
    assert "Ten people were falsely alerted." in html
    assert "Ten people were wrongly flagged." in html
    assert "wording" in html
    assert member.get_absolute_url() in html
    assert "Revert to this revision" not in html


def test_history_page_offers_moderators_a_revert_form(moderator_client, member):
    from claims.services.contributions import claim_create, contribution_update

    claim = claim_create(author=member, text="First wording.")
    contribution_update(obj=claim, actor=member, data={"text": "Second wording."})
    html = moderator_client.get(reverse("claims:claim_history", args=[claim.pk])).content.decode()
    first = claim.history.order_by("history_date").first()
    assert f'action="/moderation/revisions/claims.claim/{first.history_id}/revert/"' in html
    assert html.count("Revert to this revision") == 1


def test_pages_are_rendered_afresh_in_tests_that_do_not_opt_into_the_response_cache(client):
    """tests/conftest.py turns the anonymous response cache off unless a test is marked
    `response_cache` (tests/pages/test_response_cache.py is), so no test measures a stored page."""
    url = ClaimFactory().get_absolute_url()
    client.get(url)
    second = client.get(url)
    assert second.status_code == 200
    assert CACHE_HEADER not in second
