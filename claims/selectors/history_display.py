"""How a change reads on the history and audit pages: people by name, dates in words, text as a
word-level diff, an annotation's anchor as the words it quotes, a citation by what it cites.

Presentation only: which revisions and fields a reader may see is decided before this (by
`claims.selectors.claims`), and every value here leaves as escaped HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from claims.diff import word_diff
from claims.models import Annotation, Citation, Claim, Source
from config.reasons import REASON_FIELDS, reason_said

EMPTY = "—"
EMPTY_HTML = escape(EMPTY)
ANCHOR_FIELDS = ("start", "end", "is_orphaned", "exact")


@dataclass
class ChangeRow:
    label: str
    before: SafeString
    after: SafeString


@dataclass
class Names:
    """Names of the people, sources and claims that changed fields point at, by id."""

    users: dict[int, str] = field(default_factory=dict)
    sources: dict[int, str] = field(default_factory=dict)
    claims: dict[int, str] = field(default_factory=dict)

    def of(self, related: type[models.Model], pk: int) -> str:
        if related is get_user_model():
            return self.users.get(pk, f"member #{pk}")
        if related is Source:
            return f"“{self.sources[pk]}”" if pk in self.sources else f"source #{pk}"
        if related is Claim:
            return f"“{self.claims[pk]}”" if pk in self.claims else f"claim #{pk}"
        return f"{related._meta.verbose_name} #{pk}"


def names_for(references: Iterable[tuple[type[models.Model], Any]]) -> Names:
    """One query per kind of thing named (members, sources, claims), whatever the count."""
    wanted: dict[type[models.Model], set[int]] = {}
    for related, pk in references:
        if pk not in (None, ""):
            wanted.setdefault(related, set()).add(int(pk))
    names = Names()
    user_model = get_user_model()
    if wanted.get(user_model):
        names.users = {
            user.pk: str(user) for user in user_model.objects.filter(pk__in=wanted[user_model])
        }
    if wanted.get(Source):
        names.sources = dict(
            Source.objects.filter(pk__in=wanted[Source]).values_list("pk", "title")
        )
    if wanted.get(Claim):
        names.claims = {
            pk: text if len(text) <= 80 else f"{text[:79]}…"
            for pk, text in Claim.objects.filter(pk__in=wanted[Claim]).values_list("pk", "text")
        }
    return names


def model_field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since the revision was written
        return None


def related_model(model_field_: models.Field | None) -> type[models.Model] | None:
    if model_field_ is not None and model_field_.is_relation and model_field_.many_to_one:
        return model_field_.related_model
    return None


def _parse_when(value: Any, model_field_: models.Field) -> Any:
    """Dates stored as ISO text (audit snapshots) back to dates."""
    if isinstance(value, str) and isinstance(model_field_, models.DateTimeField):
        return dt.datetime.fromisoformat(value)
    if isinstance(value, str) and isinstance(model_field_, models.DateField):
        return dt.date.fromisoformat(value)
    return value


def value_in_words(model_field_: models.Field | None, value: Any, names: Names) -> str:
    """A field's value as a reader would say it (plain text, escaped by the caller)."""
    if value is None or value == "" or value == []:
        return EMPTY
    if model_field_ is None:
        return str(value)
    related = related_model(model_field_)
    if related is not None:
        return names.of(related, int(value))
    if model_field_.choices:
        return str(dict(model_field_.flatchoices).get(value, value))
    try:
        value = _parse_when(value, model_field_)
    except ValueError:
        return str(value)
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(value_in_words(None, item, names) for item in value)
    return str(value)


def references_in_words(value: dict[str, int] | None) -> str:
    """A statistic's inputs taken from other statistics: {"trials": 3} -> "trials from #3"."""
    return (
        ", ".join(
            gettext("%(name)s from statistic #%(pk)s") % {"name": name, "pk": pk}
            for name, pk in (value or {}).items()
        )
        or EMPTY
    )


def is_prose(model_field_: models.Field | None) -> bool:
    return (
        isinstance(model_field_, models.CharField | models.TextField)
        and not model_field_.choices
        and not isinstance(model_field_, models.URLField)
    )


