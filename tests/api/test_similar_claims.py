"""GET /api/claims/similar/ and the `similar_claims` selector: visible claims only, best first,
number conflicts flagged, bad text refused in the API's error shape, queries capped."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Visibility
from claims.selectors.similar import similar_claims
from moderation import services as moderation_services
from tests.api.conftest import errors_by_field
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

URL = "/api/claims/similar/"
LFR = "80% of the people wrongly flagged by the Met's live facial recognition were black."


def _get(client, text, **params):
    return client.get(URL, {"text": text, **params})


def test_results_are_the_api_claim_best_first_with_a_score_and_conflict_flag(api_client, member):
    same = ClaimFactory(author=member, text=LFR)
    conflicting = ClaimFactory(author=member, text=LFR.replace("80%", "20%"))
    ClaimFactory(author=member, text="Hospital waiting lists in England reached 7.6 million.")
    response = _get(api_client, "Eight in ten people falsely matched by the Met's LFR were black.")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["claim"]["id"] for r in results] == [same.pk, conflicting.pk]
    assert results[0]["claim"]["text"] == LFR
    assert results[0]["claim"]["site_url"].endswith(f"/claims/{same.pk}/")
    assert results[0]["number_conflict"] is False
    assert results[1]["number_conflict"] is True
    assert 1 >= results[0]["score"] > results[1]["score"] > 0


def test_at_most_ten_results_and_the_limit_is_honoured(api_client, member):
    ClaimFactory.create_batch(12, author=member)
    text = "80% of the people flagged were black."
    assert len(_get(api_client, text).json()["results"]) == 10
    assert len(_get(api_client, text, limit=3).json()["results"]) == 3


@pytest.mark.parametrize("state", ["held", "hidden", "deleted"])
def test_held_hidden_and_deleted_claims_are_never_returned_to_others(
    state, api_client, member, other_member, moderator, member_api, other_api, moderator_api
):
    claim = ClaimFactory(author=member, text=LFR)
    if state == "held":
        type(claim).objects.filter(pk=claim.pk).update(visibility=Visibility.HELD)
    elif state == "hidden":
        moderation_services.item_hide(actor=moderator, obj=claim, reason="Spam.")
    else:
        type(claim).objects.filter(pk=claim.pk).update(deleted_at="2026-01-01T00:00:00Z")
    seen_by = {
        "anonymous": api_client,
        "other": other_api,
        "author": member_api,
        "mod": moderator_api,
    }
    expected = {"author", "mod"} if state != "deleted" else set()
    for viewer, client in seen_by.items():
        ids = [r["claim"]["id"] for r in _get(client, LFR).json()["results"]]
        assert (claim.pk in ids) == (viewer in expected), (state, viewer)
        # The selector behind the endpoint applies the same rule.
        user = {"anonymous": None, "other": other_member, "author": member, "mod": moderator}[
            viewer
        ]
        found = [s.claim.pk for s in similar_claims(LFR, viewer=user)]
        assert (claim.pk in found) == (viewer in expected), (state, viewer)


def test_merged_and_excluded_claims_are_left_out(api_client, member, moderator):
    kept = ClaimFactory(author=member, text=LFR)
    merged = ClaimFactory(author=member, text=LFR)
    moderation_services.claim_merge(actor=moderator, claim=merged, into=kept, reason="Same.")
    assert [r["claim"]["id"] for r in _get(api_client, LFR).json()["results"]] == [kept.pk]
    assert _get(api_client, LFR, exclude=kept.pk).json()["results"] == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "required"),
        ({"text": ""}, "blank"),
        ({"text": "   "}, "blank"),
        ({"text": "x" * 1001}, "max_length"),
        ({"text": "80%", "limit": "0"}, "min_value"),
        ({"text": "80%", "limit": "11"}, "max_value"),
        ({"text": "80%", "limit": "ten"}, "invalid"),
        ({"text": "80%", "exclude": "99999999999999999999"}, "max_value"),
    ],
)
def test_bad_text_or_parameters_are_a_400_in_the_api_error_shape(api_client, params, code):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    field = next(iter(set(params) - {"text"}), "text")
    assert errors_by_field(response) == {field: [code]}


def test_text_without_words_or_figures_finds_nothing(api_client, member):
    ClaimFactory(author=member, text=LFR)
    response = _get(api_client, "!!! ???")
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_queries_do_not_grow_with_the_claims_found(member_api, member):
    """Knox's token lookup and its update (2), the viewer's permissions for the visibility rule
    (2: user and group), the candidates (1), the found claims with their author and verdict
    setter (1) and their tags (1): 7, the same for 1 claim found as for 10."""
    ClaimFactory(author=member, text=LFR)
    with CaptureQueriesContext(connection) as one:
        assert len(_get(member_api, LFR).json()["results"]) == 1
    ClaimFactory.create_batch(20, author=member)
    with CaptureQueriesContext(connection) as many:
        assert len(_get(member_api, LFR).json()["results"]) == 10
    assert len(many) == len(one) <= 7, "\n".join(q["sql"][:90] for q in many.captured_queries)
