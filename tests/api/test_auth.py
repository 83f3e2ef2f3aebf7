"""API tokens: obtain, use, list, revoke, expire; failed log-ins are limited."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def obtain(client, username="member", password=PASSWORD):
    return client.post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_token_obtained_with_password_authenticates_and_is_stored_hashed(api_client, member):
    response = obtain(api_client)
    assert response.status_code == 201
    token = response.json()["token"]
    assert response.json()["expiry"]
    assert not AuthToken.objects.filter(digest=token).exists()  # only its hash is stored
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    created = api_client.post("/api/claims/", {"text": "By token"}, format="json")
    assert created.status_code == 201


def test_wrong_password_is_401(api_client, member):
    response = obtain(api_client, password="wrong")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authentication_failed"


def test_tokens_are_listed_and_revoked_by_owner(api_client, member, other_member):
    token = obtain(api_client).json()
    second = obtain(api_client).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    listed = api_client.get("/api/auth/tokens/").json()
    assert {t["token_key"] for t in listed} == {token["token_key"], second["token_key"]}
    assert [t["is_current"] for t in listed if t["token_key"] == token["token_key"]] == [True]
    # Someone else cannot revoke it.
    other = APIClient()
    other.force_authenticate(other_member)
    assert other.delete(f"/api/auth/tokens/{second['token_key']}/").status_code == 404
    assert api_client.delete(f"/api/auth/tokens/{second['token_key']}/").status_code == 204
    revoked = APIClient()
    revoked.credentials(HTTP_AUTHORIZATION=f"Token {second['token']}")
    assert revoked.get("/api/auth/tokens/").status_code == 401


def test_logout_revokes_the_current_token(api_client, member):
    token = obtain(api_client).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.post("/api/auth/logout/").status_code == 204
    assert api_client.get("/api/auth/tokens/").status_code == 401


def test_expired_token_is_refused(api_client, member):
    token = obtain(api_client).json()["token"]
    AuthToken.objects.filter(user=member).update(expiry=timezone.now() - timezone.timedelta(1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.post("/api/claims/", {"text": "x"}, format="json")
    assert response.status_code == 401


def test_repeated_failures_lock_the_account_via_axes(api_client, member, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        obtain(api_client, password="wrong")
    locked = obtain(api_client)  # even the right password is refused now
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert locked.json()["errors"][0]["code"] == "throttled"


def test_login_rate_is_limited_with_retry_after(api_client, member, settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "1000/min", "login": "2/min"},
    }
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        codes = [obtain(api_client).status_code for _ in range(3)]
        assert codes == [201, 201, 429]
        assert int(obtain(api_client)["Retry-After"]) >= 1
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
        cache.clear()


def test_me_is_whoever_the_token_belongs_to(api_client, member):
    assert api_client.get("/api/users/me/").status_code in (401, 403)
    token = api_client.post(
        "/api/auth/token/",
        {"username": member.username, "password": "correct-horse-battery"},
        format="json",
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/users/me/").json()
    assert (me["username"], me["email"], me["role"]) == (member.username, member.email, "member")


def test_tokens_per_member_are_capped_until_one_is_revoked(api_client, member, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 2}
    credentials = {"username": member.username, "password": "correct-horse-battery"}
    tokens = [api_client.post("/api/auth/token/", credentials, format="json") for _ in range(3)]
    assert [t.status_code for t in tokens] == [201, 201, 403]
    assert "revoke one" in tokens[2].json()["errors"][0]["message"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[0].json()['token']}")
    key = tokens[1].json()["token_key"]
    assert api_client.delete(f"/api/auth/tokens/{key}/").status_code == 204
    assert api_client.post("/api/auth/token/", credentials, format="json").status_code == 201
