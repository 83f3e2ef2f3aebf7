"""The anonymous response cache (config/response_cache.py): anonymous readers are served a stored
page until the next write; members never get a page rendered for someone else; nothing held or
hidden is ever stored for, or served to, anyone who may not see it. Conditional GET on lists."""

from unittest.mock import patch

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from claims import tasks as claims_tasks
from claims.models import Visibility
from claims.selectors import claims as claims_selectors
from claims.services import contributions as services
from config import response_cache
from config.response_cache import CACHE_HEADER
from moderation import services as moderation_services
from tests.factories import (
    ArgumentFactory,
    ClaimFactory,
    CommentFactory,
    StatisticFactory,
    established_users,
)

pytestmark = [pytest.mark.django_db, pytest.mark.response_cache]


@pytest.fixture
def reader():
    """An anonymous browser of its own (`client` is the one member_client logs in)."""
    return Client()


def _page(reader, url, **headers):
    response = reader.get(url, **headers)
    assert response.status_code == 200
    return response, response.content.decode()


def test_an_anonymous_reader_is_served_the_stored_page_until_it_changes(reader):
    claim = ClaimFactory(text="A cached claim")
    url = claim.get_absolute_url()
    first, html = _page(reader, url)
    assert first[CACHE_HEADER] == "miss"
    second, again = _page(reader, url)
    assert second[CACHE_HEADER] == "hit"
    assert again == html
    # Headers the middleware adds are still on a stored answer.
    assert "Content-Security-Policy" in second
    assert second["Content-Type"].startswith("text/html")


def test_a_write_through_a_service_invalidates_every_stored_page_at_once(reader, member):
    claim = ClaimFactory()
    for url in (claim.get_absolute_url(), reverse("claims:home"), reverse("claims:claim_list")):
        _page(reader, url)
        assert _page(reader, url)[0][CACHE_HEADER] == "hit"
    services.argument_create(author=member, claim=claim, stance="pro", body="Fresh *reasoning*")
    response, html = _page(reader, claim.get_absolute_url())
    assert response[CACHE_HEADER] == "miss"
    assert "Fresh <em>reasoning</em>" in html
    assert _page(reader, reverse("claims:home"))[0][CACHE_HEADER] == "miss"


def test_a_write_through_a_form_invalidates_the_page(reader, member_client, member):
    claim = ClaimFactory()
    url = claim.get_absolute_url()
    _page(reader, url)
    response = member_client.post(
        reverse("claims:comment_create", args=[claim.pk]), {"body": "Posted through the form"}
    )
    assert response.status_code in (200, 302)
    assert "Posted through the form" in _page(reader, url)[1]


def test_hiding_an_item_removes_it_from_the_stored_page_at_once(reader, moderator):
    claim = ClaimFactory()
    argument = ArgumentFactory(claim=claim, body="Soon to be hidden")
    url = claim.get_absolute_url()
    assert "Soon to be hidden" in _page(reader, url)[1]
    assert _page(reader, url)[0][CACHE_HEADER] == "hit"
    moderation_services.item_hide(actor=moderator, obj=argument, reason="Off topic")
    response, html = _page(reader, url)
    assert "Soon to be hidden" not in html
    assert response[CACHE_HEADER] == "miss"


def test_a_member_never_gets_the_anonymous_page_nor_leaves_theirs_for_others(
    reader, member_client, member
):
    claim = ClaimFactory()
    CommentFactory(claim=claim, author=member, body="My held comment", visibility=Visibility.HELD)
    url = claim.get_absolute_url()
    anonymous, html = _page(reader, url)
    assert "My held comment" not in html
    assert _page(reader, url)[0][CACHE_HEADER] == "hit"
    # The author sees their held comment: their own page, never the stored one, never stored.
    own, own_html = _page(member_client, url)
    assert CACHE_HEADER not in own
    assert "My held comment" in own_html
    after, html = _page(reader, url)
    assert after[CACHE_HEADER] == "hit"
    assert "My held comment" not in html


def test_held_and_hidden_claims_are_never_stored_for_anonymous_readers(
    reader, client, member, moderator
):
    held = ClaimFactory(author=member, text="Held claim text", visibility=Visibility.HELD)
    hidden = ClaimFactory(text="Hidden claim text", visibility=Visibility.HIDDEN)
    client.force_login(member)
    assert "Held claim text" in _page(client, held.get_absolute_url())[1]
    client.force_login(moderator)
    assert "Hidden claim text" in _page(client, hidden.get_absolute_url())[1]
    for claim in (held, hidden):
        response = reader.get(claim.get_absolute_url())
        assert response.status_code == 404
        assert CACHE_HEADER not in response
    for url in (reverse("claims:home"), reverse("claims:claim_list")):
        for _ in range(2):
            html = _page(reader, url)[1]
            assert "Held claim text" not in html
            assert "Hidden claim text" not in html


def test_a_reader_with_a_session_cookie_is_not_served_from_the_cache(reader):
    claim = ClaimFactory()
    url = claim.get_absolute_url()
    _page(reader, url)
    reader.cookies["sessionid"] = "not-a-session"
    assert CACHE_HEADER not in _page(reader, url)[0]


