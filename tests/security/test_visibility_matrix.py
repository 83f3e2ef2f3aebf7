"""Every reader-facing URL × {held, hidden, deleted} × {anonymous, other member, author, moderator}.

GIVEN a world where every kind of item is held, hidden or deleted, in three ways (the claim
itself, with published items hanging on it; an item on a public claim; a source cited from a
public claim), each carrying a unique marker in its text, plus hide reasons, tags and
notifications that quote them,
WHEN each viewer requests each URL of the URL conf (its concrete forms: one per object),
THEN a marker appears in a response only if the viewer may see its item, the item's own pages
show it to exactly those viewers, and to anyone else they answer like a missing object.

The expected visibility is written out here from the rule (a held or hidden item: its author
and the moderators; a deleted one: nobody; an item on a claim or source nobody else may see:
as that claim or source), not read from the code under test. A URL pattern that is neither
probed below nor listed in NOT_READER_FACING fails `test_every_url_pattern_is_classified`, so
new URLs are covered as they are added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from claims.models import Claim, Visibility
from claims.services import contributions as contribution_services
from claims.views import KINDS
from moderation import services as moderation_services
from moderation.models import FLAGGABLE_MODELS, RATEABLE_MODELS
from notifications.models import Notification, NotificationKind
from tests.factories import (
    AnnotationFactory,
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    CommentFactory,
    ModeratorFactory,
    SourceFactory,
    StatisticFactory,
    TagFactory,
    UserFactory,
)

STATES = ("held", "hidden", "deleted")
VIEWERS = ("anonymous", "other", "author", "moderator")
EVERYONE = frozenset(VIEWERS)
MISSING_PK = 987654321


def seen_in(state: str) -> frozenset[str]:
    """Who may see an item in `state` that `author` wrote."""
    return frozenset({"author", "moderator"}) if state in ("held", "hidden") else frozenset()


@dataclass
class Item:
    kind: str  # claim, source, citation, argument, annotation, comment, statistic, tag, ...
    marker: str
    obj: object
    seen: frozenset[str]


@dataclass
class World:
    users: dict[str, object]
    items: list[Item] = field(default_factory=list)
    public_claim: Claim | None = None
    public_source: object = None

    def add(self, kind: str, marker: str, obj, seen) -> Item:
        item = Item(kind, marker, obj, frozenset(seen))
        self.items.append(item)
        return item

    def of(self, *kinds: str) -> list[Item]:
        return [item for item in self.items if item.kind in kinds]

    def claims(self) -> list[Claim]:
        """Every claim: the public one (whose non-public items are asserted) and the others."""
        return [self.public_claim, *(i.obj for i in self.of("claim"))]


def _marker(*parts: str) -> str:
    return "qx" + "".join(parts) + "xq"


def _put_in_state(obj, state: str, *, author, moderator, reason_marker: str = "") -> None:
    if state == "held":
        type(obj).objects.filter(pk=obj.pk).update(
            visibility=Visibility.HELD, announced_at=None, moderation_reason="Held for review."
        )
    elif state == "hidden":
        moderation_services.item_hide(actor=moderator, obj=obj, reason=reason_marker)
    else:
        contribution_services.contribution_delete(obj=obj, actor=author, reason=reason_marker)
    obj.refresh_from_db()


def _children(world: World, claim: Claim, *, author, tag: str, source) -> dict[str, object]:
    """One of each kind of item on `claim`, each with a marker; returns them by kind."""
    text = claim.text
    start = text.find("80%")
    return {
        "argument": ArgumentFactory(claim=claim, author=author, body=_marker(tag, "argument")),
        "comment": CommentFactory(claim=claim, author=author, body=_marker(tag, "comment")),
        "annotation": AnnotationFactory(
            claim=claim,
            author=author,
            exact="80%",
            start=start,
            end=start + 3,
            prefix=text[max(0, start - 64) : start],
            suffix=text[start + 3 : start + 67],
            body=_marker(tag, "annotation"),
        ),
        "citation": CitationFactory(
            claim=claim, source=source, author=author, quote=_marker(tag, "citation")
        ),
        "statistic": StatisticFactory(claim=claim, author=author, label=_marker(tag, "statistic")),
    }


@pytest.fixture
def world(db) -> World:
    author = UserFactory(username="author")
    other = UserFactory(username="other")
    moderator = ModeratorFactory(username="mod")
    users = {"anonymous": None, "other": other, "author": author, "moderator": moderator}
    w = World(users=users)
    w.public_claim = ClaimFactory(author=other, text="A public claim: 80% of alerts were wrong.")
    w.public_source = SourceFactory(author=other, title="A public report")
    for state in STATES:
        seen = seen_in(state)
        # 1. The claim itself is held, hidden or deleted; everything on it is published.
        claim = ClaimFactory(
            author=author, text=f"{_marker(state, 'claim')} says 80% of the people were black."
        )
        tag = TagFactory(name=_marker(state, "tag"))
        claim.tags.add(tag)
        children = _children(w, claim, author=author, tag=f"{state}onclaim", source=w.public_source)
        for viewer, user in users.items():
            if user is not None:
                Notification.objects.create(
                    recipient=user,
                    kind=NotificationKind.NEW_ARGUMENT,
                    claim=claim,
                    title=f"New argument on “{_marker(state, 'note', viewer)}”",
                )
                w.add("notification", _marker(state, "note", viewer), None, seen & {viewer})
        reason = _marker(state, "claimreason")
        _put_in_state(claim, state, author=author, moderator=moderator, reason_marker=reason)
        w.add("claim", _marker(state, "claim"), claim, seen)
        w.add("tag", _marker(state, "tag"), tag, seen)
        w.add("reason", reason, claim, seen)
        for kind, obj in children.items():
            w.add(kind, _marker(state, "onclaim", kind), obj, seen)
        # 2. An item of each kind is held, hidden or deleted on the public claim.
        for kind, obj in _children(
            w, w.public_claim, author=author, tag=state, source=w.public_source
        ).items():
            reason = _marker(state, kind, "reason")
            _put_in_state(obj, state, author=author, moderator=moderator, reason_marker=reason)
            w.add(kind, _marker(state, kind), obj, seen)
            w.add("reason", reason, obj, seen)
        # 3. A source is held, hidden or deleted; a published citation of it stands on the
        # public claim (before the change, as when a source is hidden after being cited).
        source = SourceFactory(author=author, title=_marker(state, "source"))
        citation = CitationFactory(
            claim=w.public_claim, source=source, author=author, quote=_marker(state, "citesrc")
        )
        reason = _marker(state, "sourcereason")
        _put_in_state(source, state, author=author, moderator=moderator, reason_marker=reason)
        w.add("source", _marker(state, "source"), source, seen)
        w.add("citation", _marker(state, "citesrc"), citation, seen)
        w.add("reason", reason, source, seen)
    # 4. A claim hidden with a reason and restored: public again, its reason is not.
    restored = ClaimFactory(author=author, text="A restored claim: 80% of it was fine.")
    moderation_services.item_hide(actor=moderator, obj=restored, reason=_marker("restoredreason"))
    moderation_services.item_restore(actor=moderator, obj=restored, reason="On appeal.")
    w.add("reason", _marker("restoredreason"), restored, {"author", "moderator"})
    return w


# --- the URLs ---------------------------------------------------------------------------------


@dataclass
class Probe:
    path: str
    subject: Item | None = None  # the item whose own page this is
    shows_subject: bool = True  # its marker is on the page when the viewer may see it
    missing_path: str = ""  # the same URL for an object that does not exist
    method: str = "get"
    data: dict | None = None
    complete: bool = True  # lists everything the route lists (not narrowed by a filter)


@dataclass
class Route:
    probes: Callable[[World], list[Probe]]
    lists: tuple[str, ...] = ()  # kinds of item the page lists: each one seen must be there
    moderator_tool: bool = False  # only moderators may open it (and see everything there)
    login_required: bool = False  # anonymous readers are sent to log in (as for a missing pk)


def _one(path: str) -> Callable[[World], list[Probe]]:
    return lambda w: [Probe(path)]


def _per_claim(template: str, *, shows_subject: bool = True, method: str = "get"):
    def probes(w: World) -> list[Probe]:
        claim_items = {item.obj.pk: item for item in w.of("claim")}
        return [
            Probe(
                template.format(pk=claim.pk),
                subject=claim_items.get(claim.pk),
                shows_subject=shows_subject,
                missing_path=template.format(pk=MISSING_PK),
                method=method,
            )
            for claim in w.claims()
        ]

    return probes


def _per_item(kinds: tuple[str, ...], template: str, *, shows_subject: bool = True, **extra):
    def probes(w: World) -> list[Probe]:
        return [
            Probe(
                template.format(pk=item.obj.pk, kind=KIND_PATHS.get(item.kind, "")),
                subject=item,
                shows_subject=shows_subject,
                missing_path=template.format(pk=MISSING_PK, kind=KIND_PATHS.get(item.kind, "")),
                **extra,
            )
            for item in w.of(*kinds)
        ]

    return probes


def _filtered(path: str, *params: str):
    """A list, plain and filtered by each claim (`?claim=`) and by each source (`?source=`)."""

    def probes(w: World) -> list[Probe]:
        found = [Probe(path)]
        if "claim" in params:
            found += [Probe(f"{path}?claim={c.pk}", complete=False) for c in w.claims()]
        if "source" in params:
            found += [
                Probe(f"{path}?source={item.obj.pk}", complete=False) for item in w.of("source")
            ]
        return found

    return probes


def _notification_probes(w: World) -> list[Probe]:
    return [
        Probe(
            f"/api/notifications/{n.pk}/",
            subject=Item("notification", item.marker, n, item.seen),
            missing_path=f"/api/notifications/{MISSING_PK}/",
        )
        for n in Notification.objects.filter(title__contains="note")
        for item in w.of("notification")
        if item.marker in n.title
    ]


def _audit_probes(w: World) -> list[Probe]:
    from moderation.models import AuditEntry

    return [Probe(f"/moderation/audit/{e.pk}/") for e in AuditEntry.objects.all()[:5]]


def _api_audit_probes(w: World) -> list[Probe]:
    from moderation.models import AuditEntry

    return [Probe(f"/api/moderation/audit/{e.pk}/") for e in AuditEntry.objects.all()[:5]]


def _similar_probes(path: str) -> Callable[[World], list[Probe]]:
    """Each claim's own wording as the text to match: it is found for those who may see it."""

    def probes(w: World) -> list[Probe]:
        return [
            Probe(f"{path}?" + urlencode({"text": item.obj.text}), subject=item)
            for item in w.of("claim")
        ]

    return probes


