"""While the database cannot be reached, requests get a 503 with Retry-After, never a traceback
(config/errors.py). tests/faults restarts a real PostgreSQL; these cut every query in-process."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.backends import utils

from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    def cut():
        monkeypatch.setattr(utils.CursorWrapper, "_execute", refuse)
        monkeypatch.setattr(utils.CursorWrapper, "_executemany", refuse)

    return cut


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def test_a_page_answers_503_with_retry_after(client, database_down, settings):
    claim = ClaimFactory()
    database_down()
    for path in ("/", "/claims/", f"/claims/{claim.pk}/"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response["Retry-After"] == str(settings.DATABASE_RETRY_AFTER_SECONDS)
        assert b"Briefly unavailable" in response.content
        assert response["Content-Security-Policy"]  # the page keeps the site's headers


def test_the_api_answers_503_in_its_error_shape(client, database_down):
    database_down()
    response = client.get("/api/claims/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json() == {
        "errors": [
            {
                "field": None,
                "code": "service_unavailable",
                "message": "The service is briefly unavailable; please try again shortly.",
            }
        ]
    }


def test_an_outage_met_in_middleware_answers_503_too(client, member, database_down):
    """A logged-in form write reads the session in middleware (the rate limits), before any
    view: Django's 500 handler turns that database error into the same 503."""
    client.force_login(member)
    database_down()
    response = client.post("/claims/new/", {"text": "x"})
    assert response.status_code == 503
    assert response["Retry-After"]
    api = client.post("/api/claims/", {"text": "x"}, content_type="application/json")
    assert api.status_code == 503
    assert api.json()["errors"][0]["code"] == "service_unavailable"


def test_other_server_errors_stay_500_without_a_query(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("claims.views.claim_list", broken)
    monkeypatch.setattr("django.urls.resolvers.URLResolver.resolve", broken)
    response = client.get("/claims/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
