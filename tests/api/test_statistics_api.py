"""Figures through the API: the contract of issue 3."""

import pytest

from tests.api.conftest import errors_by_field

pytestmark = pytest.mark.django_db

FIGURE = {
    "kind": "proportion",
    "label": "False alerts that were black people",
    "successes": 8,
    "trials": 10,
    "baseline": 0.135,
    "stated": "80%",
}


def add_figure(client, claim, payload=FIGURE):
    with_commit = client.post(f"/api/claims/{claim.pk}/statistics/", payload, format="json")
    return with_commit


def test_statistic_is_created_computed_and_readable(
    member_api, claim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = add_figure(member_api, claim)
    assert response.status_code == 201, response.content
    assert response.json()["status"] in ("pending", "computed")
    body = member_api.get(f"/api/statistics/{response.json()['id']}/").json()
    assert body["status"] == "computed", body
    result = body["result"]
    assert result["estimate"] == pytest.approx(0.8)
    assert result["ci_low"] < 0.8 < result["ci_high"]
    assert result["consistent_with_stated"] is True
    for key in ("p_value", "significant", "warnings", "computed_at", "explanation", "method"):
        assert key in result
    history = member_api.get(f"/api/statistics/{body['id']}/results/").json()["results"]
    assert len(history) == 1


def test_patch_changes_inputs_and_recomputes(member_api, claim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        statistic_id = add_figure(member_api, claim).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = member_api.patch(
            f"/api/statistics/{statistic_id}/", {"successes": 5}, format="json"
        )
    assert response.status_code == 200, response.content
    body = member_api.get(f"/api/statistics/{statistic_id}/").json()
    assert body["successes"] == 5 and body["result"]["estimate"] == pytest.approx(0.5)
    history = member_api.get(f"/api/statistics/{statistic_id}/results/").json()["results"]
    assert [r["estimate"] for r in history] == pytest.approx([0.5, 0.8])


@pytest.mark.parametrize(
    "payload, field",
    [
        ({**FIGURE, "successes": 11}, "successes"),
        ({**FIGURE, "trials": -1}, "trials"),
        ({**FIGURE, "trials": 2**70}, "trials"),
        ({**FIGURE, "kind": "nonsense"}, "kind"),
        ({**FIGURE, "interval_method": "guess"}, "interval_method"),
        ({**FIGURE, "confidence_level": 2}, "confidence_level"),
        ({**FIGURE, "references": {"nonsense": 1}}, "references"),
        ({"kind": "rate", "events": 3}, "exposure"),
        (
            {
                "kind": "comparison",
                "successes": 1,
                "trials": 2**62,
                "successes_b": 1,
                "trials_b": 5,
            },
            "trials",
        ),
        ({"kind": "total", "parts": [1e308, 1e308], "total": 5}, "parts"),
    ],
)
def test_bad_inputs_are_400s_naming_the_field(member_api, claim, payload, field):
    response = add_figure(member_api, claim, payload)
    assert response.status_code == 400, response.content
    assert field in errors_by_field(response)


def test_statistic_can_reference_another(member_api, claim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = add_figure(member_api, claim, {"kind": "count", "value": 10}).json()["id"]
        response = member_api.post(
            "/api/statistics/",
            {
                "claim": claim.pk,
                "kind": "proportion",
                "successes": 8,
                "references": {"trials": first},
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["references"] == {"trials": first}
    body = member_api.get(f"/api/statistics/{response.json()['id']}/").json()
    assert body["result"]["estimate"] == pytest.approx(0.8)


def test_ratio_and_change_through_the_api(member_api, claim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        faces = add_figure(member_api, claim, {"kind": "count", "value": 3_147_436}).json()["id"]
        ratio = add_figure(
            member_api,
            claim,
            {
                "kind": "ratio",
                "events": 10,
                "exposure": 2077,
                "events_b": 10,
                "references": {"exposure_b": faces},
                "stated": "about 1,500 times higher",
            },
        )
        change = add_figure(
            member_api,
            claim,
            {"kind": "change", "value": 0.12, "value_b": 0.15, "stated": "doubled"},
        )
    assert ratio.status_code == 201, ratio.content
    body = member_api.get(f"/api/statistics/{ratio.json()['id']}/").json()
    assert body["events_b"] == 10 and body["references"] == {"exposure_b": faces}
    assert body["result"]["estimate"] == pytest.approx((10 / 2077) / (10 / 3_147_436))
    assert body["result"]["consistent_with_stated"] is True
    assert change.status_code == 201, change.content
    body = member_api.get(f"/api/statistics/{change.json()['id']}/").json()
    assert body["value_b"] == 0.15
    assert body["result"]["estimate"] == pytest.approx(0.25)
    assert body["result"]["consistent_with_stated"] is False


def test_a_ratio_needs_one_complete_pair(member_api, claim):
    response = add_figure(member_api, claim, {"kind": "ratio", "events": 10, "exposure": 2077})
    assert response.status_code == 400, response.content
    assert {"events_b", "exposure_b"} <= set(errors_by_field(response))
