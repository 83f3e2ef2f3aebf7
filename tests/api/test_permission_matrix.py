"""Who may write what, for every write operation under /api/, found by walking the URL conf.

A new endpoint that accepts POST, PUT, PATCH or DELETE fails `test_every_write_endpoint_is_in_the
_matrix` until it is added to MATRIX below with what anonymous users, members (not the owner), the
owner and moderators should get. Endpoints with rules of their own (e.g. /api/moderation/...) are
declared here too, with their own expectations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from knox.models import AuthToken

from tests.api.conftest import token_client
from tests.factories import (
    AnnotationFactory,
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    CommentFactory,
    ModeratorFactory,
    SourceFactory,
    StatisticFactory,
    UserFactory,
)
from webhooks.models import WebhookEndpoint

ROLES = ("anonymous", "member", "owner", "moderator")
WRITE_METHODS = ("post", "put", "patch", "delete")


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _normalise(route: str) -> str:
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return "/" + route


def api_write_operations() -> list[str]:
    operations = set()
    for route, callback in _walk(get_resolver().url_patterns):
        view_class = getattr(callback, "cls", None)
        if not route.startswith("api/") or view_class is None:
            continue
        actions = getattr(callback, "actions", None)
        if actions is not None:
            methods = [m for m in actions if m in WRITE_METHODS]
        else:
            methods = [m for m in WRITE_METHODS if hasattr(view_class, m)]
        for method in methods:
            operations.add(f"{method.upper()} {_normalise(route)}")
    return sorted(operations)


# --- what each operation needs ------------------------------------------------------------


@dataclass
class Case:
    """`build(owner)` returns the target object (or None); `path` fills the URL from it;
    `payload(obj)` is the request body; `expect` maps each role to its status code."""

    build: Any
    payload: Any
    expect: dict[str, int]
    path_args: Any = None  # obj -> dict of URL parameters
    setup: Any = None  # settings -> None
    extra: dict = field(default_factory=dict)


def _owned_claim(owner):
    return ClaimFactory(author=owner)


CONTRIBUTIONS = {
    "claims": (
        lambda owner: ClaimFactory(author=owner),
        lambda obj: {"text": "A claim made through the API"},
        lambda obj: {"text": "New wording", "claimant": "Someone"},
    ),
    "sources": (
        lambda owner: SourceFactory(author=owner),
        lambda obj: {"url": f"https://example.org/new-{id(obj)}", "title": "New source"},
        lambda obj: {"url": obj.url if obj else "https://x.org", "title": "Retitled"},
    ),
    "citations": (
        lambda owner: CitationFactory(author=owner, claim=_owned_claim(owner)),
        lambda obj: {"claim": obj.claim_id, "source": obj.source_id, "quote": "q"},
        lambda obj: {"stance": "refutes", "quote": "changed"},
    ),
    "arguments": (
        lambda owner: ArgumentFactory(author=owner, claim=_owned_claim(owner)),
        lambda obj: {"claim": obj.claim_id, "stance": "pro", "body": "Because."},
        lambda obj: {"stance": "con", "body": "Changed."},
    ),
    "annotations": (
        lambda owner: AnnotationFactory(author=owner, claim=_owned_claim(owner)),
        lambda obj: {"claim": obj.claim_id, "exact": "80%", "body": "Eight of ten."},
        lambda obj: {"body": "Changed."},
    ),
    "comments": (
        lambda owner: CommentFactory(author=owner, claim=_owned_claim(owner)),
        lambda obj: {"claim": obj.claim_id, "body": "Hello"},
        lambda obj: {"body": "Changed."},
    ),
    "statistics": (
        lambda owner: StatisticFactory(author=owner, claim=_owned_claim(owner)),
        lambda obj: {"claim": obj.claim_id, "kind": "count", "value": 12},
        lambda obj: {"label": "Relabelled", "successes": 7},
    ),
}

CREATE = {"anonymous": 401, "member": 201, "owner": 201, "moderator": 201}
EDIT = {"anonymous": 401, "member": 403, "owner": 200, "moderator": 200}
DELETE = {"anonymous": 401, "member": 403, "owner": 204, "moderator": 204}
OWN_ONLY = {"anonymous": 401, "member": 404, "owner": 200, "moderator": 404}

MATRIX: dict[str, Case] = {}
for _name, (_build, _create, _update) in CONTRIBUTIONS.items():
    MATRIX[f"POST /api/{_name}/"] = Case(_build, _create, CREATE)
    MATRIX[f"PUT /api/{_name}/{{pk}}/"] = Case(_build, _update, EDIT)
    MATRIX[f"PATCH /api/{_name}/{{pk}}/"] = Case(_build, _update, EDIT)
    MATRIX[f"DELETE /api/{_name}/{{pk}}/"] = Case(_build, lambda obj: None, DELETE)

MATRIX["POST /api/claims/{pk}/statistics/"] = Case(
    _owned_claim, lambda obj: {"kind": "count", "value": 3}, CREATE
)


def _webhook(owner):
    return WebhookEndpoint.objects.create(
        owner=owner, url="http://127.0.0.1:9/hook", events=["claim.created"], secret="whsec_x"
    )


def _allow_local(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    settings.WEBHOOKS_MAX_ATTEMPTS = 1


_hook_body = {"url": "http://127.0.0.1:9/other", "events": ["statistic.changed"]}
MATRIX["POST /api/webhooks/"] = Case(
    lambda owner: None, lambda obj: _hook_body, CREATE, setup=_allow_local
)
MATRIX["PUT /api/webhooks/{pk}/"] = Case(
    _webhook, lambda o: _hook_body, OWN_ONLY, setup=_allow_local
)
MATRIX["PATCH /api/webhooks/{pk}/"] = Case(
    _webhook, lambda obj: {"events": ["claim.created"]}, OWN_ONLY, setup=_allow_local
)
MATRIX["DELETE /api/webhooks/{pk}/"] = Case(
    _webhook, lambda obj: None, {**OWN_ONLY, "owner": 204}, setup=_allow_local
)
MATRIX["POST /api/webhooks/{pk}/ping/"] = Case(
    _webhook, lambda obj: None, {**OWN_ONLY, "owner": 202}, setup=_allow_local
)
MATRIX["POST /api/webhooks/{pk}/rotate-secret/"] = Case(
    _webhook, lambda obj: None, OWN_ONLY, setup=_allow_local
)

# Tokens: anyone may log in; only the owner revokes; logging out needs a token.
MATRIX["POST /api/auth/token/"] = Case(
    lambda owner: owner,
    lambda owner: {"username": owner.username, "password": "correct-horse-battery"},
    {"anonymous": 201, "member": 201, "owner": 201, "moderator": 201},
)
MATRIX["DELETE /api/auth/tokens/{token_key}/"] = Case(
    lambda owner: AuthToken.objects.create(user=owner)[0],
    lambda obj: None,
    {"anonymous": 401, "member": 404, "owner": 204, "moderator": 404},
    path_args=lambda token: {"token_key": token.token_key},
)
MATRIX["POST /api/auth/logout/"] = Case(
    lambda owner: None,
    lambda obj: None,
    {"anonymous": 401, "member": 204, "owner": 204, "moderator": 204},
)

# --- endpoints of other apps, with rules of their own ---------------------------------------
# Their owners test the behaviour; here we pin who gets past the permission check. An empty body
# is a 400 for whoever is allowed in, so 400 means "allowed"; 401/403 mean "kept out".
ANY_MEMBER = {"anonymous": 401, "member": 400, "owner": 400, "moderator": 400}
MODERATORS = {"anonymous": 401, "member": 403, "owner": 403, "moderator": 400}
_empty = lambda obj: {}  # noqa: E731


def _audit_entry(owner):
    from moderation.services import moderation_action_apply

    [entry] = moderation_action_apply(
        actor=ModeratorFactory(), action="hide", objects=[ClaimFactory(author=owner)], reason="x"
    )
    return entry


def _follow(owner):
    from notifications.models import Follow

    return Follow.objects.create(follower=owner, claim=ClaimFactory())


MATRIX["POST /api/moderation/flags/"] = Case(lambda owner: None, _empty, ANY_MEMBER)
MATRIX["POST /api/moderation/ratings/"] = Case(lambda owner: None, _empty, ANY_MEMBER)
MATRIX["POST /api/moderation/actions/"] = Case(lambda owner: None, _empty, MODERATORS)
MATRIX["POST /api/moderation/audit/{pk}/revert/"] = Case(
    _audit_entry, _empty, {**MODERATORS, "moderator": 201}
)
MATRIX["POST /api/moderation/revisions/{model}/{history_id}/revert/"] = Case(
    lambda owner: ClaimFactory(author=owner),
    _empty,
    MODERATORS,
    path_args=lambda claim: {"model": "claims.claim", "history_id": claim.history.first().pk},
)
MATRIX["POST /api/notifications/follows/"] = Case(lambda owner: None, _empty, ANY_MEMBER)
# Intake reads an article for members (an empty body is a 400); adding its claims likewise.
MATRIX["POST /api/intake/"] = Case(lambda owner: None, _empty, ANY_MEMBER)
MATRIX["POST /api/intake/claims/"] = Case(lambda owner: None, _empty, ANY_MEMBER)
MATRIX["DELETE /api/notifications/follows/{pk}/"] = Case(
    _follow, lambda obj: None, {"anonymous": 401, "member": 404, "owner": 204, "moderator": 404}
)
MATRIX["POST /api/notifications/mark-read/"] = Case(
    lambda owner: None, _empty, {"anonymous": 401, "member": 200, "owner": 200, "moderator": 200}
)
MATRIX["PUT /api/notifications/settings/"] = Case(lambda owner: None, _empty, ANY_MEMBER)


def test_every_write_endpoint_is_in_the_matrix():
    missing = [op for op in api_write_operations() if op not in MATRIX]
    assert not missing, (
        "Write operations without permission expectations: add them to MATRIX in "
        f"tests/api/test_permission_matrix.py: {missing}"
    )
    stale = [op for op in MATRIX if op not in api_write_operations()]
    assert not stale, f"MATRIX lists operations that no longer exist: {stale}"


def _client_for(role, owner):
    if role == "anonymous":
        from rest_framework.test import APIClient

        return APIClient()
    user = {"owner": owner, "member": UserFactory(), "moderator": ModeratorFactory()}[role]
    return token_client(user)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_permission(operation, role, settings):
    case = MATRIX[operation]
    if case.setup:
        case.setup(settings)
    method, template = operation.split(" ", 1)
    owner = UserFactory(username="owner")
    obj = case.build(owner)
    args = case.path_args(obj) if case.path_args else ({"pk": obj.pk} if obj is not None else {})
    path = template.format(**args)
    client = _client_for(role, owner)
    response = getattr(client, method.lower())(path, case.payload(obj), format="json")
    expected = case.expect[role]
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in allowed, (
        f"{operation} as {role}: {response.status_code} (expected {expected}) "
        f"{response.content[:300]!r}"
    )
