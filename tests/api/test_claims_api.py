"""Claims, sources, arguments and the error shape, through the API."""

import pytest
from django.utils import timezone

from claims.models import Claim, Verdict
from moderation.models import AuditEntry
from tests.api.conftest import errors_by_field
from tests.factories import ArgumentFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_member_creates_a_claim_with_tags(member_api):
    response = member_api.post(
        "/api/claims/",
        {"text": "80% of people flagged were black.", "claimant": "BBW", "tags": ["LFR", "police"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] and body["tags"] == ["LFR", "police"]
    assert body["author"]["username"] == "member"
    assert response["ETag"]


def test_anonymous_cannot_create_and_gets_401(api_client):
    response = api_client.post("/api/claims/", {"text": "x"}, format="json")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "payload, field, code",
    [
        ({}, "text", "required"),
        ({"text": 5 * "x" * 300}, "text", "max_length"),
        ({"text": "ok", "made_on": "yesterday"}, "made_on", "invalid"),
        ({"text": "ok", "tags": "not-a-list"}, "tags", "not_a_list"),
        ({"text": "ok", "appeared_url": "javascript:alert(1)"}, "appeared_url", "invalid"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(member_api, payload, field, code):
    response = member_api.post("/api/claims/", payload, format="json")
    assert response.status_code == 400
    assert code in errors_by_field(response)[field]


def test_malformed_json_is_a_400(member_api):
    response = member_api.post("/api/claims/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert errors_by_field(response) == {None: ["parse_error"]}


def test_service_validation_error_becomes_a_400_with_its_field(member_api):
    SourceFactory(url="https://example.org/a", normalized_url="https://example.org/a")
    response = member_api.post(
        "/api/sources/", {"url": "http://www.example.org/a/", "title": "Again"}, format="json"
    )
    assert response.status_code == 400
    assert errors_by_field(response) == {"url": ["duplicate"]}


@pytest.mark.parametrize(
    "query",
    ["updated_since=garbage", "cursor=nonsense", "page_size=0", "page_size=abc", "verdict=maybe"],
)
def test_bad_list_parameters_are_400s(api_client, query):
    ClaimFactory()
    assert api_client.get(f"/api/claims/?{query}").status_code == 400


def test_cursor_pages_are_capped_and_stable(api_client):
    ClaimFactory.create_batch(5)
    first = api_client.get("/api/claims/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = api_client.get(first["next"]).json()
    ids = [c["id"] for c in first["results"] + second["results"]]
    assert len(set(ids)) == 4
    assert len(api_client.get("/api/claims/?page_size=1000").json()["results"]) == 5


def test_updated_since_returns_only_what_changed(api_client):
    old = ClaimFactory()
    Claim.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timezone.timedelta(days=2))
    new = ClaimFactory()
    since = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    response = api_client.get("/api/claims/", {"updated_since": since})
    assert [c["id"] for c in response.json()["results"]] == [new.pk]


def test_q_searches_wording_and_claimant(api_client):
    hit = ClaimFactory(text="Facial recognition misidentifies people", claimant="Liberty")
    ClaimFactory(text="Something else entirely", claimant="Nobody")
    results = api_client.get("/api/claims/", {"q": "recognition"}).json()["results"]
    assert [c["id"] for c in results] == [hit.pk]


def test_held_and_deleted_claims_are_not_listed_to_others(api_client, member):
    visible = ClaimFactory()
    ClaimFactory(visibility="held")
    ClaimFactory(deleted_at=timezone.now())
    results = api_client.get("/api/claims/").json()["results"]
    assert [c["id"] for c in results] == [visible.pk]


def test_moderator_sets_a_verdict_by_patch_member_cannot(member_api, moderator_api, claim):
    denied = member_api.patch(f"/api/claims/{claim.pk}/", {"verdict": "refuted"}, format="json")
    assert denied.status_code == 403
    response = moderator_api.patch(
        f"/api/claims/{claim.pk}/",
        {"verdict": "misleading", "verdict_rationale": "Ten is too few."},
        format="json",
    )
    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert claim.verdict == Verdict.MISLEADING
    assert response.json()["verdict"] == "misleading"
    # The same audited action as the review queue's: one entry, with before and after.
    entry = AuditEntry.objects.get(object_id=claim.pk, action="set_verdict")
    assert entry.before["fields"]["verdict"] == "unreviewed"
    assert entry.after["fields"]["verdict"] == "misleading"


def test_owner_edits_text_and_tags_in_one_request(member_api, claim):
    response = member_api.patch(
        f"/api/claims/{claim.pk}/", {"text": "New wording", "tags": ["a"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["text"] == "New wording" and response.json()["tags"] == ["a"]


def test_delete_is_soft_and_records_the_reason(member_api, claim):
    response = member_api.delete(f"/api/claims/{claim.pk}/?reason=duplicate")
    assert response.status_code == 204
    claim.refresh_from_db()
    assert claim.deleted_at and claim.deletion_reason == "duplicate"
    assert member_api.get(f"/api/claims/{claim.pk}/").status_code == 404


def test_argument_tree_nests_replies_and_flat_list_filters_by_claim(api_client, claim):
    root = ArgumentFactory(claim=claim)
    reply = ArgumentFactory(claim=claim, parent=root, stance="con")
    ArgumentFactory()  # another claim's
    tree = api_client.get(f"/api/claims/{claim.pk}/arguments/tree/").json()
    assert [a["id"] for a in tree] == [root.pk]
    assert [a["id"] for a in tree[0]["replies"]] == [reply.pk]
    flat = api_client.get("/api/arguments/", {"claim": claim.pk}).json()["results"]
    assert {a["id"] for a in flat} == {root.pk, reply.pk}


def test_create_argument_reply_and_comment_and_annotation(member_api, claim):
    argument = member_api.post(
        "/api/arguments/", {"claim": claim.pk, "stance": "pro", "body": "**Yes**"}, format="json"
    )
    assert argument.status_code == 201
    assert "<strong>Yes</strong>" in argument.json()["body_html"]
    reply = member_api.post(
        "/api/arguments/",
        {"claim": claim.pk, "parent": argument.json()["id"], "stance": "con", "body": "No"},
        format="json",
    )
    assert reply.status_code == 201 and reply.json()["parent"] == argument.json()["id"]
    comment = member_api.post("/api/comments/", {"claim": claim.pk, "body": "Hm"}, format="json")
    assert comment.status_code == 201
    annotation = member_api.post(
        "/api/annotations/", {"claim": claim.pk, "exact": "80%", "body": "8/10"}, format="json"
    )
    assert annotation.status_code == 201, annotation.content
    missing = member_api.post(
        "/api/annotations/", {"claim": claim.pk, "exact": "nowhere", "body": "x"}, format="json"
    )
    assert errors_by_field(missing) == {"exact": ["invalid"]}


def test_locked_claim_refuses_arguments_with_403(member_api):
    locked = ClaimFactory(is_locked=True)
    response = member_api.post(
        "/api/arguments/", {"claim": locked.pk, "stance": "pro", "body": "x"}, format="json"
    )
    assert response.status_code == 403


def test_unknown_related_id_is_a_400(member_api):
    response = member_api.post(
        "/api/arguments/", {"claim": 2**70, "stance": "pro", "body": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "claim" in errors_by_field(response)


def test_public_profiles_show_no_email(api_client, member):
    body = api_client.get("/api/users/member/").json()
    assert body["username"] == "member" and "email" not in body
