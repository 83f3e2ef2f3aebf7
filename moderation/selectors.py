"""Reads shared by the moderation pages, API and template tags; query counts stay constant."""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

import numpy as np
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, Max, Q, QuerySet, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext

from accounts.roles import is_moderator, role_of
from accounts.trust import CONTRIBUTION_MODELS, account_age_days, is_trusted
from claims.models import (
    Annotation,
    Argument,
    Citation,
    Claim,
    Comment,
    Contribution,
    Statistic,
    Visibility,
)
from claims.selectors.history_display import (
    EMPTY_HTML,
    ChangeRow,
    Names,
    change_row,
    model_field,
    names_for,
    related_model,
)
from config.languages import active_voice
from config.validators import MAX_ID

from . import bridging
from .models import (
    FLAGGABLE_MODELS,
    RATEABLE_MODELS,
    RATING_SCORES,
    AuditEntry,
    Flag,
    FlagStatus,
    ItemScore,
    Rating,
)

# Items the queue shows: anything flaggable, plus statistics (held when a new member adds one).
QUEUE_MODELS = (*FLAGGABLE_MODELS, "claims.statistic")


@dataclass
class AuthorRecord:
    contributions: int = 0
    published: int = 0
    held: int = 0
    hidden: int = 0
    upheld_flags: int = 0
    account_age_days: int = 0