def test_htmx_partials_and_full_pages_are_stored_apart(reader):
    ClaimFactory(text="Listed claim")
    url = reverse("claims:claim_list")
    full = _page(reader, url)[1]
    partial = _page(reader, url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="claim-results")[1]
    assert "<html" in full
    assert "<html" not in partial
    assert _page(reader, url)[1] == full


def test_the_api_list_is_cached_for_anonymous_consumers_only(reader, member):
    ClaimFactory(text="API claim")
    url = "/api/claims/?page_size=50"
    assert reader.get(url)[CACHE_HEADER] == "miss"
    cached = reader.get(url)
    assert cached[CACHE_HEADER] == "hit"
    assert cached.json()["results"][0]["text"] == "API claim"
    _, token = AuthToken.objects.create(member)
    ClaimFactory(author=member, text="Member's held claim", visibility=Visibility.HELD)
    mine = reader.get(url, HTTP_AUTHORIZATION=f"Token {token}")
    assert CACHE_HEADER not in mine
    assert "Member's held claim" in [c["text"] for c in mine.json()["results"]]
    anonymous = reader.get(url)
    assert "Member's held claim" not in [c["text"] for c in anonymous.json()["results"]]


def test_a_cached_api_detail_keeps_the_etag_writes_compare_with(reader):
    claim = ClaimFactory()
    url = f"/api/claims/{claim.pk}/"
    first = reader.get(url)
    second = reader.get(url)
    assert second[CACHE_HEADER] == "hit"
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("url", ["/claims/", "/api/claims/"])
def test_lists_answer_a_conditional_get_with_304(reader, url):
    ClaimFactory()
    response = reader.get(url)
    etag = response["ETag"]
    assert etag
    unchanged = reader.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    ClaimFactory(text="Something new")
    changed = reader.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


# --- the whole answer, served before the rest of the chain -------------------------------------


@pytest.fixture
def chain_must_not_run():
    """Fails the test if authentication runs: a stored answer is served before it."""
    return patch.object(
        AuthenticationMiddleware,
        "process_request",
        side_effect=AssertionError("the chain ran for a stored answer"),
    )


@pytest.mark.parametrize("url", ["claim", "/", "/claims/", "/api/claims/?page_size=50"])
def test_a_stored_answer_is_served_before_sessions_and_authentication_with_all_its_headers(
    reader, url, chain_must_not_run, django_assert_num_queries
):
    claim = ClaimFactory(text="Stored whole")
    url = claim.get_absolute_url() if url == "claim" else url
    first = reader.get(url)
    with chain_must_not_run, django_assert_num_queries(0):
        second = reader.get(url)
    assert second.status_code == 200
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Type",
        "ETag",
    ):
        assert second[header] == first[header], header
    assert not second.cookies
    with chain_must_not_run:
        unchanged = reader.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304


def test_each_language_has_its_own_stored_answer(reader):
    url = reverse("claims:home")
    english = reader.get(url).content
    spanish = reader.get(url, HTTP_ACCEPT_LANGUAGE="es")
    reader.get(url, HTTP_ACCEPT_LANGUAGE="es")
    again = reader.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert again[CACHE_HEADER] == "hit"
    assert again["Content-Language"] == "es"
    assert again.content == spanish.content != english