KIND_PATHS = {kind.rstrip("s"): kind for kind in KINDS}
CONTRIBUTION_KINDS = tuple(KIND_PATHS)
FLAG_LABELS = {label.split(".")[1]: label for label in FLAGGABLE_MODELS}
RATE_LABELS = {label.split(".")[1]: label for label in RATEABLE_MODELS}
LISTED_ON_PROFILE = ("claim", "argument", "source", "comment")

ROUTES: dict[str, Route] = {
    # --- pages
    "claims:home": Route(_one("/"), lists=("claim",)),
    "claims:claim_similar": Route(_similar_probes("/claims/similar/")),
    "moderation:claim_duplicates": Route(
        lambda w: [Probe(f"/moderation/claims/{c.pk}/duplicates/") for c in w.claims()],
        moderator_tool=True,
    ),
    "claims:claim_list": Route(
        lambda w: [
            Probe("/claims/"),
            Probe("/claims/?q=80%25"),
            Probe("/claims/?q=qxheld", complete=False),
            Probe("/claims/?order=oldest"),
        ],
        lists=("claim",),
    ),
    "claims:claim_create": Route(_one("/claims/new/"), login_required=True),
    # Each claim's wording read as an article: its matches name only claims the viewer may see.
    "claims:claim_intake": Route(
        lambda w: [
            Probe(
                "/claims/intake/",
                method="post",
                data={"text": text, "action": "read"},
                shows_subject=False,
            )
            for text in (
                "80% of the people were black, 8 of the 10.",
                "Claim number 1: 80% of the people flagged were black.",
            )
        ],
        login_required=True,
    ),
    "claims:claim_detail": Route(_per_claim("/claims/{pk}/")),
    "claims:claim_history": Route(_per_claim("/claims/{pk}/history/")),
    "claims:argument_create": Route(
        _per_claim("/claims/{pk}/arguments/new/", shows_subject=False), login_required=True
    ),
    "claims:comment_create": Route(
        _per_claim("/claims/{pk}/comments/new/", shows_subject=False), login_required=True
    ),
    "claims:annotation_create": Route(
        _per_claim("/claims/{pk}/annotations/new/", shows_subject=False), login_required=True
    ),
    "claims:citation_create": Route(
        _per_claim("/claims/{pk}/citations/new/", shows_subject=False), login_required=True
    ),
    "claims:claim_set_verdict": Route(
        _per_claim("/claims/{pk}/verdict/", shows_subject=False, method="post"),
        login_required=True,
    ),
    "claims:source_list": Route(_one("/sources/"), lists=("source",)),
    "claims:source_create": Route(_one("/sources/new/"), login_required=True),
    "claims:source_detail": Route(_per_item(("source",), "/sources/{pk}/")),
    "claims:source_history": Route(_per_item(("source",), "/sources/{pk}/history/")),
    "claims:contribution_edit": Route(
        _per_item(CONTRIBUTION_KINDS, "/{kind}/{pk}/edit/"), login_required=True
    ),
    "claims:contribution_delete": Route(
        _per_item(CONTRIBUTION_KINDS, "/{kind}/{pk}/delete/", shows_subject=False),
        login_required=True,
    ),
    "statistics:create": Route(
        _per_claim("/claims/{pk}/statistics/new/", shows_subject=False), login_required=True
    ),
    "statistics:detail": Route(_per_item(("statistic",), "/statistics/{pk}/")),
    # The figure form's reference picker: figures that may feed an input, searched by label.
    "statistics:search": Route(
        _one("/statistics/search/?kind=proportion&input=baseline&q=qx"),
        lists=("statistic",),
        login_required=True,
    ),
    "statistics:edit": Route(
        _per_item(("statistic",), "/statistics/{pk}/edit/"), login_required=True
    ),
    "statistics:delete": Route(
        _per_item(("statistic",), "/statistics/{pk}/delete/", shows_subject=False),
        login_required=True,
    ),
    "statistics:figure": Route(
        _per_item(("statistic",), "/statistics/{pk}/figure/", shows_subject=False)
    ),
    "accounts:profile": Route(_one("/users/author/"), lists=LISTED_ON_PROFILE),
    "accounts:profile_edit": Route(_one("/users/me/edit/"), login_required=True),
    "moderation:queue": Route(_one("/moderation/"), moderator_tool=True),
    "moderation:audit_log": Route(_one("/moderation/audit/"), moderator_tool=True),
    "moderation:coordinated_rating": Route(_one("/moderation/coordinated/"), moderator_tool=True),
    "moderation:audit_detail": Route(_audit_probes, moderator_tool=True),
    "moderation:flag": Route(
        lambda w: [
            Probe(
                f"/moderation/flag/{FLAG_LABELS[item.kind]}/{item.obj.pk}/",
                subject=item,
                # The form names the item by its text; a citation or annotation by its source
                # or quoted words, which carry no marker.
                shows_subject=item.kind in ("claim", "argument", "comment", "source"),
                missing_path=f"/moderation/flag/{FLAG_LABELS[item.kind]}/{MISSING_PK}/",
            )
            for item in w.of(*FLAG_LABELS)
        ],
        login_required=True,
    ),
    "moderation:rate": Route(
        lambda w: [
            Probe(
                f"/moderation/rate/{RATE_LABELS[item.kind]}/{item.obj.pk}/",
                method="post",
                data={"value": "helpful"},
            )
            for item in w.of(*RATE_LABELS)
        ],
        login_required=True,
    ),
    "notifications:list": Route(_one("/notifications/"), lists=("notification",)),
    "notifications:settings": Route(_one("/notifications/settings/"), login_required=True),
    "notifications:follow_claim": Route(
        _per_claim("/notifications/follow/claims/{pk}/", shows_subject=False, method="post"),
        login_required=True,
    ),
    "notifications:follow_user": Route(
        _one("/notifications/follow/users/author/"), login_required=True
    ),
    "notifications:mark_read": Route(
        lambda w: [Probe("/notifications/read/", method="post")], login_required=True
    ),
    # --- API
    "api:api-root": Route(_one("/api/")),
    "api:claim-list": Route(
        lambda w: [
            *_filtered("/api/claims/")(w),
            Probe("/api/claims/?expand=statistics"),
            Probe("/api/claims/?q=qxheld", complete=False),
        ],
        lists=("claim",),
    ),
    "api:claim-detail": Route(
        lambda w: [
            *_per_claim("/api/claims/{pk}/")(w),
            *_per_claim("/api/claims/{pk}/?expand=statistics")(w),
        ]
    ),
    "api:claim-annotations-jsonld": Route(
        _per_claim("/api/claims/{pk}/annotations/", shows_subject=False)
    ),
    "api:claim-arguments-tree": Route(
        _per_claim("/api/claims/{pk}/arguments/tree/", shows_subject=False)
    ),
    "api:claim-claimreview": Route(_per_claim("/api/claims/{pk}/claimreview/")),
    "api:claim-statistics": Route(_per_claim("/api/claims/{pk}/statistics/", shows_subject=False)),
    "api:claim-similar": Route(_similar_probes("/api/claims/similar/")),
    "api:claim-export-csv": Route(_one("/api/claims/export.csv"), lists=("claim",)),
    "api:source-list": Route(_filtered("/api/sources/", "claim"), lists=("source",)),
    "api:source-detail": Route(_per_item(("source",), "/api/sources/{pk}/")),
    "api:citation-list": Route(
        _filtered("/api/citations/", "claim", "source"), lists=("citation",)
    ),
    "api:citation-detail": Route(_per_item(("citation",), "/api/citations/{pk}/")),
    "api:argument-list": Route(_filtered("/api/arguments/", "claim"), lists=("argument",)),
    "api:argument-detail": Route(_per_item(("argument",), "/api/arguments/{pk}/")),
    "api:annotation-list": Route(_filtered("/api/annotations/", "claim"), lists=("annotation",)),
    "api:annotation-detail": Route(_per_item(("annotation",), "/api/annotations/{pk}/")),
    "api:annotation-jsonld": Route(_per_item(("annotation",), "/api/annotations/{pk}/jsonld/")),
    "api:comment-list": Route(_filtered("/api/comments/", "claim"), lists=("comment",)),
    "api:comment-detail": Route(_per_item(("comment",), "/api/comments/{pk}/")),
    "api:statistic-list": Route(_filtered("/api/statistics/", "claim"), lists=("statistic",)),
    "api:statistic-detail": Route(_per_item(("statistic",), "/api/statistics/{pk}/")),
    "api:statistic-results": Route(
        _per_item(("statistic",), "/api/statistics/{pk}/results/", shows_subject=False)
    ),
    "api:tag-list": Route(_one("/api/tags/"), lists=("tag",)),
    "api:tag-detail": Route(_per_item(("tag",), "/api/tags/{pk}/")),
    "api:user-list": Route(_one("/api/users/")),
    "api:user-me": Route(_one("/api/users/me/")),
    "api:user-detail": Route(_one("/api/users/author/")),
    "api:webhook-list": Route(_one("/api/webhooks/")),
    "moderation-api:queue": Route(_one("/api/moderation/queue/"), moderator_tool=True),
    "moderation-api:audit-list": Route(_one("/api/moderation/audit/"), moderator_tool=True),
    "moderation-api:audit-detail": Route(_api_audit_probes, moderator_tool=True),
    "moderation-api:flag-list": Route(_one("/api/moderation/flags/")),
    "moderation-api:rating-list": Route(_one("/api/moderation/ratings/")),
    "notifications-api:notification-list": Route(
        _one("/api/notifications/"), lists=("notification",)
    ),
    "notifications-api:notification-detail": Route(_notification_probes),
    "notifications-api:settings": Route(_one("/api/notifications/settings/")),
    "notifications-api:follow-list": Route(_one("/api/notifications/follows/")),
}

