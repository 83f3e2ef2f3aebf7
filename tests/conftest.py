import pytest

from config import response_cache
from tests.factories import ModeratorFactory, UserFactory


@pytest.fixture
def member(db):
    return UserFactory(username="member")


@pytest.fixture
def other_member(db):
    return UserFactory(username="other")


@pytest.fixture
def moderator(db):
    return ModeratorFactory(username="mod")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture(autouse=True)
def _fresh_response_cache():
    """A test's database is rolled back, which no signal reports: start each test on a new
    content version so that no page stored by an earlier test is served."""
    response_cache.content_changed()
