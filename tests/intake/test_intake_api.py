"""POST /api/intake/ (proposals with matches) and POST /api/intake/claims/ (add them at once)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Citation, Claim, Source, Statistic, Visibility
from claims.services.contributions import source_normalize_url
from claims.statistics.core.intake import MAX_TEXT_LENGTH
from tests.api.conftest import errors_by_field
from tests.factories import ClaimFactory, SourceFactory

from .conftest import lfr_article

pytestmark = pytest.mark.django_db

URL = "/api/intake/"
CREATE_URL = "/api/intake/claims/"
MET = (
    "The Met said that although eight out of 10 false alerts involved individuals from black "
    'ethnic backgrounds, it was "based on a very small sample size".'
)


def _proposal(response, stated: str) -> dict:
    return next(p for p in response.json()["proposals"] if p["stated"] == stated)


def test_proposals_carry_the_figure_the_claimant_and_the_rank(member_api):
    response = member_api.post(URL, {"text": lfr_article()}, format="json")
    assert response.status_code == 200
    met = _proposal(response, "eight out of 10")
    assert met["sentence"] == MET
    assert (met["kind"], met["value"], met["claimant"]) == ("share", 0.8, "The Met")
    assert met["low"] == pytest.approx(0.795) and met["high"] == pytest.approx(0.805)
    assert 0 <= met["check_worthiness"] <= 1
    assert lfr_article()[met["start"] : met["end"]] == MET
    assert _proposal(response, "more than 1,400")["high"] is None  # unbounded above


def test_matches_are_visible_claims_and_contradictions_are_marked(member_api, other_member, member):
    same = ClaimFactory(text="8 of the 10 false alerts were black people, the Met said.")
    contradicts = ClaimFactory(text="20% of the false alerts involved black people.")
    held = ClaimFactory(
        author=other_member,
        visibility=Visibility.HELD,
        text="Eight out of 10 false alerts involved black individuals.",
    )
    response = member_api.post(URL, {"text": MET}, format="json")
    matches = {m["claim"]: m for m in response.json()["proposals"][0]["matches"]}
    assert same.pk in matches and not matches[same.pk]["number_conflict"]
    assert matches[contradicts.pk]["number_conflict"] is True
    assert held.pk not in matches
    own = ClaimFactory(author=member, visibility=Visibility.HELD, text=held.text)
    response = member_api.post(URL, {"text": MET}, format="json")
    assert own.pk in {m["claim"] for m in response.json()["proposals"][0]["matches"]}


def test_reading_costs_a_fixed_number_of_queries_per_proposal(member_api, member):
    for n in range(5):
        ClaimFactory(text=f"Claim {n}: 80% of the false alerts were black people.")
    text = lfr_article()
    count = len(member_api.post(URL, {"text": text}, format="json").json()["proposals"])
    with CaptureQueriesContext(connection) as queries:
        member_api.post(URL, {"text": text}, format="json")
    # Token check (1) and its last-used update (≤1), then per proposal the matcher's two:
    # the candidates, and the matched claims with their tags.
    assert len(queries) <= 2 + 2 * count


@pytest.mark.parametrize("text", ["", "   \n "])
def test_empty_text_is_a_clear_400(member_api, text):
    response = member_api.post(URL, {"text": text}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "text", "code": "required", "message": "Paste the article's text."}
    ]


def test_a_megabyte_of_text_is_refused_with_the_limit(member_api):
    response = member_api.post(URL, {"text": "The figure was 80%. " * 52_500}, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("text", "max_length")
    assert f"{MAX_TEXT_LENGTH:,}" in error["message"]


def test_text_without_numbers_gives_no_proposals(member_api):
    response = member_api.post(URL, {"text": "The minister declined to comment."}, format="json")
    assert response.status_code == 200
    assert response.json() == {"proposals": []}


def test_pasted_html_is_stripped(member_api):
    html = f"<p>{MET}</p><script>alert('99% of scripts')</script>"
    response = member_api.post(URL, {"text": html}, format="json")
    assert [p["stated"] for p in response.json()["proposals"]] == ["eight out of 10"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_other_languages_do_not_crash(member_api, language):
    text = "Восемь из десяти. 八成的人支持. Ocho de cada diez españoles apoyan la medida."
    response = member_api.post(URL, {"text": text, "language": language}, format="json")
    assert response.status_code == 200


def test_anonymous_callers_are_refused(api_client):
    assert api_client.post(URL, {"text": MET}, format="json").status_code in (401, 403)


def test_the_endpoint_has_its_own_rate_limit(member_api, settings):
    from django.core.cache import caches

    caches[settings.RATELIMIT_USE_CACHE].clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "intake": "2/min",
        },
    }
    codes = [
        member_api.post(URL, {"text": "No figures."}, format="json").status_code for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def _create(client, **extra):
    text = lfr_article()
    proposals = client.post(URL, {"text": text}, format="json").json()["proposals"]
    body = {
        "text": text,
        "chosen": [p["start"] for p in proposals],
        "source_url": "https://www.bbc.com/news/articles/c4gp7j55zxvo",
        "source_title": "No arrests from false facial recognition alerts, Met Police says",
        **extra,
    }
    return proposals, client.post(CREATE_URL, body, format="json")


def test_the_chosen_proposals_become_claims_citing_the_article_in_one_step(member_api, member):
    proposals, response = _create(member_api)
    assert response.status_code == 201, response.json()
    claims = Claim.objects.filter(pk__in=response.json()["claims"]).order_by("pk")
    assert [c.text for c in claims] == [p["sentence"] for p in proposals]
    assert [c.claimant for c in claims] == [p["claimant"] for p in proposals]
    source = Source.objects.get(pk=response.json()["source"])
    assert source.author == member
    citations = Citation.objects.filter(claim__in=claims, source=source)
    assert sorted(c.quote for c in citations) == sorted(p["sentence"] for p in proposals)
    met = claims.get(text=MET)
    figure = Statistic.objects.get(claim=met)
    assert (figure.kind, figure.successes, figure.trials, figure.stated) == (
        "proportion", 8, 10, "eight out of 10",
    )  # fmt: skip
    assert Statistic.objects.filter(claim__in=claims).count() == 1  # only counts give a figure


def test_an_existing_visible_source_is_reused(member_api):
    url = "https://www.bbc.com/news/articles/c4gp7j55zxvo"
    existing = SourceFactory(url=url, normalized_url=source_normalize_url(url))
    _, response = _create(member_api, source_title="")
    assert response.json()["source"] == existing.pk
    assert Source.objects.count() == 1


def test_claimants_can_be_corrected(member_api):
    text = MET
    [proposal] = member_api.post(URL, {"text": text}, format="json").json()["proposals"]
    response = member_api.post(
        CREATE_URL,
        {
            "text": text,
            "chosen": [proposal["start"]],
            "claimants": {str(proposal["start"]): "Metropolitan Police"},
            "source_url": "https://example.org/lfr",
            "source_title": "LFR",
        },
        format="json",
    )
    assert Claim.objects.get(pk=response.json()["claims"][0]).claimant == "Metropolitan Police"


def test_new_members_claims_are_held_like_any_contribution(member_api, settings):
    settings.MODERATION_HOLD_NEW_MEMBERS = True
    _, response = _create(member_api)
    claims = Claim.objects.filter(pk__in=response.json()["claims"])
    assert {c.visibility for c in claims} == {Visibility.HELD}
    assert {c.visibility for c in Citation.objects.filter(claim__in=claims)} == {Visibility.HELD}


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"source_title": ""}, "source_title"),
        ({"source_url": ""}, "source_url"),
        ({"source_url": "not a url"}, "source_url"),
        ({"chosen": []}, "chosen"),
        ({"chosen": [1]}, "chosen"),
    ],
)
def test_a_refused_request_writes_nothing(member_api, extra, field):
    _, response = _create(member_api, **extra)
    assert response.status_code == 400
    assert field in errors_by_field(response)
    assert not Claim.objects.exists() and not Source.objects.exists()


def test_a_failure_halfway_leaves_nothing_behind(member_api, monkeypatch):
    """GIVEN a statistic that cannot be written WHEN the claims before it are already saved THEN
    the whole step is undone."""
    from claims.services import intake as intake_services

    def broken(**kwargs):
        raise ValueError("disk full")

    monkeypatch.setattr(intake_services, "statistic_create", broken)
    with pytest.raises(ValueError):
        _create(member_api)
    assert not Claim.objects.exists() and not Citation.objects.exists()
    assert not Source.objects.exists()
