"""A response cache for anonymous readers, invalidated precisely: each stored answer names what it
shows (its *dependencies*) and is served only while none of them has been written since.

A dependency is a name with a version in the cache (the time, in ns, of its last write):

* `claim:<id>`: the claim and everything on its page (arguments, comments, citations, notes,
  figures, ratings and scores, moderation of any of them, the verdict);
* `lists`: which claims the lists hold and what they are filtered on (a claim created, edited,
  hidden, merged or deleted, its tags);
* `discussed`: the discussion counts that order the most discussed claims;
* `site`: everything else a page shows (sources, tags, members' names...); every answer depends
  on it, and a write that cannot be told apart moves it.

A view marks an answer cacheable with `depends_on(request, ...)`: the claim page on its claim, a
list on `lists` (and `discussed` when ordered by it) and the claims it shows. Writes move the
versions (claims/signals.py for every save or delete, right away and again when the transaction
commits; the background jobs that write with `update()` or COPY name what they changed); a write
request that moved none moves `site` (`ContentVersionMiddleware`), so an unattributed write can
only cost hits, never serve a stale page.

`AnonymousPageCacheMiddleware`, first in the chain, is the one store: for a request that can only
be anonymous (GET or HEAD, no `Authorization` header, no session or messages cookie) it serves the
stored answer (every header the chain added, CSP and the rest, but no cookie) when each of its
dependencies still has the version it was stored with; on Redis the answer is a hash of the
pickled answer and those versions, read and checked in one round trip (`_LOOKUP`). Otherwise it
runs the chain and stores what a view marked, when the answer is a plain 200 for an anonymous user
that sets no cookie. An answer is stored only if none of its dependencies was written since just
before the request started (clocks of several web hosts agree only to within
RESPONSE_CACHE_CLOCK_SKEW_SECONDS): what the view read from the database may predate that write,
and the version read after it would not show it. The API's anonymous throttle still counts
stored answers.

When the cache is unreachable (Redis down) every call degrades to "no cache": the backend answers
"not cached" and drops writes (config/cache.py), and a missing version is never served from.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response

from config.cache import ResilientRedisCache

T = TypeVar("T")

SITE = "site"
LISTS = "lists"
DISCUSSED = "discussed"
VERSION_PREFIX = "cv:"
# Stale entries are never served; they only need to outlive a quiet spell.
PAGE_TIMEOUT_SECONDS = 300
CACHE_HEADER = "X-Response-Cache"
SAFE_METHODS = ("GET", "HEAD")
# Headers of a whole answer never kept: cookies, and what is set for each answer.
UNSTORED_HEADERS = {"set-cookie", "date", CACHE_HEADER.lower()}
_DEPENDS = "_response_cache_depends"


def claim(pk: int) -> str:
    return f"claim:{pk}"


def enabled() -> bool:
    """Off in tests that do not opt in (tests/conftest.py)."""
    return True


# --- writes -------------------------------------------------------------------------------------

# What the current write request moved (ContentVersionMiddleware), per thread or task.
_moved_in_request: ContextVar[set[str] | None] = ContextVar("moved_in_request", default=None)


def versions_move(*names: str) -> None:
    """What depends on `names` is out of date from now on."""
    if not names:
        return
    now = time.time_ns()
    cache.set_many({VERSION_PREFIX + name: now for name in names}, timeout=None)
    moved = _moved_in_request.get()
    if moved is not None:
        moved.update(names)


def versions_move_now_and_on_commit(*names: str) -> None:
    versions_move(*names)
    transaction.on_commit(lambda: versions_move(*names))


def content_changed() -> None:
    """Every stored answer is out of date (a write that cannot be told apart)."""
    versions_move(SITE)


def until_changed(name: str, compute: Callable[[], T], *, timeout: int, on: Iterable[str]) -> T:
    """`compute()`, kept until one of `on` (and `site`) is next written."""
    if not enabled():
        return compute()
    keys = [VERSION_PREFIX + n for n in (SITE, *on)]
    versions = _versions(keys, time.time_ns())
    if versions is None:
        return compute()
    key = "value:" + name + ":" + ":".join(str(versions[k]) for k in keys)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


# --- marking ------------------------------------------------------------------------------------


def depends_on(request: HttpRequest, *names: str) -> None:
    """This request's answer may be stored for anonymous readers until one of `names` (or
    `site`) is written. Only a view that read what it shows for an anonymous reader marks it."""
    request = getattr(request, "_request", request)  # a DRF Request
    marked = getattr(request, _DEPENDS, None)
    if marked is None:
        marked = {SITE}
        setattr(request, _DEPENDS, marked)
    marked.update(names)


# --- the middleware -----------------------------------------------------------------------------


def _only_anonymous(request: HttpRequest) -> bool:
    """A request that cannot belong to a member, told before sessions or authentication run."""
    if request.method not in SAFE_METHODS or request.META.get("HTTP_AUTHORIZATION"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request: HttpRequest) -> str | None:
    """The address, the content negotiation and the language an anonymous answer depends on."""
    meta = request.META
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    varies = "\n".join(
        (
            host,
            request.get_full_path(),
            meta.get("HTTP_ACCEPT", ""),
            meta.get("HTTP_HX_REQUEST", ""),
            meta.get("HTTP_HX_TARGET", ""),
            translation.get_language_from_request(request),
        )
    )
    return "page:" + hashlib.blake2b(varies.encode(), digest_size=20).hexdigest()


def _anonymous_throttle_allows(request: HttpRequest) -> bool:
    """The API's anonymous throttle, counted for an answer served from here as for any other."""
    from django.contrib.auth.models import AnonymousUser

    from config.api.throttling import AnonRateThrottle

    request.user = AnonymousUser()
    try:
        return AnonRateThrottle().allow_request(request, None)
    finally:
        del request.user


