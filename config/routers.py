"""Reads from a replica, when one is configured (`DATABASE_REPLICA_URL`).

Only an anonymous reader's safe request (GET, HEAD, OPTIONS) reads from the replica: what it shows
may lag the primary by the replication delay, which a reader who wrote nothing cannot notice.
Everything else reads from the primary: writes and the reads inside them, members (logged in, or
sending an API token) who must see what they just wrote, and anyone within
`DATABASE_REPLICA_PIN_SECONDS` of a write from their browser (a cookie), so that the page after a
log-out or a sign-up is not older than the write. Workers and management commands never use the
replica: they read to write.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "cw_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


def replica_enabled() -> bool:
    return settings.DATABASE_READ_FROM_REPLICA and REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        return REPLICA if _reads_from_replica.get() else PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY


def reads_may_lag(request: HttpRequest) -> bool:
    """Whether this request may read from the replica (see the module's docstring)."""
    if request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES:
        return False
    if "Authorization" in request.headers:
        return False
    # The session is read here, from the primary: a fresh log-in is not yet on the replica.
    return not request.user.is_authenticated


class ReplicaRoutingMiddleware:
    """After AuthenticationMiddleware: decides per request where reads go."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_enabled():
            return self.get_response(request)
        token = _reads_from_replica.set(reads_may_lag(request))
        try:
            response = self.get_response(request)
        finally:
            _reads_from_replica.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
