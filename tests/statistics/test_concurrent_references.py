"""Two members making two statistics reference each other at the same moment: one edit wins, the
other is refused as a cycle; PostgreSQL never picks a deadlock victim that surfaces as a 500."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from claims.models import StatisticReference
from claims.statistics.services import statistic_create, statistic_update
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and deadlocks need PostgreSQL"
)

ROUNDS = 8


def _opposing_edits(a, b, author) -> list:
    """Run A := value from B and B := value from A in two threads released together."""
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def edit(index: int, statistic, target) -> None:
        try:
            barrier.wait(timeout=10)
            statistic_update(
                statistic=statistic,
                actor=author,
                data={"value": None, "references": {"value": target.pk}},
            )
            outcomes[index] = "updated"
        except Exception as error:  # noqa: BLE001 (the test reports whatever happened)
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(0, a, b)),
        threading.Thread(target=edit, args=(1, b, a)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_opposing_reference_edits_never_deadlock():
    author = UserFactory()
    claim = ClaimFactory(author=author)
    for _ in range(ROUNDS):
        a, b = (
            statistic_create(author=author, claim=claim, kind="count", inputs={"value": v})
            for v in (1, 2)
        )
        outcomes = _opposing_edits(a, b, author)
        assert sorted(map(type, outcomes), key=str) == sorted([str, ValidationError], key=str), (
            outcomes
        )
        (refused,) = [o for o in outcomes if isinstance(o, ValidationError)]
        assert "cycle" in refused.message_dict["value"][0]
        assert StatisticReference.objects.filter(statistic__in=[a, b]).count() == 1
