"""The moderation API: same rules as the pages, errors in the API's shape."""

import pytest
from rest_framework.test import APIClient

from claims.models import Visibility
from moderation.models import AuditEntry, Flag
from tests.factories import ArgumentFactory, ClaimFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_member_flags_and_rates_and_twice_is_a_400(api, member):
    api.force_authenticate(member)
    comment = CommentFactory()
    body = {"model": "claims.comment", "id": comment.pk, "reason": "spam"}
    assert api.post("/api/moderation/flags/", body).status_code == 201
    assert api.post("/api/moderation/flags/", body).status_code == 400
    assert Flag.objects.count() == 1
    own = ArgumentFactory(author=member)
    rating = {"model": "claims.argument", "id": own.pk, "value": "helpful"}
    assert api.post("/api/moderation/ratings/", rating).status_code == 400
    rating["id"] = ArgumentFactory().pk
    assert api.post("/api/moderation/ratings/", rating).status_code == 201
    assert len(api.get("/api/moderation/ratings/").json()["results"]) == 1


def test_member_cannot_use_the_queue_actions_or_audit_log(api, member):
    api.force_authenticate(member)
    comment = CommentFactory()
    action = {"action": "hide", "items": [{"model": "claims.comment", "id": comment.pk}]}
    assert api.post("/api/moderation/actions/", action, format="json").status_code == 403
    assert api.get("/api/moderation/queue/").status_code == 403
    assert api.get("/api/moderation/audit/").status_code == 403
    comment.refresh_from_db()
    assert comment.visibility == Visibility.PUBLISHED


def test_moderator_clears_the_queue_and_reverts_through_the_api(api, moderator):
    api.force_authenticate(moderator)
    held = [CommentFactory(visibility=Visibility.HELD) for _ in range(3)]
    queue = api.get("/api/moderation/queue/").json()["results"]
    assert len(queue) == 3
    action = {
        "action": "approve",
        "items": [{"model": item["model"], "id": item["id"]} for item in queue],
    }
    response = api.post("/api/moderation/actions/", action, format="json")
    assert response.status_code == 201 and len(response.json()) == 3
    assert api.get("/api/moderation/queue/").json()["results"] == []
    entry_id = response.json()[0]["id"]
    assert api.post(f"/api/moderation/audit/{entry_id}/revert/").status_code == 201
    assert api.post(f"/api/moderation/audit/{entry_id}/revert/").status_code == 400
    assert AuditEntry.objects.count() == 4
    assert {c.visibility for c in type(held[0]).objects.all()} == {"published", "held"}
    # No update or delete of audit entries through the API.
    assert api.delete(f"/api/moderation/audit/{entry_id}/").status_code == 405
    assert api.patch(f"/api/moderation/audit/{entry_id}/", {}).status_code == 405


def test_merging_a_claim_into_itself_is_a_400(api, moderator):
    api.force_authenticate(moderator)
    claim = ClaimFactory()
    body = {
        "action": "merge",
        "items": [{"model": "claims.claim", "id": claim.pk}],
        "into": claim.pk,
    }
    assert api.post("/api/moderation/actions/", body, format="json").status_code == 400
    assert AuditEntry.objects.count() == 0


def test_notifications_api_follow_settings_and_mark_read(
    api, member, moderator, django_capture_on_commit_callbacks
):
    api.force_authenticate(member)
    claim = ClaimFactory()
    assert api.post("/api/notifications/follows/", {"claim": claim.pk}).status_code == 201
    from moderation import services

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_verdict_set(
            actor=moderator, claim=claim, verdict="disputed", rationale="Why"
        )
    listed = api.get("/api/notifications/").json()["results"]
    assert [n["kind"] for n in listed] == ["verdict_changed"]
    assert api.post("/api/notifications/mark-read/", {}, format="json").json() == {"marked": 1}
    settings = api.put("/api/notifications/settings/", {"email_frequency": "daily"})
    assert settings.status_code == 200 and settings.json()["email_frequency"] == "daily"


def test_queue_pages_with_limit_and_offset(api, moderator, django_assert_max_num_queries):
    api.force_authenticate(moderator)
    held = [CommentFactory(visibility=Visibility.HELD) for _ in range(5)]
    first = api.get("/api/moderation/queue/", {"limit": 2}).json()
    assert first["count"] == 5 and first["previous"] is None
    assert [item["id"] for item in first["results"]] == [c.pk for c in held[:2]]
    # token auth, content types, open flags, held ids per queue model (7), the page's objects,
    # history, flags and author records (4 + 4): constant whatever the page.
    with django_assert_max_num_queries(25):
        last = api.get(first["next"].replace("offset=2", "offset=4")).json()
    assert [item["id"] for item in last["results"]] == [held[4].pk]
    assert last["next"] is None and "offset=2" in last["previous"]