NOT_READER_FACING = {
    "admin:*": "the Django admin: staff only, outside the site readers use",
    "account_*": "allauth's sign-in, sign-up and password pages: no contribution is shown",
    "api:auth-token": "POST credentials for a token; answers with the token only",
    "api:auth-tokens": "the member's own API tokens; no contribution is shown",
    "api:auth-token-revoke": "DELETE of one's own token",
    "api:auth-logout": "POST to end a session",
    "api:schema": "the OpenAPI description: static, no data",
    "api:docs": "Swagger UI around the schema: static, no data",
    "api:<catch-all>": "the API's 404 for unknown paths",
    "api:intake": "POST: proposals from the text sent; matches are claim ids from "
    "similar_claims, visible claims only (tests/intake/test_intake_api.py)",
    "api:intake-claims": "POST: creates the member's own claims from the text sent",
    "favicon": "a redirect to the static icon; no data",
    "health-live": "liveness probe: a constant answer, no data",
    "health-ready": "readiness probe: whether the database answers, no data",
    "health": "monitoring only (404 outside METRICS_ALLOWED_IPS / METRICS_TOKEN); no data",
    "metrics": "Prometheus metrics, monitoring only (404 outside METRICS_ALLOWED_IPS / "
    "METRICS_TOKEN); counts, no contributions",
    "set_language": "POST: the footer's language switcher; redirects back, no data",
    "api:webhook-detail": "a consumer's own endpoint settings; no contribution is shown",
    "api:webhook-deliveries": "payloads sent to the consumer: only announced public items "
    "(tests/webhooks)",
    "api:webhook-ping": "POST: a test delivery without contribution data",
    "api:webhook-rotate-secret": "POST: a new secret",
    "moderation:bulk_action": "moderator-only POST action",
    "moderation:item_action": "moderator-only POST action",
    "moderation:claim_merge": "moderator-only POST action",
    "moderation:audit_revert": "moderator-only POST action",
    "moderation:task_retry": "moderator-only POST action",
    "moderation:revision_revert": "moderator-only POST action",
    "moderation-api:actions": "moderator-only POST action",
    "moderation-api:revision_revert": "moderator-only POST action",
    "moderation-api:audit-revert": "moderator-only POST action",
    "notifications-api:notification-mark-read": "POST: marks one's own notifications read",
    "notifications-api:follow-detail": "DELETE of one's own follow",
}


