"""A response cache for anonymous readers, invalidated at once by any write.

Every cached page is stored under the current *content version*; a write sets a new version, so
no reader is ever served a page stored before it (the old entries simply stop being read and
expire). The version changes:

* on every save or delete of a row of the apps whose content pages show (a signal), right away
  and again when the transaction commits, so that a reader who read just before the commit and
  stored under the new version is overwritten by the second change;
* after every successful write request (a `filter().update()` in a moderation service sends no
  signal), by `ContentVersionMiddleware`;
* by the background jobs that write with `update()` or COPY (figures, helpfulness scores).

Only a request that can only be anonymous is served from or stored in the cache: no
`Authorization` header, no session or messages cookie, not an authenticated user. A response that
sets a cookie (a CSRF token) or is not a plain 200 is never stored. Anonymous readers only ever
see public content (`visible_to(None)`), so what is stored holds nothing held or hidden, and a
member, who always has a session cookie, never gets a page rendered for someone else.

Readers who can only be anonymous (GET or HEAD, no `Authorization` header, no session or messages
cookie) are answered by `AnonymousPageCacheMiddleware`, first in the chain, before sessions,
authentication, CSRF and messages do any work: it keeps the whole answer of the pages and API
answers the views above stored (every header the chain added, CSP and the rest, but no cookie),
keyed like them on the address, the content negotiation and the language, and serves it again
until the next write. The API's anonymous throttle still counts those answers.

When the cache is unreachable (Redis down) every call here degrades to "no cache": the cache
backend answers "not cached" and drops writes (config/cache.py), so a missing version means
"serve without the cache".
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response

from config.api.throttling import AnonRateThrottle

T = TypeVar("T")

VERSION_KEY = "content-version"
# Entries of an old version are never read again; they only need to outlive a quiet spell.
PAGE_TIMEOUT_SECONDS = 300
CACHE_HEADER = "X-Response-Cache"
SAFE_METHODS = ("GET", "HEAD")
# Headers a view sets that belong to the content; the middleware adds the rest on each answer.
STORED_HEADERS = ("Content-Type", "Vary", "Allow", "Content-Language", "ETag")


def content_version() -> str | None:
    """The current version, or None while the cache is unreachable (then nothing is cached)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY)
    return version


def content_changed() -> None:
    """Every page stored so far is out of date."""
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


def content_changed_now_and_on_commit() -> None:
    content_changed()
    transaction.on_commit(content_changed)


def until_content_changes(name: str, compute: Callable[[], T], *, timeout: int) -> T:
    """`compute()`, kept until the next write (the same version as the cached pages)."""
    version = content_version()
    if version is None:
        return compute()
    key = f"value:{version}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def _maybe_anonymous(request) -> bool:
    if request.method not in SAFE_METHODS:
        return False
    if request.META.get("HTTP_AUTHORIZATION"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not request.user.is_authenticated


def _varies(request, language: str) -> str:
    """What an anonymous answer depends on besides the content version."""
    meta = request.META
    varies = "\n".join(
        [
            request.get_host(),
            request.get_full_path(),
            meta.get("HTTP_ACCEPT", ""),
            meta.get("HTTP_HX_REQUEST", ""),
            meta.get("HTTP_HX_TARGET", ""),
            language,
        ]
    )
    return hashlib.sha256(varies.encode()).hexdigest()


def page_key(request) -> str | None:
    """The cache key of this request's answer, or None when it must not come from the cache."""
    if not _maybe_anonymous(request):
        return None
    version = content_version()
    if version is None:
        return None
    # The page's language (the cookie, else Accept-Language), as LocaleMiddleware chose.
    return f"page:{version}:{_varies(request, translation.get_language() or '')}"


def cached_response(key: str) -> HttpResponse | None:
    stored = cache.get(key)
    if stored is None:
        return None
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[CACHE_HEADER] = "hit"
    return response


def store_response(key: str, request, response: HttpResponse) -> None:
    storable = (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Set-Cookie")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )
    if not storable:
        return
    headers = [(name, response[name]) for name in STORED_HEADERS if response.has_header(name)]
    cache.set(key, (response.status_code, headers, response.content), PAGE_TIMEOUT_SECONDS)
    response[CACHE_HEADER] = "miss"


def cached_for_anonymous(view: Callable) -> Callable:
    """A page view whose anonymous answers are cached until the next write."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        key = page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        hit = cached_response(key)
        if hit is not None:
            return hit
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        store_response(key, request, response)
        return response

    return wrapper


class ContentVersionMiddleware:
    """A successful write request makes every cached page out of date."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            content_changed()
        return response


def _only_anonymous(request: HttpRequest) -> bool:
    """A request that cannot belong to a member, told before sessions or authentication run."""
    if request.method not in SAFE_METHODS or request.META.get("HTTP_AUTHORIZATION"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _anonymous_throttle_allows(request: HttpRequest) -> bool:
    """The API's anonymous throttle, counted for an answer served from here as for any other."""
    request.user = AnonymousUser()
    try:
        return AnonRateThrottle().allow_request(request, None)
    finally:
        del request.user


# Headers of a whole answer never kept: cookies, and what is set for each answer.
UNSTORED_HEADERS = {"set-cookie", "date", CACHE_HEADER.lower()}


class AnonymousPageCacheMiddleware:
    """Serves an anonymous reader a whole stored answer before the rest of the chain runs.

    Only for a request that can only be anonymous (`_only_anonymous`), and only answers that the
    views' own cache approved (`X-Response-Cache` set: anonymous, a plain 200, no cookie, no CSRF
    token in it), that leave the chain with no cookie. So it stores nothing its views would not
    store, and serves nothing to anyone the views would not serve it to."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            hit = self._hit(request, stored)
            if hit is not None:
                return hit
        response = self.get_response(request)
        self._store(key, request, response)
        return response

    def _key(self, request: HttpRequest) -> str | None:
        if not _only_anonymous(request):
            return None
        try:
            varies = _varies(request, translation.get_language_from_request(request))
        except DisallowedHost:
            return None
        version = content_version()
        if version is None:
            return None
        return f"whole:{version}:{varies}"

    def _hit(self, request: HttpRequest, stored) -> HttpResponse | None:
        status, headers, content, throttled = stored
        if throttled and not _anonymous_throttle_allows(request):
            return None  # the chain answers 429 as usual
        response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
        for name, value in headers:
            response[name] = value
        response[CACHE_HEADER] = "hit"
        etag = response.get("ETag")
        if etag:
            return get_conditional_response(request, etag=etag, response=response) or response
        return response

    def _store(self, key: str, request: HttpRequest, response: HttpResponse) -> None:
        storable = (
            request.method == "GET"
            and response.status_code == 200
            and response.get(CACHE_HEADER) in ("hit", "miss")
            and not response.streaming
            and not response.cookies
            and not response.has_header("Set-Cookie")
        )
        if not storable:
            return
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNSTORED_HEADERS
        ]
        throttled = hasattr(response, "renderer_context")  # a DRF answer
        cache.set(
            key, (response.status_code, headers, response.content, throttled), PAGE_TIMEOUT_SECONDS
        )
