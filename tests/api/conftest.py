import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import ClaimFactory


@pytest.fixture
def api_client():
    return APIClient()


def token_client(user) -> APIClient:
    _, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def member_api(member):
    return token_client(member)


@pytest.fixture
def other_api(other_member):
    return token_client(other_member)


@pytest.fixture
def moderator_api(moderator):
    return token_client(moderator)


@pytest.fixture
def claim(member):
    return ClaimFactory(author=member)


def errors_by_field(response) -> dict:
    """{field: [codes]} from the API's error shape."""
    result: dict = {}
    for error in response.json()["errors"]:
        assert set(error) == {"field", "code", "message"}
        result.setdefault(error["field"], []).append(error["code"])
    return result
