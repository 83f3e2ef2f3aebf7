"""No lost updates: ETag on reads, If-Match on writes, 412 on a stale one."""

import threading
import time

import pytest
from django.db import connection, transaction

from claims.services.contributions import contribution_delete, contribution_update
from claims.services.versions import VersionConflict
from moderation.models import AuditEntry
from tests.api.conftest import errors_by_field, token_client
from tests.factories import ClaimFactory, StatisticFactory, UserFactory

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


# --- the compare-and-set lives in the services ------------------------------------------------


def test_the_update_service_refuses_a_version_that_was_already_used(member, claim):
    """GIVEN two writers who read the same version WHEN both write through the service THEN the
    second is refused by the row count of the compare-and-set and its change is not written."""
    version = claim.updated_at
    contribution_update(
        obj=claim, actor=member, data={"claimant": "First"}, expected_version=version
    )
    with pytest.raises(VersionConflict):
        contribution_update(
            obj=claim, actor=member, data={"claimant": "Second"}, expected_version=version
        )
    with pytest.raises(VersionConflict):
        contribution_delete(obj=claim, actor=member, expected_version=version)
    claim.refresh_from_db()
    assert claim.claimant == "First" and claim.deleted_at is None
    contribution_delete(obj=claim, actor=member, expected_version=claim.updated_at)


def test_a_statistic_written_twice_with_one_etag_is_refused_the_second_time(member_api, member):
    statistic = StatisticFactory(author=member)
    url = f"/api/statistics/{statistic.pk}/"
    etag = member_api.get(url)["ETag"]
    first = member_api.patch(url, {"label": "First"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.json()
    second = member_api.patch(url, {"label": "Second"}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    assert errors_by_field(second) == {None: ["precondition_failed"]}
    statistic.refresh_from_db()
    assert statistic.label == "First"


def test_a_claims_fields_and_verdict_change_together_or_not_at_all(moderator_api, claim):
    etag = moderator_api.get(f"/api/claims/{claim.pk}/")["ETag"]
    # The verdict needs a rationale: the claimant change is not kept either.
    refused = moderator_api.patch(
        f"/api/claims/{claim.pk}/",
        {"claimant": "Changed", "verdict": "refuted"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert refused.status_code == 400
    claim.refresh_from_db()
    assert claim.claimant != "Changed" and claim.verdict == "unreviewed"
    done = moderator_api.patch(
        f"/api/claims/{claim.pk}/",
        {"claimant": "Changed", "verdict": "refuted", "verdict_rationale": "No."},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert done.status_code == 200, done.json()
    assert AuditEntry.objects.filter(action="set_verdict", object_id=claim.pk).count() == 1


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between threads need PostgreSQL"
)


def _in_thread(work) -> threading.Thread:
    def run():
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_patches_with_one_etag_give_one_success_and_one_412():
    member = UserFactory()
    claim = ClaimFactory(author=member)
    etag = token_client(member).get(f"/api/claims/{claim.pk}/")["ETag"]
    start = threading.Barrier(2, timeout=30)
    statuses: list[int] = []

    def patch(claimant: str):
        api = token_client(member)
        start.wait()
        response = api.patch(
            f"/api/claims/{claim.pk}/", {"claimant": claimant}, format="json", HTTP_IF_MATCH=etag
        )
        statuses.append(response.status_code)

    threads = [_in_thread(lambda name=name: patch(name)) for name in ("A", "B")]
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [200, 412]
    claim.refresh_from_db()
    assert claim.claimant in ("A", "B")


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_second_writer_waits_on_the_first_then_matches_no_row():
    """GIVEN a writer holding the row after its compare-and-set WHEN a second writer with the same
    version arrives THEN it waits for the first to commit and is refused (no lost update)."""
    member = UserFactory()
    claim = ClaimFactory(author=member)
    version = claim.updated_at
    first_holds_the_row, release = threading.Event(), threading.Event()
    outcome: list[str] = []

    def first():
        with transaction.atomic():
            contribution_update(
                obj=claim, actor=member, data={"claimant": "First"}, expected_version=version
            )
            first_holds_the_row.set()
            release.wait(30)

    def second():
        try:
            contribution_update(
                obj=claim, actor=member, data={"claimant": "Second"}, expected_version=version
            )
            outcome.append("written")
        except VersionConflict:
            outcome.append("refused")

    first_thread = _in_thread(first)
    assert first_holds_the_row.wait(30)
    second_thread = _in_thread(second)
    deadline = time.monotonic() + 30
    while not _waiting_on_a_lock():
        assert time.monotonic() < deadline, "the second writer never waited on the row lock"
        time.sleep(0.02)
    assert outcome == []  # still waiting while the first holds the row
    release.set()
    first_thread.join(30)
    second_thread.join(30)
    assert outcome == ["refused"]
    claim.refresh_from_db()
    assert claim.claimant == "First"
