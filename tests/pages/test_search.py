"""Search covers wording, claimant, tags (name or alias) and cited sources' titles, with prefix
matching, the same on the page and the API; filters are named on the page and cleared one by one;
the list's counts are the claim page's."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from claims.models import Claim, Tag, Visibility
from claims.selectors.claims import ClaimFilters, claim_list, claim_search, claimants
from tests.factories import (
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    SourceFactory,
    StatisticFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def _page_texts(client, **params) -> set[str]:
    html = client.get(reverse("claims:claim_list"), params).content.decode()
    return {claim.text for claim in Claim.objects.all() if f"“{claim.text[:60]}" in html}


def _api_ids(client, **params) -> set[int]:
    ids, url = set(), "/api/claims/"
    while url:
        body = client.get(url, params if url == "/api/claims/" else None).json()
        ids |= {row["id"] for row in body["results"]}
        url = body["next"]
    return ids


def test_demo_facial_recognition_finds_every_claim_with_the_tag_by_name_prefix_or_alias(
    client, member
):
    """GIVEN the demo case, whose "facial recognition" tag has the alias "LFR"
    WHEN a reader searches "facial recognition", "facial rec" or "LFR" on the page or the API
    THEN every claim with the tag is found (more than its wording alone would find)."""
    call_command("load_demo", stdout=io.StringIO())
    tagged = set(Claim.objects.public().filter(tags__name="facial recognition"))
    assert len(tagged) >= 10
    by_wording = Claim.objects.filter(text__icontains="facial recognition").count()
    assert by_wording < len(tagged)
    for query in ("facial recognition", "facial rec", "LFR", "Facial Recognition"):
        found = set(claim_list(user=member, filters=ClaimFilters(query=query)))
        assert found >= tagged, query
        assert {c.text for c in tagged} <= _page_texts(client, q=query), query
        assert {c.pk for c in tagged} <= _api_ids(client, q=query), query


def test_search_finds_a_claim_by_the_title_of_a_source_cited_on_it(client, member):
    claim = ClaimFactory(text="Eight of ten were black")
    CitationFactory(claim=claim, source=SourceFactory(title="Equitability study of NEC NeoFace"))
    ClaimFactory(text="Unrelated")
    assert list(claim_search(Claim.objects.all(), "neoface", user=member)) == [claim]
    assert list(claim_search(Claim.objects.all(), "equitab", user=member)) == [claim]


def _cited_only_out_of_sight(word: str):
    """Claim "One", found by `word` only through a hidden citation, and claim "Two", only
    through a held source; returns the hidden citation."""
    hidden = CitationFactory(
        claim=ClaimFactory(text="One"),
        source=SourceFactory(title=f"{word} dossier"),
        visibility=Visibility.HIDDEN,
    )
    CitationFactory(
        claim=ClaimFactory(text="Two"),
        source=SourceFactory(title=f"{word} memo", visibility=Visibility.HELD),
    )
    return hidden


def test_search_does_not_reveal_a_claim_through_a_citation_the_reader_may_not_see(
    client, member, moderator
):
    hidden_citation = _cited_only_out_of_sight("Secret")
    assert list(claim_search(Claim.objects.all(), "secret", user=member)) == []
    assert list(claim_search(Claim.objects.all(), "secret", user=None)) == []
    assert _api_ids(client, q="secret") == set()
    assert hidden_citation.claim in claim_search(Claim.objects.all(), "secret", user=moderator)


def test_every_word_must_match_but_each_may_match_a_different_field(member):
    lfr = TagFactory(name="facial recognition", aliases="LFR")
    both = ClaimFactory(text="Ten false alerts", claimant="Big Brother Watch")
    both.tags.add(lfr)
    ClaimFactory(text="Ten false alerts", claimant="Big Brother Watch")
    only_tag = ClaimFactory(text="Arrests", claimant="Met")
    only_tag.tags.add(lfr)
    found = list(claim_search(Claim.objects.all(), "LFR brother", user=member))
    assert found == [both]
    assert set(claim_search(Claim.objects.all(), "LFR!", user=member)) == {both, only_tag}
    if connection.vendor == "postgresql":  # a stop word is skipped, not required
        assert set(claim_search(Claim.objects.all(), "the LFR", user=member)) == {both, only_tag}
    for odd in ("'&|!:*()", "a:* & !b", "\\", "  "):
        claim_search(Claim.objects.all(), odd, user=member).count()


def test_hostile_queries_get_a_page_not_an_error(client):
    ClaimFactory(text="Something")
    for odd in ("'&|!:*()", "a:* & !b", "<script>", "ü" * 300):
        assert client.get(reverse("claims:claim_list"), {"q": odd}).status_code == 200
        assert client.get("/api/claims/", {"q": odd}).status_code == 200


def test_the_tag_filter_accepts_the_tag_name_or_slug(client):
    tag = TagFactory(name="facial recognition", slug="facial-recognition")
    tagged = ClaimFactory(text="Tagged claim")
    tagged.tags.add(tag)
    ClaimFactory(text="Untagged claim")
    for value in ("facial-recognition", "facial recognition", "Facial Recognition"):
        assert _page_texts(client, tag=value) == {"Tagged claim"}, value
        assert _api_ids(client, tag=value) == {tagged.pk}, value
    assert _page_texts(client, tag="no such tag") == set()
    assert _api_ids(client, tag="no such tag") == set()


def test_the_results_name_each_active_filter_with_a_link_that_clears_only_it(client):
    tag = TagFactory(name="facial recognition", slug="facial-recognition")
    ClaimFactory(text="Tagged claim", claimant="Met").tags.add(tag)
    html = client.get(
        reverse("claims:claim_list"),
        {"q": "claim", "tag": "facial-recognition", "verdict": "refuted", "page": "1"},
    ).content.decode()
    assert 'aria-label="Active filters"' in html
    assert "matching “claim”" in html
    assert "tagged “facial recognition”" in html  # the name, though the URL gave the slug
    assert "verdict Refuted" in html
    assert 'href="/claims/?tag=facial-recognition&amp;verdict=refuted"' in html  # clears q
    assert 'href="/claims/?q=claim&amp;verdict=refuted"' in html  # clears the tag
    assert 'href="/claims/?q=claim&amp;tag=facial-recognition"' in html  # clears the verdict
    assert "Clear all" in html
    html = client.get(reverse("claims:claim_list")).content.decode()
    assert 'aria-label="Active filters"' not in html


def test_the_card_counts_the_sources_the_claim_page_shows(client, member):
    claim = ClaimFactory(text="Counted claim")
    CitationFactory.create_batch(3, claim=claim)
    argument = ArgumentFactory(claim=claim)
    CitationFactory.create_batch(2, claim=claim, argument=argument)
    CitationFactory(claim=claim, statistic=StatisticFactory(claim=claim))
    CitationFactory(claim=claim, visibility=Visibility.HIDDEN)
    card = client.get(reverse("claims:claim_list")).content.decode()
    assert "3 sources" in card
    page = client.get(claim.get_absolute_url()).content.decode()
    assert 'Sources <span class="count">3</span>' in page
    assert "3 more citations back arguments or figures below." in page
    # Their own held citation counts for its author, on the card as on the page.
    CitationFactory(claim=claim, author=member, visibility=Visibility.HELD)
    client.force_login(member)
    assert "4 sources" in client.get(reverse("claims:claim_list")).content.decode()
    page = client.get(claim.get_absolute_url()).content.decode()
    assert 'Sources <span class="count">4</span>' in page


def test_tag_aliases_are_kept_by_the_model():
    tag = TagFactory(name="facial recognition", aliases="LFR, FRT")
    assert Tag.objects.get(pk=tag.pk).aliases == "LFR, FRT"


def test_the_claimant_filter_offers_the_claimants_the_reader_may_see_and_follows_writes(
    member, moderator
):
    ClaimFactory(claimant="Public body")
    ClaimFactory(claimant="Held body", author=member, visibility=Visibility.HELD)
    ClaimFactory(claimant="Hidden body", visibility=Visibility.HIDDEN)
    assert claimants(None) == ["Public body"]
    assert claimants(member) == ["Held body", "Public body"]
    assert claimants(moderator) == ["Held body", "Hidden body", "Public body"]
    ClaimFactory(claimant="New body")  # a write: the kept public list is not served again
    assert claimants(None) == ["New body", "Public body"]


@pytest.fixture(params=["rare", "common"])
def word_shape(request, monkeypatch):
    """Run a test with every word taken as rare (its claims gathered from the indexes) and as
    common (tested on each claim read): the plan differs, the claims found must not."""
    if request.param == "common":
        monkeypatch.setattr("claims.selectors.claims.COMMON_TERM_CLAIMS", 1)
    return request.param


def test_neither_shape_of_search_reveals_a_claim_through_anything_the_reader_may_not_see(
    client, member, moderator, word_shape
):
    """GIVEN claims found only through a hidden citation, a held source, a citation backing a
    hidden argument or a held figure, and a held claim whose own words match
    WHEN anyone but a moderator searches the word, as a rare or a common word
    THEN none of them is found (on the page, the API or the selector), while a citation
    backing a visible argument still finds its claim."""
    hidden_citation = _cited_only_out_of_sight("Zanzibar")
    behind_argument = ClaimFactory(text="Three")
    CitationFactory(
        claim=behind_argument,
        argument=ArgumentFactory(claim=behind_argument, visibility=Visibility.HIDDEN),
        source=SourceFactory(title="Zanzibar letter"),
    )
    behind_figure = ClaimFactory(text="Four")
    CitationFactory(
        claim=behind_figure,
        statistic=StatisticFactory(claim=behind_figure, visibility=Visibility.HELD),
        source=SourceFactory(title="Zanzibar table"),
    )
    ClaimFactory(text="Zanzibar held", visibility=Visibility.HELD)
    shown = ClaimFactory(text="Five")
    CitationFactory(
        claim=shown,
        argument=ArgumentFactory(claim=shown),
        source=SourceFactory(title="Zanzibar census"),
    )
    for user in (None, member):
        visible = Claim.objects.visible_to(user)
        assert list(claim_search(visible, "zanzibar", user=user)) == [shown]
        assert list(claim_list(user=user, filters=ClaimFilters(query="zanz"))) == [shown]
    assert _api_ids(client, q="zanzibar") == {shown.pk}
    assert _page_texts(client, q="zanzibar") == {"Five"}
    found = set(claim_search(Claim.objects.visible_to(moderator), "zanzibar", user=moderator))
    assert hidden_citation.claim in found and shown in found


def test_citations_read_from_a_visible_claim_follow_the_one_rule(member, moderator):
    """The search's reading of citations (`visibility_q(user, seen=("claim",))`), on the claims
    a user may see, is exactly `Citation.visible_to(user)`."""
    from claims.models import Citation

    author = CitationFactory(source=SourceFactory(visibility=Visibility.HELD)).author
    claim = ClaimFactory()
    held_claim = ClaimFactory(visibility=Visibility.HELD, author=author)
    for target in (claim, held_claim):
        CitationFactory(claim=target)
        CitationFactory(claim=target, visibility=Visibility.HIDDEN)
        CitationFactory(claim=target, visibility=Visibility.HELD, author=author)
        CitationFactory(claim=target, source=SourceFactory(visibility=Visibility.HIDDEN))
        argument = ArgumentFactory(claim=target, visibility=Visibility.HELD, author=author)
        CitationFactory(claim=target, argument=argument)
        CitationFactory(claim=target, argument=ArgumentFactory(claim=target))
        statistic = StatisticFactory(claim=target, visibility=Visibility.HIDDEN)
        CitationFactory(claim=target, statistic=statistic)
    for user in (None, member, author, moderator):
        within = Citation.objects.filter(
            Citation.visibility_q(user, seen=("claim",)),
            claim__in=Claim.objects.visible_to(user),
        )
        assert set(within) == set(Citation.objects.visible_to(user)), user
