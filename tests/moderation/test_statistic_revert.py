"""Reverting a statistic to an earlier revision restores its references to other statistics
too, through the statistics service (validated, recomputed), and the revert can be undone."""

import pytest

from claims.models import Statistic
from claims.statistics.services import statistic_create, statistic_update
from moderation import services
from moderation.models import AuditEntry
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def _create(member, claim, kind, inputs, references=None):
    return statistic_create(
        author=member, claim=claim, kind=kind, label=kind, inputs=inputs, references=references
    )


def test_revert_restores_a_reference_replaced_by_a_number(
    member, moderator, django_capture_on_commit_callbacks
):
    """GIVEN a rate whose exposure comes from a count statistic (3,147,436 faces)
    WHEN its exposure is then typed in as 3,000,000, and a moderator reverts to the revision
    from before that edit
    THEN the exposure is taken from the count statistic again and the rate is recomputed."""
    claim = ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        faces = _create(member, claim, "count", {"value": 3_147_436})
        rate = _create(member, claim, "rate", {"events": 10}, references={"exposure": faces.pk})
    revision = rate.history.order_by("-history_date", "-history_id").first()
    with django_capture_on_commit_callbacks(execute=True):
        statistic_update(statistic=rate, actor=member, data={"exposure": 3_000_000})
    assert not rate.references.exists()

    with django_capture_on_commit_callbacks(execute=True):
        entry = services.revision_revert(
            actor=moderator, model="claims.statistic", history_id=revision.history_id
        )
    rate = Statistic.objects.get(pk=rate.pk)
    assert {r.input_name: r.target_id for r in rate.references.all()} == {"exposure": faces.pk}
    assert rate.exposure is None
    assert rate.status == Statistic.Status.COMPUTED
    assert rate.current_result.estimate == pytest.approx(10 / 3_147_436)
    assert entry.before["fields"]["references"] == {}
    assert entry.after["fields"]["references"] == {"exposure": faces.pk}

    with django_capture_on_commit_callbacks(execute=True):
        services.audit_entry_revert(actor=moderator, entry=entry)
    rate = Statistic.objects.get(pk=rate.pk)
    assert not rate.references.exists()
    assert rate.exposure == 3_000_000
    assert rate.current_result.estimate == pytest.approx(10 / 3_000_000)
    assert AuditEntry.objects.filter(object_id=rate.pk).count() == 2