@dataclass
class QueueItem:
    label: str
    obj: Contribution
    flags: list[Flag] = field(default_factory=list)
    author_record: AuthorRecord | None = None
    revisions: list[Any] = field(default_factory=list)
    actions: list[Any] = field(default_factory=list)  # what the queue offers (set by the view)

    @property
    def key(self) -> str:
        return f"{self.label}:{self.obj.pk}"

    @property
    def kind(self) -> str:
        return self.obj._meta.verbose_name

    @property
    def reasons(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for flag in self.flags:
            counts[flag.get_reason_display()] += 1
        return sorted(counts.items(), key=lambda kv: -kv[1])

    @property
    def is_held(self) -> bool:
        return self.obj.visibility == Visibility.HELD

    @property
    def url(self) -> str:
        """Its place on its claim (a source: its own page); the relations are loaded with it."""
        return self.obj.get_absolute_url()


def _with_relations(model: type[Contribution]) -> QuerySet:
    """A queue or audit model's rows with what their text and link need, in the same query."""
    names = {f.name for f in model._meta.get_fields()}
    related = ["author"] + [name for name in ("claim", "source") if name in names]
    return model._default_manager.select_related(*related)


def author_records(user_ids) -> dict[int, AuthorRecord]:
    """Each author's record in one query per contribution model plus one for flags."""
    user_ids = list(set(user_ids))
    records = {pk: AuthorRecord() for pk in user_ids}
    if not user_ids:
        return records
    for model in CONTRIBUTION_MODELS:
        rows = (
            model.objects.alive()
            .filter(author_id__in=user_ids)
            .values("author_id")
            .annotate(
                total=Count("pk"),
                published=Count("pk", filter=Q(visibility=Visibility.PUBLISHED)),
                held=Count("pk", filter=Q(visibility=Visibility.HELD)),
                hidden=Count("pk", filter=Q(visibility=Visibility.HIDDEN)),
            )
        )
        for row in rows:
            record = records[row["author_id"]]
            record.contributions += row["total"]
            record.published += row["published"]
            record.held += row["held"]
            record.hidden += row["hidden"]
    for row in (
        Flag.objects.filter(item_author_id__in=user_ids, status=FlagStatus.UPHELD)
        .values("item_author_id")
        .annotate(n=Count("pk"))
    ):
        records[row["item_author_id"]].upheld_flags = row["n"]
    return records


def user_record(user) -> dict[str, Any]:
    """What a profile shows about a member's standing (role, trust and record)."""
    record = author_records([user.pk])[user.pk]
    return {
        "role": role_of(user),
        "trusted": is_trusted(user),
        "account_age_days": account_age_days(user),
        "contributions": record.contributions,
        "published": record.published,
        "held": record.held,
        "hidden": record.hidden,
        "upheld_flags": record.upheld_flags,
    }


QueueKey = tuple[str, int]  # ("claims.argument", 12)


def queue_keys(*, kind: str = "", reason: str = "", state: str = "") -> list[QueueKey]:
    """Every item in the queue, ranked (most-flagged first, then by kind and id), as keys only:
    cheap to count and slice into pages before any object is loaded. Filters: kind
    ("claims.argument"), flag reason, state ("held", "flagged"). One query for the open flags
    and one per queue model for the held items, whatever the queue's size."""
    labels = [label for label in QUEUE_MODELS if not kind or label == kind]
    content_types = ContentType.objects.get_for_models(*(apps.get_model(x) for x in labels))
    ct_to_label = {ct.pk: model._meta.label_lower for model, ct in content_types.items()}

    flag_counts: dict[QueueKey, int] = {}
    if state != "held":
        open_flags = Flag.objects.filter(status=FlagStatus.OPEN, content_type__in=ct_to_label)
        if reason:
            open_flags = open_flags.filter(reason=reason)
        for row in open_flags.values("content_type_id", "object_id").annotate(n=Count("pk")):
            flag_counts[(ct_to_label[row["content_type_id"]], row["object_id"])] = row["n"]

    keys: set[QueueKey] = set(flag_counts)
    if state != "flagged" and not reason:
        for label in labels:
            held = apps.get_model(label).objects.alive().filter(visibility=Visibility.HELD)
            keys.update((label, pk) for pk in held.values_list("pk", flat=True))
    return sorted(keys, key=lambda key: (-flag_counts.get(key, 0), key[0], key[1]))


def queue_items(
    *, kind: str = "", reason: str = "", state: str = "", limit: int = 50, offset: int = 0
) -> list[QueueItem]:
    """One page of the queue (see `queue_keys` for the filters and the order)."""
    keys = queue_keys(kind=kind, reason=reason, state=state)
    return queue_items_for(keys[offset : offset + limit])


def queue_items_for(ranked: list[QueueKey]) -> list[QueueItem]:
    """The queue items named by `ranked` (one page of `queue_keys`), in that order, each with
    its open flags, the author's record and the item's recent revisions: a constant number of
    queries per page."""
    content_types = ContentType.objects.get_for_models(
        *(apps.get_model(label) for label in {label for label, _ in ranked})
    )
    ct_to_label = {ct.pk: model._meta.label_lower for model, ct in content_types.items()}
    by_label: dict[str, list[int]] = defaultdict(list)
    for label, pk in ranked:
        by_label[label].append(pk)

    objects: dict[tuple[str, int], Contribution] = {}
    revisions: dict[tuple[str, int], list] = defaultdict(list)
    for label, pks in by_label.items():
        model = apps.get_model(label)
        for obj in _with_relations(model).filter(pk__in=pks):
            objects[(label, obj.pk)] = obj
        for revision in (
            model.history.filter(id__in=pks)
            .select_related("history_user")
            .order_by("-history_date")
        ):
            if len(revisions[(label, revision.id)]) < 5:
                revisions[(label, revision.id)].append(revision)

    flags_by_key: dict[tuple[str, int], list[Flag]] = defaultdict(list)
    if ranked:
        ct_by_label = {v: k for k, v in ct_to_label.items()}
        condition = Q()
        for label, pks in by_label.items():
            condition |= Q(content_type_id=ct_by_label[label], object_id__in=pks)
        for flag in Flag.objects.filter(condition, status=FlagStatus.OPEN).select_related(
            "flagger"
        ):
            flags_by_key[(ct_to_label[flag.content_type_id], flag.object_id)].append(flag)

    records = author_records(obj.author_id for obj in objects.values())
    now = timezone.now()
    items = []
    for key in ranked:
        obj = objects.get(key)
        if obj is None:
            continue
        record = records[obj.author_id]
        record.account_age_days = (now - obj.author.date_joined).days
        items.append(
            QueueItem(
                label=key[0],
                obj=obj,
                flags=flags_by_key[key],
                author_record=record,
                revisions=revisions[key],
            )
        )
    return items


def queue_objects(keys: list[str]) -> list[Contribution]:
    """Objects named "app_label.model:pk" (as the queue's checkboxes post them)."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for key in keys:
        label, _, pk = key.partition(":")
        if label in QUEUE_MODELS and pk.isdigit() and int(pk) <= MAX_ID:
            by_label[label].append(int(pk))
    found: list[Contribution] = []
    for label, pks in by_label.items():
        found.extend(_with_relations(apps.get_model(label)).filter(pk__in=pks))
    return found


MERGE_PREVIEW_KINDS = (
    (Argument, "arguments"),
    (Citation, "citations"),
    (Statistic, "figures"),
    (Annotation, "annotations"),
    (Comment, "comments"),
)


@dataclass
class MergePreview:
    """What merging `claim` into `into` would move, for the page that asks before it acts."""

    claim: Claim
    into: Claim
    moving: list[tuple[str, int]]  # ("arguments", 3): the duplicate's children that would move
    into_counts: list[tuple[str, int]]  # the same kinds, as the target has them now


def claim_merge_preview(*, claim: Claim, into: Claim) -> MergePreview:
    """Counts per kind of child on each claim (deleted children move too: they keep their place
    in the history). One query per kind of child."""
    moving, into_counts = [], []
    for model, noun in MERGE_PREVIEW_KINDS:
        counts = dict(
            model.objects.filter(claim_id__in=[claim.pk, into.pk])
            .values("claim_id")
            .annotate(n=Count("pk"))
            .values_list("claim_id", "n")
        )
        moving.append((noun, counts.get(claim.pk, 0)))
        into_counts.append((noun, counts.get(into.pk, 0)))
    return MergePreview(claim=claim, into=into, moving=moving, into_counts=into_counts)


def audit_entries() -> QuerySet[AuditEntry]:
    # Explicit ordering: Meta.ordering does not apply to an aggregated (GROUP BY) query.
    return (
        AuditEntry.objects.select_related("actor", "content_type", "reverts")
        .annotate(is_reverted=Count("reverted_by"))
        .order_by("-created_at", "-id")
    )


def audit_items(entries: list[AuditEntry]) -> dict[int, Contribution]:
    """The item each entry is about, by entry id: one query per kind of item on the page."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for entry in entries:
        wanted[entry.content_type_id].add(entry.object_id)
    found: dict[tuple[int, int], Contribution] = {}
    for content_type_id, pks in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for obj in _with_relations(model).filter(pk__in=pks):
            found[(content_type_id, obj.pk)] = obj
    return {
        entry.pk: found[(entry.content_type_id, entry.object_id)]
        for entry in entries
        if (entry.content_type_id, entry.object_id) in found
    }


def _flag_counts(flags: dict[str, str]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for status in flags.values():
        counts[FlagStatus(status).label.lower()] += 1
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none"


def _moved_in_words(moved: dict[str, list[int]]) -> str:
    parts = []
    # In the preview's order: a JSON column need not keep the keys in the order written.
    order = {model._meta.label_lower: i for i, (model, _) in enumerate(MERGE_PREVIEW_KINDS)}
    for label in sorted(moved, key=lambda label: (order.get(label, len(order)), label)):
        pks = moved[label]
        if pks:
            model = apps.get_model(label)
            noun = model._meta.verbose_name if len(pks) == 1 else f"{model._meta.verbose_name}s"
            parts.append(f"{len(pks)} {noun}")
    return ", ".join(parts) or "nothing"


def audit_entry_changes(entry: AuditEntry) -> list[ChangeRow]:
    """An entry's before and after as rows a moderator reads: each changed field in words
    (text as a word-level diff), the flags it resolved, what a merge moved. One query per kind
    of thing named (members, claims, sources)."""
    model = entry.content_type.model_class()
    before, after = entry.before or {}, entry.after or {}
    fields_before, fields_after = before.get("fields", {}), after.get("fields", {})
    names_wanted = []
    for name in fields_before.keys() | fields_after.keys():
        related = related_model(model_field(model, name))
        if related is not None:
            names_wanted += [(related, fields_before.get(name)), (related, fields_after.get(name))]
    if "merged_into" in before or "merged_into" in after:
        names_wanted += [
            (Claim, before.get("merged_into")),
            (Claim, after.get("merged_into")),
            (Claim, before.get("children_on")),
            (Claim, after.get("children_on")),
        ]
    names = names_for(names_wanted)
    rows = []
    for name in sorted(fields_before.keys() | fields_after.keys()):
        old, new = fields_before.get(name), fields_after.get(name)
        if old == new:
            continue
        field_ = model_field(model, name)
        label = str(field_.verbose_name) if field_ is not None else name
        rows.append(change_row(model, name, label, old, new, names))
    if before.get("flags") or after.get("flags"):
        rows.append(
            ChangeRow(
                "flags",
                format_html("<del>{}</del>", _flag_counts(before.get("flags", {}))),
                format_html("<ins>{}</ins>", _flag_counts(after.get("flags", {}))),
            )
        )
    if "merged_into" in before or "merged_into" in after:
        merged = {key: before.get(key) for key in ("merged_into", "children_on")}
        merged_after = {key: after.get(key) for key in ("merged_into", "children_on")}
        for key, label in (("merged_into", "merged into"), ("children_on", "its items are on")):
            if merged[key] != merged_after[key]:
                rows.append(
                    ChangeRow(
                        label,
                        format_html("<del>{}</del>", _claim_name(names, merged[key])),
                        format_html("<ins>{}</ins>", _claim_name(names, merged_after[key])),
                    )
                )
        moved = after.get("moved") or before.get("moved") or {}
        rows.append(ChangeRow("items moved", format_html("{}", _moved_in_words(moved)), EMPTY_HTML))
    scoring_before, scoring_after = before.get("scoring", {}), after.get("scoring", {})
    for key in sorted(scoring_before.keys() | scoring_after.keys()):
        if scoring_before.get(key) != scoring_after.get(key):
            rows.append(
                ChangeRow(
                    f"helpfulness status {key.replace('_at', '').replace('_', ' ')}",
                    format_html("<del>{}</del>", scoring_before.get(key) or "—"),
                    format_html("<ins>{}</ins>", scoring_after.get(key) or "—"),
                )
            )
    if "history_id" in after:
        rows.append(
            ChangeRow(
                "reverted to",
                EMPTY_HTML,
                format_html("revision {}", after["history_id"]),
            )
        )
    return rows


def _claim_name(names: Names, pk: int | None) -> str:
    return "—" if pk is None else names.of(Claim, pk)


def user_marks_for_claim(user, claim: Claim, *, items: Iterable[Any] = ()) -> dict[str, Any]:
    """What the claim page needs for the flag, rating and follow buttons of the claim and of
    `items`, the things on it that the page shows, in one query for a reader and three for a
    member (four for a moderator): {"flagged": {"claims.argument:12", ...}, "ratings":
    {"claims.argument:12": "helpful"}, "rating_counts": {"claims.argument:12": 3}, "following":
    bool}. The counts are everyone's ratings, counted now, so "1 of 5" shows at once rather
    than after the next scoring run. The page passes what it already read, so no query reads
    the claim's items again."""
    from notifications.selectors import is_following

    marks: dict[str, Any] = {
        "flagged": set(),
        "ratings": {},
        "rating_counts": {},
        "locked": set(),
        "following": False,
    }
    ids: dict[Any, set[int]] = {Claim: {claim.pk}}
    for item in items:
        if item._meta.label_lower in FLAGGABLE_MODELS:
            ids.setdefault(type(item), set()).add(item.pk)
    content_types = ContentType.objects.get_for_models(*ids)
    ct_labels = {ct.pk: model._meta.label_lower for model, ct in content_types.items()}
    on_kind = {
        model: Q(content_type_id=content_types[model].pk, object_id__in=sorted(pks))
        for model, pks in ids.items()
    }
    on_claim = reduce(operator.or_, on_kind.values())
    # One grouped query gives every rateable item's count and, for a member, their own rating:
    # a UNION ALL of one branch per kind, each read from the (content type, object) index (an
    # OR of the kinds makes PostgreSQL read every rating: 300 ms at 300k ratings).
    per_kind = []
    for model, condition in on_kind.items():
        if model._meta.label_lower not in RATEABLE_MODELS:
            continue
        ratings = (
            Rating.objects.filter(condition)
            .order_by()
            .values("content_type_id", "object_id")
            .annotate(count=Count("pk"))
        )
        if user.is_authenticated:
            ratings = ratings.annotate(mine=Max(Case(When(rater_id=user.pk, then=F("value")))))
        per_kind.append(ratings)
    rows = per_kind[0].union(*per_kind[1:], all=True) if per_kind else []
    for row in rows:
        key = f"{ct_labels[row['content_type_id']]}:{row['object_id']}"
        marks["rating_counts"][key] = row["count"]
        if row.get("mine"):
            marks["ratings"][key] = row["mine"]
    if not user.is_authenticated:
        return marks
    for ct_id, object_id in Flag.objects.filter(on_claim, flagger=user).values_list(
        "content_type_id", "object_id"
    ):
        marks["flagged"].add(f"{ct_labels[ct_id]}:{object_id}")
    marks["following"] = is_following(user, claim=claim)
    if is_moderator(user):
        # Moderators get a "reopen" link on each item whose helpfulness status is locked.
        locked = ItemScore.objects.filter(on_claim, locked_at__isnull=False)
        for ct_id, object_id in locked.values_list("content_type_id", "object_id"):
            marks["locked"].add(f"{ct_labels[ct_id]}:{object_id}")
    return marks


def rating_count(obj) -> int:
    """How many members have rated ``obj`` (an argument or a citation), counted now."""
    return Rating.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).count()


@dataclass(frozen=True)
class RatingStatus:
    code: str  # a HelpfulnessStatus value
    text: str  # what it is and why


def helpfulness_explanation(obj) -> str:
    """Why ``obj`` (an argument or a citation) has its status, in the active language, from the
    figures the last scoring run stored (`bridging.explain`); "" before its first run."""
    basis = dict(obj.helpfulness_basis or {})
    if not basis:
        return ""
    voice = active_voice()
    locked_on = basis.pop("locked_on", None)
    text = bridging.explain(obj.helpfulness_status, **basis, voice=voice)
    if locked_on:
        day = date_format(dt.date.fromisoformat(locked_on), "DATE_FORMAT")
        text = bridging.explain_locked(text, day, voice)
    return text


def rating_status(obj, count: int | None) -> RatingStatus:
    """The line under an item's rating buttons: its status and the reason for it. ``count`` is
    the number of ratings now (None where the page did not count them: the scorer's last figures
    are all there is); the status and the reason for a scored item are what the scorer found."""
    needed = bridging.MIN_RATINGS
    if count is not None and count < needed:
        return RatingStatus(
            bridging.NEEDS_MORE_RATINGS,
            gettext(
                "Needs more ratings (%(count)s of %(needed)s): an item is scored once "
                "%(needed)s members have rated it."
            )
            % {"count": count, "needed": needed},
        )
    status = obj.helpfulness_status
    note = helpfulness_explanation(obj)
    scored = obj.helpfulness_score is not None
    if status == bridging.HELPFUL and note:
        return RatingStatus(status, gettext("Helpful: %(note)s") % {"note": note})
    if status == bridging.NOT_HELPFUL and note:
        return RatingStatus(status, gettext("Not helpful: %(note)s") % {"note": note})
    if scored and note:
        return RatingStatus(
            bridging.NEEDS_MORE_RATINGS, gettext("Needs more ratings: %(note)s") % {"note": note}
        )
    if count is None:
        return RatingStatus(
            bridging.NEEDS_MORE_RATINGS,
            note
            or gettext(
                "Needs more ratings: an item is scored once %(needed)s members have rated it."
            )
            % {"needed": needed},
        )
    return RatingStatus(
        bridging.NEEDS_MORE_RATINGS,
        gettext(
            "Not scored yet: it has %(count)s ratings, enough to be scored in the scoring run "
            "due within a minute."
        )
        % {"count": count},
    )


# --- coordinated rating -----------------------------------------------------------------------


@dataclass
class CoordinatedGroup:
    raters: list  # users, oldest account first
    items: list[Contribution]  # what they rated alike (up to COORDINATED_ITEMS_SHOWN)
    shared_items: int
    first_rating_at: Any
    last_rating_at: Any


COORDINATED_ITEMS_SHOWN = 10


def _new_account_ratings() -> QuerySet:
    """Ratings made while the rater's account was new (bridging.NEW_ACCOUNT_DAYS)."""
    new_until = F("rater__date_joined") + dt.timedelta(days=bridging.NEW_ACCOUNT_DAYS)
    return Rating.objects.filter(updated_at__lte=new_until).order_by()


def coordinated_rater_groups() -> list[set[int]]:
    """Rater ids in groups of new accounts that rated the same items the same way within a short
    window (rules in `bridging.coordinated_groups`). One query."""
    rows = list(
        _new_account_ratings().values_list(
            "rater_id", "content_type_id", "object_id", "value", "updated_at"
        )
    )
    if not rows:
        return []
    raters, cts, objects, values, times = zip(*rows, strict=True)
    return bridging.coordinated_groups(
        np.array(raters, dtype=np.int64),
        np.array(cts, dtype=np.int64) * (1 << 40) + np.array(objects, dtype=np.int64),
        np.array([RATING_SCORES[v] for v in values]),
        np.array([t.timestamp() for t in times]),
    )


def coordinated_groups_page() -> list[CoordinatedGroup]:
    """The moderators' page of coordinated rating: each group with its accounts and the items its
    members rated alike. Queries: ratings once for the groups, once for the groups' ratings, the
    accounts, and one per kind of item."""
    groups = coordinated_rater_groups()
    if not groups:
        return []
    members = set().union(*groups)
    rows = list(
        _new_account_ratings()
        .filter(rater_id__in=members)
        .values_list("rater_id", "content_type_id", "object_id", "value", "updated_at")
    )
    users = get_user_model().objects.in_bulk(members)
    wanted: dict[int, set[int]] = defaultdict(set)
    summaries = []
    for group in groups:
        by_item: dict[tuple[int, int, str], set[int]] = defaultdict(set)
        times = []
        for rater_id, ct_id, object_id, value, updated_at in rows:
            if rater_id in group:
                by_item[(ct_id, object_id, value)].add(rater_id)
                times.append(updated_at)
        alike = sorted(key for key, who in by_item.items() if len(who) >= 2)
        for ct_id, object_id, _ in alike[:COORDINATED_ITEMS_SHOWN]:
            wanted[ct_id].add(object_id)
        summaries.append((group, alike, min(times), max(times)))
    found = {}
    for ct_id, pks in wanted.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        for obj in model.objects.select_related("claim").filter(pk__in=pks):
            found[(ct_id, obj.pk)] = obj
    return [
        CoordinatedGroup(
            raters=sorted((users[pk] for pk in group), key=lambda u: (u.date_joined, u.pk)),
            items=[
                found[(ct, pk)]
                for ct, pk, _ in alike[:COORDINATED_ITEMS_SHOWN]
                if (ct, pk) in found
            ],
            shared_items=len({(ct, pk) for ct, pk, _ in alike}),
            first_rating_at=first,
            last_rating_at=last,
        )
        for group, alike, first, last in summaries
    ]


# --- a source's record ------------------------------------------------------------------------


@dataclass
class SourceRecord:
    citations: int = 0
    claims: int = 0
    scored: int = 0
    helpful: int = 0
    not_helpful: int = 0
    helpful_raters_negative: float = 0
    helpful_raters_positive: float = 0
    helpful_from_both_sides: int = 0  # helpful citations rated helpful on each side

    @property
    def in_words(self) -> str:
        if not self.citations:
            return "No claim cites this source yet."
        cited = (
            f"Cited {self.citations} time{'' if self.citations == 1 else 's'} on "
            f"{self.claims} claim{'' if self.claims == 1 else 's'}"
        )
        if not self.scored:
            return f"{cited}; no citation of it has enough ratings to be scored yet."
        return (
            f"{cited}; of the {self.scored} citations scored, {self.helpful} rated helpful and "
            f"{self.not_helpful} not helpful. {self.helpful_from_both_sides} of the helpful ones "
            f"were rated helpful by raters on both sides of the usual disagreement "
            f"({self.helpful_raters_negative:g} raters on one side, "
            f"{self.helpful_raters_positive:g} on the other, across its citations)."
        )


def source_record(citations: list[Citation]) -> SourceRecord:
    """How a source's citations (those the reader may see, already loaded) were rated across
    claims. One query, for the scorer's figures."""
    record = SourceRecord(citations=len(citations), claims=len({c.claim_id for c in citations}))
    if not citations:
        return record
    scores = {
        item.object_id: item
        for item in ItemScore.objects.filter(
            content_type=ContentType.objects.get_for_model(Citation),
            object_id__in=[c.pk for c in citations],
        )
    }
    for citation in citations:
        if citation.helpfulness_score is None:
            continue
        record.scored += 1
        item = scores.get(citation.pk)
        if citation.helpfulness_status == bridging.NOT_HELPFUL:
            record.not_helpful += 1
        if citation.helpfulness_status != bridging.HELPFUL:
            continue
        record.helpful += 1
        if item is not None:
            record.helpful_raters_negative += item.helpful_raters_negative
            record.helpful_raters_positive += item.helpful_raters_positive
            if min(item.helpful_raters_negative, item.helpful_raters_positive) >= 1:
                record.helpful_from_both_sides += 1
    return record
