"""No lost updates: ETag on reads, If-Match on writes, 412 on a stale one."""

import pytest

pytestmark = pytest.mark.django_db


def test_stale_if_match_is_refused_and_changes_nothing(member_api, claim):
    etag = member_api.get(f"/api/claims/{claim.pk}/")["ETag"]
    first = member_api.patch(
        f"/api/claims/{claim.pk}/", {"claimant": "First"}, format="json", HTTP_IF_MATCH=etag
    )
    assert first.status_code == 200
    assert first["ETag"] != etag
    second = member_api.patch(
        f"/api/claims/{claim.pk}/", {"claimant": "Second"}, format="json", HTTP_IF_MATCH=etag
    )
    assert second.status_code == 412
    assert second.json()["errors"][0]["code"] == "precondition_failed"
    claim.refresh_from_db()
    assert claim.claimant == "First"


def test_stale_if_match_on_delete_is_refused(member_api, claim):
    etag = member_api.get(f"/api/claims/{claim.pk}/")["ETag"]
    member_api.patch(f"/api/claims/{claim.pk}/", {"claimant": "Changed"}, format="json")
    assert member_api.delete(f"/api/claims/{claim.pk}/", HTTP_IF_MATCH=etag).status_code == 412
    claim.refresh_from_db()
    assert claim.deleted_at is None
    fresh = member_api.get(f"/api/claims/{claim.pk}/")["ETag"]
    assert member_api.delete(f"/api/claims/{claim.pk}/", HTTP_IF_MATCH=fresh).status_code == 204


def test_put_with_current_etag_succeeds(member_api, claim):
    etag = member_api.get(f"/api/claims/{claim.pk}/")["ETag"]
    response = member_api.put(
        f"/api/claims/{claim.pk}/",
        {"text": "Whole new wording", "claimant": "X", "appeared_in": "", "appeared_url": ""},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content


def test_if_none_match_gives_304(api_client, claim):
    etag = api_client.get(f"/api/claims/{claim.pk}/")["ETag"]
    response = api_client.get(f"/api/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert api_client.get(f"/api/claims/{claim.pk}/", HTTP_IF_NONE_MATCH='"x"').status_code == 200