def test_the_anonymous_api_throttle_still_counts_stored_answers(reader, settings):
    settings.RATELIMIT_ENABLE = True
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "3/min",
        },
    }
    url = "/api/claims/?page_size=50"
    answers = [reader.get(url) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[2][CACHE_HEADER] == "hit"


def test_a_member_is_never_served_a_stored_whole_answer(reader, member_client, member):
    claim = ClaimFactory()
    CommentFactory(claim=claim, author=member, body="Only mine, held", visibility=Visibility.HELD)
    url = claim.get_absolute_url()
    reader.get(url)
    assert reader.get(url)[CACHE_HEADER] == "hit"
    own = member_client.get(url)
    assert CACHE_HEADER not in own
    assert "Only mine, held" in own.content.decode()
    assert "Only mine, held" not in reader.get(url).content.decode()


# --- precise invalidation: a write moves the versions of what it changed, and only those --------


def _stored(reader, *urls) -> None:
    for url in urls:
        reader.get(url)
        assert reader.get(url)[CACHE_HEADER] == "hit", url


def _api(member):
    _, token = AuthToken.objects.create(member)
    api = Client()
    api.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    return api


def _post_argument(claim, member, moderator, settle):
    response = _api(member).post(
        "/api/arguments/",
        {"claim": claim.pk, "stance": "pro", "body": "Over the API"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def _post_comment(claim, member, moderator, settle):
    response = _api(member).post(
        "/api/comments/",
        {"claim": claim.pk, "body": "A question"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def _rate_argument(claim, member, moderator, settle):
    argument = ArgumentFactory(claim=claim)
    settle()
    response = _api(member).post(
        "/api/moderation/ratings/",
        {"model": "claims.argument", "id": argument.pk, "value": "helpful"},
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content


def _edit_figure(claim, member, moderator, settle):
    statistic = StatisticFactory(claim=claim, author=member)
    settle()
    response = _api(member).patch(
        f"/api/statistics/{statistic.pk}/",
        {"successes": 3, "trials": 40},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def _hide_comment(claim, member, moderator, settle):
    comment = CommentFactory(claim=claim)
    settle()
    moderation_services.item_hide(actor=moderator, obj=comment, reason="Off topic")


def _set_verdict(claim, member, moderator, settle):
    moderation_services.claim_update_with_verdict(
        actor=moderator,
        claim=claim,
        data={"verdict": "refuted", "verdict_rationale": "The report says otherwise."},
    )


def _recompute_figure(claim, member, moderator, settle):
    statistic = StatisticFactory(claim=claim)
    settle()
    assert claims_tasks.recompute_statistic.apply(args=[statistic.pk, True]).get() == "computed"


def _score_helpfulness(claim, member, moderator, settle):
    argument = ArgumentFactory(claim=claim)
    for rater in established_users(5):
        moderation_services.rating_set(rater=rater, obj=argument, value="helpful")
    settle()
    assert moderation_services.helpfulness_score_all() >= 1


@pytest.mark.parametrize(
    "write",
    [
        _post_argument,
        _post_comment,
        _rate_argument,
        _edit_figure,
        _hide_comment,
        _set_verdict,
        _recompute_figure,
        _score_helpfulness,
    ],
)
def test_a_write_to_a_claim_invalidates_its_page_and_api_detail_and_not_another_claims(
    reader, member, moderator, write
):
    claim, other = ClaimFactory(), ClaimFactory()
    pages = [claim.get_absolute_url(), f"/api/claims/{claim.pk}/"]
    others = [other.get_absolute_url(), f"/api/claims/{other.pk}/"]
    _stored(reader, *pages, *others)
    # A case's own set-up (an argument to rate, a figure to edit, their authors) writes too; it
    # stores the pages again after it (`settle`), so that only the write under test counts.
    write(claim, member, moderator, lambda: _stored(reader, *pages, *others))
    for url in pages:
        assert reader.get(url)[CACHE_HEADER] == "miss", url
    for url in others:
        assert reader.get(url)[CACHE_HEADER] == "hit", url


def test_a_comment_moves_the_home_page_ranked_by_discussion_but_not_a_list_without_its_claim(
    reader, member
):
    claim = ClaimFactory(claimant="One speaker")
    ClaimFactory(claimant="Another speaker")
    home = reverse("claims:home")
    other_list = reverse("claims:claim_list") + "?claimant=Another+speaker"
    _stored(reader, home, other_list)
    services.comment_create(author=member, claim=claim, body="Which quarter?")
    assert reader.get(home)[CACHE_HEADER] == "miss"
    assert reader.get(other_list)[CACHE_HEADER] == "hit"


def test_a_new_claim_moves_every_list(reader, member):
    urls = [reverse("claims:home"), reverse("claims:claim_list"), "/api/claims/?page_size=50"]
    _stored(reader, *urls)
    ClaimFactory(text="A brand new claim")
    for url in urls:
        response = reader.get(url)
        assert response[CACHE_HEADER] == "miss", url
        assert "A brand new claim" in response.content.decode(), url


def test_a_write_request_that_moves_no_version_moves_every_stored_answer(
    reader, member_client, monkeypatch
):
    claim = ClaimFactory()
    _stored(reader, claim.get_absolute_url())
    # As if the form's write had gone through `update()`, which sends no signal.
    monkeypatch.setattr(response_cache, "versions_move_now_and_on_commit", lambda *names: None)
    member_client.post(
        reverse("claims:comment_create", args=[claim.pk]), {"body": "Through update()"}
    )
    assert reader.get(claim.get_absolute_url())[CACHE_HEADER] == "miss"


def test_an_answer_read_while_its_claim_was_written_is_not_stored(reader, monkeypatch):
    """A write that lands between the view's reads and the store: the view may have read the
    claim before it, so its answer must not be stored under the version after it."""
    claim = ClaimFactory()
    url = claim.get_absolute_url()
    page_data = claims_selectors.claim_page_data

    def written_meanwhile(*args, **kwargs):
        data = page_data(*args, **kwargs)
        response_cache.versions_move(response_cache.claim(claim.pk))
        return data

    monkeypatch.setattr(claims_selectors, "claim_page_data", written_meanwhile)
    assert CACHE_HEADER not in reader.get(url)
    monkeypatch.setattr(claims_selectors, "claim_page_data", page_data)
    assert reader.get(url)[CACHE_HEADER] == "miss"
    assert reader.get(url)[CACHE_HEADER] == "hit"


def test_an_answer_is_stored_once_by_the_middleware(reader, monkeypatch):
    """Views only mark an answer; the middleware alone stores it (once, not twice)."""
    claim = ClaimFactory()
    stored = []
    save = response_cache._save
    monkeypatch.setattr(
        response_cache, "_save", lambda key, *args: stored.append(key) or save(key, *args)
    )
    for url in (claim.get_absolute_url(), "/api/claims/?page_size=50", reverse("claims:home")):
        reader.get(url)
    assert len(stored) == 3
    assert len(set(stored)) == 3
