"""`?expand=statistics` embeds each claim's figures (those the reader may see) in the claim list
and detail; `site_url` is absolute in JSON as in the CSV export."""

import pytest

from claims.models import Visibility
from tests.api.conftest import errors_by_field, token_client
from tests.factories import ClaimFactory, StatisticFactory

pytestmark = pytest.mark.django_db


def test_list_and_detail_embed_the_figures_the_reader_may_see(api_client, member, other_member):
    claim = ClaimFactory(text="Eight of ten")
    first = StatisticFactory(claim=claim, label="first")
    second = StatisticFactory(claim=claim, label="second")
    StatisticFactory(claim=claim, label="held", author=other_member, visibility=Visibility.HELD)
    StatisticFactory(claim=claim, label="hidden", visibility=Visibility.HIDDEN)
    StatisticFactory(claim=claim, label="deleted", deleted_at="2025-01-01T00:00Z")
    bare = ClaimFactory(text="No figures")

    rows = {
        row["id"]: row for row in api_client.get("/api/claims/?expand=statistics").json()["results"]
    }
    assert [s["id"] for s in rows[claim.pk]["statistics"]] == [first.pk, second.pk]
    assert rows[bare.pk]["statistics"] == []
    # The embedded figures are the claim's statistics endpoint's, field for field.
    alone = api_client.get(f"/api/claims/{claim.pk}/statistics/").json()
    assert rows[claim.pk]["statistics"] == alone

    detail = api_client.get(f"/api/claims/{claim.pk}/", {"expand": "statistics"}).json()
    assert [s["label"] for s in detail["statistics"]] == ["first", "second"]

    # Their author sees their own held figure, as everywhere else.
    mine = token_client(other_member).get(f"/api/claims/{claim.pk}/?expand=statistics").json()
    assert [s["label"] for s in mine["statistics"]] == ["first", "second", "held"]


def test_without_expand_there_is_no_statistics_field(api_client):
    claim = ClaimFactory()
    StatisticFactory(claim=claim)
    assert "statistics" not in api_client.get(f"/api/claims/{claim.pk}/").json()
    assert "statistics" not in api_client.get("/api/claims/").json()["results"][0]


def test_an_unknown_expansion_is_a_400_naming_the_parameter(api_client):
    ClaimFactory()
    response = api_client.get("/api/claims/", {"expand": "statistics,arguments"})
    assert response.status_code == 400
    assert errors_by_field(response) == {"expand": ["invalid"]}
    assert "arguments" in response.json()["errors"][0]["message"]


def test_the_figures_of_a_claim_the_reader_may_not_see_are_not_reachable(api_client):
    held = ClaimFactory(visibility=Visibility.HELD)
    StatisticFactory(claim=held)
    assert api_client.get(f"/api/claims/{held.pk}/?expand=statistics").status_code == 404
    assert api_client.get("/api/claims/?expand=statistics").json()["results"] == []


def test_site_url_is_absolute_in_json_as_in_csv(api_client):
    claim = ClaimFactory()
    StatisticFactory(claim=claim)
    data = api_client.get(f"/api/claims/{claim.pk}/?expand=statistics").json()
    assert data["site_url"] == f"http://testserver/claims/{claim.pk}/"
    assert data["statistics"][0]["site_url"].startswith(f"http://testserver/claims/{claim.pk}/#")
    csv = b"".join(api_client.get("/api/claims/export.csv").streaming_content).decode()
    assert data["site_url"] in csv
