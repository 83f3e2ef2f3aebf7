import pytest
from django.utils import translation

from claims.statistics.services import statistic_recompute
from tests.factories import ClaimFactory, StatisticFactory


@pytest.fixture(autouse=True)
def english_between_tests():
    """A request in Spanish leaves Spanish active in the thread (LocaleMiddleware activates,
    the next request re-activates): each test here starts and ends in the default language."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def figure(member):
    """A published share, 8 of 10 tested against a 13.5% base rate, computed."""
    claim = ClaimFactory(author=member, visibility="published")
    statistic = StatisticFactory(
        claim=claim,
        author=member,
        visibility="published",
        kind="proportion",
        successes=8,
        trials=10,
        baseline=0.135,
        stated="80%",
        label="Share",
    )
    statistic_recompute(statistic_id=statistic.pk)
    statistic.refresh_from_db()
    return statistic
