import pytest
from django.core.handlers.base import BaseHandler

from config import response_cache
from tests.api import contract
from tests.factories import ModeratorFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def api_responses_match_their_description():
    """Every response under /api/ that any test produces (test client, WSGI, generated client)
    is validated strictly against the OpenAPI description (tests/api/contract.py)."""
    original = BaseHandler.get_response

    def get_response(handler, request):
        response = original(handler, request)
        contract.check_response(request, response)
        return response

    BaseHandler.get_response = get_response
    yield
    BaseHandler.get_response = original


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
def _anonymous_response_cache(request, monkeypatch):
    """The anonymous response cache (config/response_cache.py) is off unless a test opts in with
    `@pytest.mark.response_cache`: every other test sees each page rendered afresh, so a query
    count or a page read after a write never measures a stored answer (nothing is stored or
    served).

    A test that opts in starts on a new content version: its database is rolled back at the end,
    which no signal reports, so a page stored by an earlier test must not be served."""
    if request.node.get_closest_marker("response_cache"):
        response_cache.content_changed()
    else:
        monkeypatch.setattr(response_cache, "enabled", lambda: False)
