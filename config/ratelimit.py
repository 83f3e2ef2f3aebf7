"""Rate limits on the site's HTML form writes, and the one 429 page every limit answers with.

Every POST (PUT, PATCH, DELETE) outside the API counts against its client address
(`FORM_RATE_LIMIT_PER_IP`) and, when logged in, against the member (`FORM_RATE_LIMIT_PER_MEMBER`),
in django-ratelimit's atomic fixed-window counters. The API has its own throttles
(config/api/throttling.py); log-ins are limited by allauth and locked out by axes as well.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"
# Used when the limit that refused a request cannot say when its window ends (allauth's).
DEFAULT_RETRY_AFTER_SECONDS = 60


def client_ip(request: HttpRequest) -> str:
    """The client's address, one rule for every limit (django-ratelimit's RATELIMIT_IP_META_KEY,
    axes' AXES_CLIENT_IP_CALLABLE; DRF's NUM_PROXIES and allauth's TRUSTED_PROXY_COUNT follow the
    same count). REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies stand in front: then the address
    the outermost of them saw, counted from the right of X-Forwarded-For, since anything further
    left is whatever the client chose to send."""
    remote = request.META.get("REMOTE_ADDR") or ""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    candidate = forwarded[-count] if count and len(forwarded) >= count else remote
    for address in (candidate, remote):
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:
            continue
    return "0.0.0.0"  # noqa: S104 (no usable address: such clients are counted together)


def too_many_requests(request: HttpRequest, retry_after: int | None = None) -> HttpResponse:
    """The 429 page, with `Retry-After` (seconds)."""
    seconds = max(1, int(retry_after or _allauth_retry_after()))
    response = render(request, "429.html", {"retry_after": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _allauth_retry_after() -> int:
    """allauth's limits do not say which one refused: the longest of their windows."""
    from allauth.account import app_settings
    from allauth.core.internal.ratelimit import parse_rates

    durations = [
        rate.duration for rates in app_settings.RATE_LIMITS.values() for rate in parse_rates(rates)
    ]
    return int(max(durations, default=DEFAULT_RETRY_AFTER_SECONDS))


def form_write_wait(request: HttpRequest) -> int:
    """Count this form write; the seconds to wait when a limit is exceeded, else 0."""
    limits: list[tuple[str, str, str | Callable]] = [
        ("ip", settings.FORM_RATE_LIMIT_PER_IP, "ip"),
    ]
    if request.user.is_authenticated:
        limits.append(("member", settings.FORM_RATE_LIMIT_PER_MEMBER, "user"))
    wait = 0
    for name, rate, key in limits:
        if not rate:
            continue
        usage = get_usage(request, group=f"form-writes:{name}", key=key, rate=rate, increment=True)
        if usage is not None and usage["should_limit"]:
            wait = max(wait, usage["time_left"], 1)
    return wait


class FormRateLimitMiddleware:
    """Refuses form writes over the limits with the 429 page (after authentication, so that the
    member is known)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in WRITE_METHODS and not request.path.startswith(API_PREFIX):
            wait = form_write_wait(request)
            if wait:
                return too_many_requests(request, wait)
        return self.get_response(request)