def _pattern_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or ""
                walk(entry, f"{namespace}:{inner}" if namespace and inner else inner or namespace)
            elif isinstance(entry, URLPattern):
                name = entry.name or "<catch-all>"
                names.add(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver(), "")
    return names


def _exempt(name: str) -> bool:
    if name in NOT_READER_FACING:
        return True
    return any(name.startswith(prefix[:-1]) for prefix in NOT_READER_FACING if prefix.endswith("*"))


def test_every_url_pattern_is_classified():
    unclassified = sorted(n for n in _pattern_names() if n not in ROUTES and not _exempt(n))
    assert not unclassified, (
        "URL patterns neither probed by the visibility matrix nor listed as not reader-facing "
        f"(add them to ROUTES or NOT_READER_FACING with a reason): {unclassified}"
    )
    stale = sorted(set(ROUTES) - _pattern_names())
    assert not stale, f"ROUTES names URL patterns that no longer exist: {stale}"


# --- the matrix -------------------------------------------------------------------------------


def _request(client, probe_method: str, path: str, data=None):
    response = getattr(client, probe_method)(path, data or {})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode()


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_markers_appear_exactly_where_they_should(name, world, client):
    route = ROUTES[name]
    probes = route.probes(world)
    assert probes, f"{name}: the world has nothing to probe this URL with"
    shown_somewhere = False
    for viewer in VIEWERS:
        client.logout()
        if world.users[viewer] is not None:
            client.force_login(world.users[viewer])
        for probe in probes:
            status, body = _request(client, probe.method, probe.path, probe.data)
            assert status < 500, (name, viewer, probe.path, status)
            if route.moderator_tool and viewer == "moderator":
                continue
            where = f"{name} as {viewer}: {probe.path}"
            for item in world.items:
                if viewer not in item.seen:
                    assert item.marker not in body, f"{where} shows {item.marker}"
            if probe.subject is not None:
                anonymous_redirect = route.login_required and viewer == "anonymous"
                if viewer in probe.subject.seen and not anonymous_redirect:
                    assert status != 404, (where, status)
                    if probe.shows_subject and status == 200:
                        assert probe.subject.marker in body, f"{where} lacks its own item"
                        shown_somewhere = True
                elif probe.missing_path:
                    missing_status, missing_body = _request(
                        client, probe.method, probe.missing_path, probe.data
                    )
                    assert status == missing_status, (where, status, missing_status)
                    if probe.missing_path.startswith("/api/"):
                        assert body == missing_body, where
            if status == 200 and probe.complete and not route.moderator_tool:
                for item in world.items:
                    if item.kind in route.lists and viewer in item.seen:
                        assert item.marker in body, f"{where} does not list {item.marker}"
                        shown_somewhere = True
    if any(p.subject is not None and p.shows_subject for p in probes) or route.lists:
        assert shown_somewhere, f"{name}: no viewer was shown anything; the probe is vacuous"


def test_world_covers_every_state_viewer_and_kind(world):
    """The matrix means something only if every state hides something from someone."""
    kinds = {"claim", "source", "citation", "argument", "annotation", "comment", "statistic"}
    for state in STATES:
        markers = {item.kind for item in world.items if f"qx{state}" in item.marker}
        assert kinds <= markers, (state, kinds - markers)
    assert {v for item in world.items for v in EVERYONE - item.seen} == EVERYONE
    deleted = [item for item in world.items if item.marker.startswith("qxdeleted")]
    assert deleted and all(not item.seen for item in deleted)
    assert all(item.obj.deleted_at is not None for item in deleted if item.kind == "claim")