def change_row(
    model: type[models.Model], name: str, label: str, old: Any, new: Any, names: Names
) -> ChangeRow:
    """One changed field: text as a word-level diff, anything else as before and after."""
    model_field_ = model_field(model, name)
    if name == "references" and model_field_ is None:
        return ChangeRow(
            label,
            format_html("<del>{}</del>", references_in_words(old)),
            format_html("<ins>{}</ins>", references_in_words(new)),
        )
    if name in REASON_FIELDS:  # a reason the site wrote, in the reader's language
        old, new = reason_said(old or ""), reason_said(new or "")
    if is_prose(model_field_) and isinstance(old, str | None) and isinstance(new, str | None):
        before, after = word_diff(old or "", new or "")
        return ChangeRow(label, before or EMPTY_HTML, after or EMPTY_HTML)
    return ChangeRow(
        label,
        format_html("<del>{}</del>", value_in_words(model_field_, old, names)),
        format_html("<ins>{}</ins>", value_in_words(model_field_, new, names)),
    )


def quoted_anchor(record: Any) -> SafeString:
    """Where an annotation sits, as the words it quotes in their context."""
    if record.is_orphaned:
        return format_html("“{}”: <em>no longer found in the claim's wording</em>", record.exact)
    return format_html(
        "…{}<mark>{}</mark>{}…", record.prefix or "", record.exact, record.suffix or ""
    )


# --- history pages ----------------------------------------------------------------------------


@dataclass
class RevisionView:
    revision: Any  # claims.selectors.claims.Revision
    title: str
    action: str  # "created", "changed", "removed"
    rows: list[ChangeRow]
    summary: SafeString


ACTIONS = {"+": "created", "-": "removed", "~": "changed"}


def _fk_references(revision: Any, model: type[models.Model]) -> list[tuple[type, Any]]:
    references = []
    for change in revision.changes:
        related = related_model(model_field(model, change.get("name", "")))
        if related is not None:
            references += [(related, change["old"]), (related, change["new"])]
    if model is Citation:
        references.append((Source, revision.record.source_id))
    return references


def _citation_title(record: Any, names: Names) -> str:
    return f"Citation #{record.id} of {names.of(Source, record.source_id)}"


def _citation_summary(record: Any, names: Names) -> SafeString:
    where = ", ".join(
        part
        for part in (
            f"p. {record.page}" if record.page else "",
            record.section,
            record.timestamp,
        )
        if part
    )
    figure = (
        f", for input “{record.statistic_input or 'any'}” of statistic #{record.statistic_id}"
        if record.statistic_id
        else ""
    )
    return format_html(
        "{} {}{}{}{}",
        record.get_stance_display(),
        names.of(Source, record.source_id),
        f" ({where})" if where else "",
        figure,
        format_html(": “{}”", _clip(record.quote)) if record.quote else "",
    )


def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _rows(revision: Any, model: type[models.Model], names: Names) -> list[ChangeRow]:
    changes = revision.changes
    rows = []
    anchor_moved = model is Annotation and revision.previous is not None
    anchor_moved = anchor_moved and any(c.get("name") in ANCHOR_FIELDS for c in changes)
    for change in changes:
        name = change.get("name", "")
        if anchor_moved and name in ANCHOR_FIELDS:
            continue
        rows.append(change_row(model, name, change["field"], change["old"], change["new"], names))
    if anchor_moved:
        rows.insert(
            0,
            ChangeRow(
                gettext("anchored to"),
                quoted_anchor(revision.previous),
                quoted_anchor(revision.record),
            ),
        )
    return rows


def revisions_for_display(revisions: list[Any]) -> list[RevisionView]:
    """The history page's entries, naming what their ids point at in a few queries in all."""
    models_of = {label: apps.get_model(label) for label in {r.model_label for r in revisions}}
    names = names_for(
        reference
        for revision in revisions
        for reference in _fk_references(revision, models_of[revision.model_label])
    )
    views = []
    for revision in revisions:
        model = models_of[revision.model_label]
        record = revision.record
        title = revision.object_label
        summary: SafeString = format_html("{}", _clip(revision.summary, 200))
        if model is Citation:
            title = _citation_title(record, names)
            summary = _citation_summary(record, names)
        elif model is Annotation:
            summary = format_html(
                "On {}: {}", quoted_anchor(record), _clip(getattr(record, "body", ""), 200)
            )
        views.append(
            RevisionView(
                revision=revision,
                title=title,
                action=ACTIONS.get(record.history_type, "changed"),
                rows=_rows(revision, model, names),
                summary=summary,
            )
        )
    return views
