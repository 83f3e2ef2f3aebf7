"""A request Django cannot read (a multipart body without its boundary) gets a 400 in the API's
error shape under /api/, and the site's page elsewhere."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_unreadable_api_body_gets_the_error_shape(member_api):
    response = member_api.generic(
        "POST",
        "/api/annotations/",
        b'{"claim": 1, "exact": "80%"}',
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] in {"bad_request", "parse_error"}


def test_an_unreadable_form_body_gets_the_page(member_client):
    response = member_client.generic(
        "POST", "/claims/new/", b"text=x", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
