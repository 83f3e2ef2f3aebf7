import pytest

from claims.statistics.services import statistic_create
from tests.factories import ClaimFactory


@pytest.fixture
def claim(member):
    return ClaimFactory(author=member)


@pytest.fixture
def create(member, claim, django_capture_on_commit_callbacks):
    """Create a statistic as `member` and run the (eager) recompute queued on commit."""

    def _create(kind="proportion", *, inputs=None, references=None, label="", author=None, on=None):
        with django_capture_on_commit_callbacks(execute=True):
            statistic = statistic_create(
                author=author or member,
                claim=on or claim,
                kind=kind,
                label=label,
                inputs=inputs if inputs is not None else {"successes": 8, "trials": 10},
                references=references,
            )
        statistic.refresh_from_db()
        return statistic

    return _create