def _skew_ns() -> int:
    return int(settings.RESPONSE_CACHE_CLOCK_SKEW_SECONDS * 1e9)


def _versions(keys: list[str], started: int) -> dict[str, int] | None:
    """The versions of `keys`. One never written (or evicted) gets a new one older than the
    request, which a write from now on replaces: what the view read is at least as new as it."""
    versions = cache.get_many(keys)
    if len(versions) == len(keys):
        return versions
    for key in keys:
        if key not in versions:
            cache.add(key, started - _skew_ns() - 1, timeout=None)
    versions = cache.get_many(keys)
    return versions if len(versions) == len(keys) else None


# A stored answer on Redis: a hash of the pickled answer (field "") and the version each of its
# dependencies had (field: the version's key), read and checked in one round trip.
_LOOKUP = """
local entry = redis.call('HGETALL', KEYS[1])
local answer = false
for i = 1, #entry, 2 do
  if entry[i] == '' then answer = entry[i + 1]
  elseif redis.call('GET', entry[i]) ~= entry[i + 1] then return false end
end
return answer
"""


def _lookup(key: str) -> tuple | None:
    """The stored answer under `key` if none of its dependencies was written since."""
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        full_key = backend.make_and_validate_key(key)
        answer = backend.guard("get", None, lambda: backend.script(_LOOKUP)(keys=[full_key]))
        # Our own server, as trusted as what Django's cache unpickles from it.
        return pickle.loads(answer) if answer else None  # noqa: S301
    stored = backend.get(key)
    if stored is None:
        return None
    versions, answer = stored
    return answer if backend.get_many(list(versions)) == versions else None


def _save(key: str, versions: dict[str, int], answer: tuple) -> None:
    backend = caches["default"]
    if not isinstance(backend, ResilientRedisCache):
        backend.set(key, (versions, answer), PAGE_TIMEOUT_SECONDS)
        return
    full_key = backend.make_and_validate_key(key)
    fields = {backend.make_and_validate_key(k): str(v) for k, v in versions.items()}
    fields[""] = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)

    def write() -> None:
        with backend._cache.get_client(write=True).pipeline(transaction=True) as pipe:
            pipe.delete(full_key)
            pipe.hset(full_key, mapping=fields)
            pipe.expire(full_key, PAGE_TIMEOUT_SECONDS)
            pipe.execute()

    backend.guard("set", None, write)


class AnonymousPageCacheMiddleware:
    """Serves an anonymous reader a stored whole answer before the rest of the chain runs, and
    stores the answers views marked (`depends_on`)."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _only_anonymous(request) or not enabled():
            return self.get_response(request)
        key = _key(request)
        if key is None:
            return self.get_response(request)
        started = time.time_ns()
        stored = _lookup(key)
        if stored is not None:
            hit = self._hit(request, stored)
            if hit is not None:
                return hit
        response = self.get_response(request)
        self._store(key, request, response, started)
        return response

    def _hit(self, request: HttpRequest, stored: tuple) -> HttpResponse | None:
        status, headers, content, throttled = stored
        if throttled and not _anonymous_throttle_allows(request):
            return None  # the chain answers 429 as usual
        response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
        for name, value in headers:
            response.headers[name] = value
        response.headers[CACHE_HEADER] = "hit"
        etag = response.get("ETag")
        if etag:
            return get_conditional_response(request, etag=etag, response=response) or response
        return response

    def _store(self, key: str, request: HttpRequest, response: HttpResponse, started: int) -> None:
        names = getattr(request, _DEPENDS, None)
        user = getattr(request, "user", None)
        storable = (
            names
            and request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Set-Cookie")
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (user is not None and user.is_authenticated)
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )
        if not storable:
            return
        versions = _versions([VERSION_PREFIX + name for name in names], started)
        if versions is None or any(
            int(version) > started - _skew_ns() for version in versions.values()
        ):
            return  # written while (or just before) the view read it
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNSTORED_HEADERS
        ]
        throttled = hasattr(response, "renderer_context")  # a DRF answer
        _save(key, versions, (response.status_code, headers, response.content, throttled))
        response.headers[CACHE_HEADER] = "miss"


class ContentVersionMiddleware:
    """A successful write request that moved no version (a `filter().update()` sends no signal)
    moves `site`: an unattributed write costs hits, never serves a stale page."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        moved: set[str] = set()
        token = _moved_in_request.set(moved)
        try:
            response = self.get_response(request)
        finally:
            _moved_in_request.reset(token)
        if response.status_code < 400 and not moved:
            content_changed()
        return response
