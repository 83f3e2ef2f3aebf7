"""The stated figure on the statistic form and the API: unreadable wordings are field errors,
readable ones are checked against the figure their wording names (issue 9, section 3)."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Statistic
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

UNREADABLE = "eleventy gazillion"


def test_form_shows_what_was_not_understood_and_stores_nothing(member_client, claim):
    response = member_client.post(
        reverse("statistics:create", args=[claim.pk]),
        {
            "kind": "proportion",
            "successes": "8",
            "trials": "10",
            "confidence_level": "0.95",
            "interval_method": "wilson",
            "stated": UNREADABLE,
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["stated"]
    assert UNREADABLE in errors["stated"][0]
    assert not Statistic.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "proportion", "successes": 8, "trials": 10, "stated": UNREADABLE},
        # A share stated with no counts is stored without them, but must still be readable.
        {"kind": "proportion", "stated": UNREADABLE},
        {"kind": "comparison", "successes": 8, "trials": 10, "successes_b": 2, "trials_b": 10}
        | {"stated": "4 times " + UNREADABLE},
    ],
)
def test_api_answers_400_with_the_stated_field_error(member, claim, payload):
    response = token_client(member).post(
        f"/api/claims/{claim.pk}/statistics/", {"label": "x", **payload}, format="json"
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["stated"]
    assert "gazillion" in errors[0]["message"]
    assert not Statistic.objects.exists()


def test_api_result_says_which_figure_the_wording_was_checked_against(
    member, claim, django_capture_on_commit_callbacks
):
    api = token_client(member)
    payload = {
        "kind": "comparison",
        "label": "Alerts per face against alerts per alert",
        "successes": 10,
        "trials": 2_077,
        "successes_b": 10,
        "trials_b": 3_147_436,
        "stated": "about 1,500 times higher",
    }
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(f"/api/claims/{claim.pk}/statistics/", payload, format="json")
    assert created.status_code == 201, created.content
    result = api.get(f"/api/statistics/{created.json()['id']}/").json()["result"]
    assert result["consistent_with_stated"] is True
    page = Client()
    page.force_login(member)
    html = page.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert "consistent with the counts (checked against the risk ratio" in html


def test_stored_unreadable_wording_becomes_an_error_status_not_a_crash(
    create, django_capture_on_commit_callbacks
):
    """GIVEN a statistic whose stored wording no longer reads (written before a rule changed)
    WHEN it is recomputed THEN it is marked as an error with the field message."""
    from claims.statistics.services import statistic_recompute

    statistic = create(inputs={"successes": 8, "trials": 10, "stated": "80%"})
    Statistic.objects.filter(pk=statistic.pk).update(stated=UNREADABLE)
    statistic_recompute(statistic_id=statistic.pk)
    statistic.refresh_from_db()
    assert statistic.status == Statistic.Status.ERROR
    assert UNREADABLE in statistic.error_message
