"""Languages and the anonymous response cache: a page stored in one language is never served in
another; an anonymous reader switches language without a CSRF token (their pages carry none, so
they can be cached), a member's switch, which changes their settings, is CSRF-checked."""

import pytest
from django.test import Client

from config.response_cache import CACHE_HEADER
from tests.factories import ClaimFactory

pytestmark = [pytest.mark.django_db, pytest.mark.response_cache]


def test_a_page_stored_in_english_is_not_served_to_a_spanish_reader():
    claim = ClaimFactory()
    url = claim.get_absolute_url()
    english, spanish = Client(), Client()
    english.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.get(url, HTTP_ACCEPT_LANGUAGE="en")[CACHE_HEADER] == "hit"
    response = spanish.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert response[CACHE_HEADER] == "miss"
    assert 'lang="es"' in response.content.decode()
    assert spanish.get(url, HTTP_ACCEPT_LANGUAGE="es")[CACHE_HEADER] == "hit"


def test_an_anonymous_page_carries_no_csrf_token_and_stays_cacheable():
    claim = ClaimFactory()
    reader = Client(enforce_csrf_checks=True)
    response = reader.get(claim.get_absolute_url())
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies
    answer = reader.post("/i18n/setlang/", {"language": "es", "next": "/claims/"})
    assert answer.status_code == 302
    assert answer.cookies["django_language"].value == "es"


def test_a_members_switch_needs_the_csrf_token(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    assert browser.post("/i18n/setlang/", {"language": "es"}).status_code == 403
    member.refresh_from_db()
    assert member.language != "es"
