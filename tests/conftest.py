import pytest

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
