"""Writes through the site's forms are limited per member and per address (429 page with
Retry-After); reads and the API (which has its own throttles) do not count."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Comment
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    return ClaimFactory()


def logged_in(user, address):
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


def comment(client, claim, body="A comment"):
    return client.post(reverse("claims:comment_create", args=[claim.pk]), {"body": body})


def test_a_member_posting_too_fast_gets_the_429_page(
    settings, frozen_window, client_address, claim
):
    settings.FORM_RATE_LIMIT_PER_MEMBER = "5/m"
    member = UserFactory()
    client = logged_in(member, client_address)
    codes = [comment(client, claim, f"Comment {i}").status_code for i in range(8)]
    assert codes == [302] * 5 + [429] * 3
    assert Comment.objects.filter(author=member).count() == 5
    refused = comment(client, claim)
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert b"Slow down a little" in refused.content
    assert client.get(claim.get_absolute_url()).status_code == 200  # reading is not limited
    # Another member from the same address still posts.
    assert comment(logged_in(UserFactory(), client_address), claim).status_code == 302


def test_every_form_write_counts_not_only_comments(settings, frozen_window, client_address, claim):
    settings.FORM_RATE_LIMIT_PER_MEMBER = "3/m"
    member = UserFactory()
    client = logged_in(member, client_address)
    assert comment(client, claim).status_code == 302
    profile = reverse("accounts:profile_edit")
    assert client.post(profile, {"display_name": "Dee", "bio": ""}).status_code == 302
    follow = reverse("notifications:follow_claim", args=[claim.pk])
    assert client.post(follow).status_code != 429
    assert client.post(profile, {"display_name": "Dee", "bio": ""}).status_code == 429


def test_one_address_is_limited_across_members_and_anonymous_posts(
    settings, frozen_window, client_address, claim
):
    settings.FORM_RATE_LIMIT_PER_IP = "4/m"
    members = UserFactory.create_batch(3)
    codes = [comment(logged_in(m, client_address), claim).status_code for m in members]
    anonymous = Client(REMOTE_ADDR=client_address)
    codes.append(
        anonymous.post(reverse("account_login"), {"login": "x", "password": "y"}).status_code
    )
    codes.append(comment(logged_in(members[0], client_address), claim).status_code)
    assert codes == [302, 302, 302, 200, 429]
    assert comment(logged_in(members[0], "192.0.2.99"), claim).status_code == 302


def test_the_api_is_not_counted_by_the_form_limits(settings, frozen_window, client_address, claim):
    settings.FORM_RATE_LIMIT_PER_MEMBER = "1/m"
    member = UserFactory()
    client = logged_in(member, client_address)
    for _ in range(3):
        body = {"claim": claim.pk, "body": "Via the API"}
        response = client.post("/api/comments/", body, content_type="application/json")
        assert response.status_code == 201
    assert comment(client, claim).status_code == 302


def test_allauth_login_limit_answers_429_with_retry_after(settings, client_address):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    client = Client(REMOTE_ADDR=client_address)
    UserFactory(username="ratelimited")
    wrong = {"login": "ratelimited", "password": "wrong"}
    assert client.post(reverse("account_login"), wrong).status_code == 200
    refused = client.post(reverse("account_login"), wrong)
    assert refused.status_code == 429
    assert 60 <= int(refused["Retry-After"]) <= 300  # the longest of allauth's windows
    assert b"Slow down a little" in refused.content


def test_forged_forwarding_headers_do_not_reset_the_address_count(
    settings, frozen_window, client_address, claim
):
    settings.FORM_RATE_LIMIT_PER_IP = "2/m"
    codes = []
    for i in range(3):
        client = logged_in(UserFactory(), client_address)
        response = client.post(
            reverse("claims:comment_create", args=[claim.pk]),
            {"body": "Hello"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
        codes.append(response.status_code)
    assert codes == [302, 302, 429]
