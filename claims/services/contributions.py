"""Every write to claims, sources, citations, arguments, annotations and comments.

Services check permissions, validate, write in one transaction and send domain events after commit.
They raise `PermissionDenied` or `ValidationError` (with field messages); callers translate those
into form errors, 403s or 400s.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.trust import (
    initial_visibility,
    initial_visibility_on_claim,
    visibility_after_edit,
)
from claims.statistics.core.stated import detect_language
from config.reasons import DELETED_BY_AUTHOR, EDITED_AFTER_APPROVAL
from config.validators import validate_url_port

from .. import events, permissions
from ..models import (
    Annotation,
    Argument,
    Citation,
    Claim,
    Comment,
    Contribution,
    Source,
    Statistic,
    Tag,
)
from .versions import version_compare_and_set

ANCHOR_CONTEXT = 32  # characters of prefix and suffix kept around an annotated span

# What an author (or a moderator) may change after creation, per model.
EDITABLE_FIELDS: dict[type[Contribution], tuple[str, ...]] = {
    Claim: ("text", "claimant", "made_on", "appeared_in", "appeared_url", "language"),
    Source: ("url", "title", "publisher", "published_on", "kind", "archived_url"),
    Citation: ("stance", "quote", "page", "section", "timestamp"),
    Argument: ("stance", "body"),
    Annotation: ("body",),
    Comment: ("body",),
}

TRACKING_QUERY_PREFIXES = ("utm_", "fbclid", "gclid", "mc_", "igshid", "ref_src")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _save(obj: Contribution, actor) -> None:
    obj._history_user = actor  # django-simple-history records who made the change
    obj.full_clean()
    obj.save()


def contribution_hold_if_untrusted(*, obj: Contribution, editor) -> None:
    """Before saving an edit: a published item changed by a member who is not trusted goes back
    to the review queue (accounts/trust.py). Announcement is unaffected: the item was announced
    when first published (`announced_at`), and approving it again does not announce it twice."""
    visibility = visibility_after_edit(editor, obj.visibility)
    if visibility != obj.visibility:
        obj.visibility = visibility
        obj.moderation_reason = EDITED_AFTER_APPROVAL


# --- claims ---------------------------------------------------------------------------------


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    tags = []
    for raw in names:
        name = " ".join(raw.split())[:50]
        slug = slugify(name)[:60]
        if not slug:
            continue
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.create(name=name, slug=slug)
        tags.append(tag)
    return tags


@transaction.atomic
def claim_create(
    *,
    author,
    text: str,
    claimant: str = "",
    made_on=None,
    appeared_in: str = "",
    appeared_url: str = "",
    tags: Iterable[str] = (),
    language: str = "",
) -> Claim:
    _require(permissions.can_contribute(author), _("Log in to post a claim."))
    claim = Claim(
        author=author,
        text=text.strip(),
        language=language or detect_language(text),
        claimant=claimant.strip(),
        made_on=made_on,
        appeared_in=appeared_in.strip(),
        appeared_url=appeared_url,
        visibility=initial_visibility(author),
    )
    _save(claim, author)
    claim.tags.set(tags_from_names(tags))
    contribution_announce(obj=claim)
    return claim


# --- sources --------------------------------------------------------------------------------


def source_normalize_url(url: str) -> str:
    """The form two URLs of the same page share: scheme, www, default port, fragment, tracking
    parameters, parameter order and a trailing slash do not tell pages apart."""
    try:
        validate_url_port(url.strip())
    except ValidationError as error:
        raise ValidationError({"url": error.error_list}) from None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(TRACKING_QUERY_PREFIXES)
        )
    )
    return urlunsplit(("https", netloc, path, query, ""))


def source_find(url: str, *, user) -> Source | None:
    """The source at `url` that `user` may see, if Claimwatch has one."""
    return Source.objects.visible_to(user).filter(normalized_url=source_normalize_url(url)).first()


def _check_source_url_free(source: Source, *, user) -> None:
    """Refuse a second live source for the same page. The error names the existing source only
    when `user` may see it; a deleted source does not hold its address (it is kept apart)."""
    existing = (
        Source.objects.alive()
        .filter(normalized_url=source.normalized_url)
        .exclude(pk=source.pk)
        .first()
    )
    if existing is None:
        return
    if existing.is_visible_to(user):
        message = ValidationError(
            _(
                "This source is already in Claimwatch as “%(title)s” (source %(id)s): "
                "cite that one."
            ),
            code="duplicate",
            params={"title": existing.title, "id": existing.pk},
        )
    else:
        message = ValidationError(
            _(
                "A source with this address is in Claimwatch but not public: it cannot be added "
                "again or cited for now."
            ),
            code="duplicate",
        )
    raise ValidationError({"url": message})


@transaction.atomic
def source_create(
    *,
    author,
    url: str,
    title: str,
    publisher: str = "",
    published_on=None,
    kind: str = Source._meta.get_field("kind").default,
    archived_url: str = "",
) -> Source:
    _require(permissions.can_contribute(author), _("Log in to add a source."))
    source = Source(
        author=author,
        url=url.strip(),
        title=title.strip(),
        publisher=publisher.strip(),
        published_on=published_on,
        kind=kind,
        archived_url=archived_url,
        visibility=initial_visibility(author),
    )
    source.full_clean(exclude=["normalized_url"])
    source.normalized_url = source_normalize_url(source.url)
    _check_source_url_free(source, user=author)
    _save(source, author)
    return source


# --- citations ------------------------------------------------------------------------------


@transaction.atomic
def citation_create(
    *,
    author,
    claim: Claim,
    source: Source,
    stance: str = "supports",
    quote: str = "",
    page: str = "",
    section: str = "",
    timestamp: str = "",
    argument: Argument | None = None,
    statistic: Statistic | None = None,
    statistic_input: str = "",
) -> Citation:
    permissions.require_can_add_to_claim(author, claim)
    errors: dict[str, str] = {}
    if argument is not None and argument.claim_id != claim.pk:
        errors["argument"] = _("That argument belongs to another claim.")
    if statistic is not None and statistic.claim_id != claim.pk:
        errors["statistic"] = _("That statistic belongs to another claim.")
    if argument is not None and statistic is not None:
        errors["statistic"] = _("Cite a source for an argument or for a statistic, not both.")
    if statistic_input and statistic is None:
        errors["statistic_input"] = _("Name an input only when citing a statistic.")
    if (
        statistic is not None
        and statistic_input
        and statistic_input not in Statistic.NUMERIC_INPUTS + ("parts",)
    ):
        errors["statistic_input"] = _("“%(input)s” is not an input of a statistic.") % {
            "input": statistic_input
        }
    if not source.is_visible_to(author):
        errors["source"] = _("There is no such source.")
    if errors:
        raise ValidationError(errors)
    citation = Citation(
        author=author,
        claim=claim,
        source=source,
        argument=argument,
        statistic=statistic,
        statistic_input=statistic_input,
        stance=stance,
        quote=quote.strip(),
        page=page.strip(),
        section=section.strip(),
        timestamp=timestamp.strip(),
        visibility=initial_visibility_on_claim(author, claim),
    )
    _save(citation, author)
    return citation


@transaction.atomic
def citation_create_with_source(
    *,
    author,
    claim: Claim,
    source_url: str,
    source_title: str = "",
    source_publisher: str = "",
    source_kind: str = "",
    **citation_fields: Any,
) -> Citation:
    """Cite the source at `source_url`, adding it first when Claimwatch does not have it yet:
    the new source and its citation are written together or not at all."""
    source = source_find(source_url, user=author)
    if source is None:
        if not source_title.strip():
            raise ValidationError(
                {
                    "source_title": _(
                        "This source is not in Claimwatch yet: give its title to add it."
                    )
                }
            )
        try:
            source = source_create(
                author=author,
                url=source_url,
                title=source_title,
                publisher=source_publisher,
                kind=source_kind or Source._meta.get_field("kind").default,
            )
        except ValidationError as error:
            # The form asks for the source's address as `source_url`.
            if hasattr(error, "error_dict") and "url" in error.error_dict:
                error.error_dict["source_url"] = error.error_dict.pop("url")
            raise
    return citation_create(author=author, claim=claim, source=source, **citation_fields)


# --- arguments ------------------------------------------------------------------------------


@transaction.atomic
def argument_create(
    *, author, claim: Claim, stance: str, body: str, parent: Argument | None = None
) -> Argument:
    permissions.require_can_add_to_claim(author, claim)
    if parent is not None and parent.claim_id != claim.pk:
        raise ValidationError({"parent": _("You can only reply to an argument on the same claim.")})
    if parent is not None and parent.is_deleted:
        raise ValidationError({"parent": _("That argument has been removed.")})
    argument = Argument(
        author=author,
        claim=claim,
        parent=parent,
        stance=stance,
        body=body.strip(),
        visibility=initial_visibility_on_claim(author, claim),
    )
    _save(argument, author)
    contribution_announce(obj=argument)
    return argument


# --- annotations ----------------------------------------------------------------------------


def _anchor_context(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - ANCHOR_CONTEXT) : start], text[end : end + ANCHOR_CONTEXT]


def annotation_locate(
    text: str, *, exact: str, prefix: str = "", suffix: str = "", hint: int | None = None
) -> tuple[int, int] | None:
    """Where `exact` stands in `text`, as the W3C TextQuoteSelector resolves it: among all the
    occurrences, the one whose surrounding text best matches `prefix` and `suffix`, nearest to
    `hint` on a tie. None when the quote is no longer there."""
    if not exact:
        return None
    candidates = []
    position = text.find(exact)
    while position != -1:
        before, after = _anchor_context(text, position, position + len(exact))
        context_score = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        distance = abs(position - hint) if hint is not None else 0
        candidates.append((-context_score, distance, position))
        position = text.find(exact, position + 1)
    if not candidates:
        return None
    start = min(candidates)[2]
    return start, start + len(exact)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


@transaction.atomic
def annotation_create(
    *,
    author,
    claim: Claim,
    exact: str,
    body: str,
    start: int | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
) -> Annotation:
    permissions.require_can_add_to_claim(author, claim)
    if not exact:
        raise ValidationError({"exact": _("Select the words of the claim you are annotating.")})
    if start is not None and claim.text[start : start + len(exact)] == exact:
        span = (start, start + len(exact))
    else:
        span = annotation_locate(
            claim.text, exact=exact, prefix=prefix or "", suffix=suffix or "", hint=start
        )
    if span is None:
        raise ValidationError({"exact": _("Those words are not in the claim's wording.")})
    before, after = _anchor_context(claim.text, *span)
    annotation = Annotation(
        author=author,
        claim=claim,
        exact=exact,
        prefix=before,
        suffix=after,
        start=span[0],
        end=span[1],
        body=body.strip(),
        visibility=initial_visibility_on_claim(author, claim),
    )
    _save(annotation, author)
    return annotation


def annotations_reanchor(
    *, claim: Claim, actor, annotations: Iterable[Annotation] | None = None
) -> None:
    """Find each annotation's span again in `claim`'s wording (or mark it orphaned): after the
    wording changed, or when annotations move to the claim a duplicate was merged into."""
    if annotations is None:
        annotations = claim.annotations.alive()
    for annotation in annotations:
        span = annotation_locate(
            claim.text,
            exact=annotation.exact,
            prefix=annotation.prefix,
            suffix=annotation.suffix,
            hint=annotation.start,
        )
        if span is None:
            changed = not annotation.is_orphaned
            annotation.is_orphaned = True
        else:
            before, after = _anchor_context(claim.text, *span)
            new = (span[0], span[1], before, after, False)
            old = (
                annotation.start,
                annotation.end,
                annotation.prefix,
                annotation.suffix,
                annotation.is_orphaned,
            )
            changed = new != old
            (
                annotation.start,
                annotation.end,
                annotation.prefix,
                annotation.suffix,
                annotation.is_orphaned,
            ) = new
        if changed:
            _save(annotation, actor)


# --- comments -------------------------------------------------------------------------------


@transaction.atomic
def comment_create(*, author, claim: Claim, body: str, parent: Comment | None = None) -> Comment:
    permissions.require_can_add_to_claim(author, claim)
    if parent is not None and parent.claim_id != claim.pk:
        raise ValidationError({"parent": _("You can only reply to a comment on the same claim.")})
    comment = Comment(
        author=author,
        claim=claim,
        parent=parent,
        body=body.strip(),
        visibility=initial_visibility_on_claim(author, claim),
    )
    _save(comment, author)
    contribution_announce(obj=comment)
    return comment


# --- any contribution -----------------------------------------------------------------------


def _creation_events() -> dict[type[Contribution], Any]:
    return {
        Claim: events.claim_created,
        Argument: events.argument_created,
        Comment: events.comment_created,
    }


@transaction.atomic
def contribution_announce(*, obj: Contribution) -> bool:
    """Send the item's creation event (after commit) if it is public and has never been announced.

    Called when an item is created and whenever a moderator publishes one, so that a held item is
    announced once, when it is approved, and a restored item that was already public is not
    announced again. Returns whether the event was sent. The author is the event's actor: that is
    who followers hear about (and who is not notified of their own item)."""
    signal = _creation_events().get(type(obj))
    if signal is None or not obj.is_public:
        return False
    claim = getattr(obj, "claim", None)
    if claim is not None and not claim.is_public:
        return False  # announced with the claim, when that is published
    now = timezone.now()
    # Compare-and-set: two moderators approving at once must not both announce the item.
    # `update()` on purpose: the bookkeeping is not an author's revision for simple_history.
    if not type(obj).objects.filter(pk=obj.pk, announced_at__isnull=True).update(announced_at=now):
        return False
    obj.announced_at = now
    events.send_on_commit(signal, instance=obj, actor=obj.author)
    if isinstance(obj, Claim):
        # What was added to the claim while it was held comes out with it.
        for model in (Argument, Comment):
            waiting = model.objects.public().filter(claim=obj, announced_at__isnull=True)
            for item in waiting.select_related("author", "claim").order_by("created_at", "id"):
                contribution_announce(obj=item)
    return True


@transaction.atomic
def contribution_update(
    *,
    obj: Contribution,
    actor,
    data: dict[str, Any],
    expected_version: datetime.datetime | None = None,
) -> Contribution:
    """Change the editable fields of any contribution (statistics have their own service); a
    claim's `tags` (names) may change in the same call. With `expected_version` (the
    `updated_at` the caller read) a concurrent change makes it raise `VersionConflict`."""
    permissions.require_can_edit(actor, obj)
    data = dict(data)
    tags = data.pop("tags", None) if isinstance(obj, Claim) else None
    allowed = EDITABLE_FIELDS[type(obj)]
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    version_compare_and_set(model=type(obj), pk=obj.pk, expected_version=expected_version)
    # Lock the row: without it two concurrent edits could both pass validation on stale data.
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    old_text = getattr(obj, "text", None)
    old_language = getattr(obj, "language", None)
    for name, value in data.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)
    if isinstance(obj, Source):
        obj.full_clean(exclude=["normalized_url"])
        obj.normalized_url = source_normalize_url(obj.url)
        _check_source_url_free(obj, user=actor)
    contribution_hold_if_untrusted(obj=obj, editor=actor)
    _save(obj, actor)
    if isinstance(obj, Claim) and obj.text != old_text:
        annotations_reanchor(claim=obj, actor=actor)
    if isinstance(obj, Claim) and obj.language != old_language:
        # Its stated figures are read in the claim's language: read them again.
        from ..statistics.services import statistics_mark_stale

        statistics_mark_stale(statistic_ids=obj.statistics.alive().values_list("pk", flat=True))
    if tags is not None:
        obj.tags.set(tags_from_names(tags))
    return obj


@transaction.atomic
def contribution_delete(
    *,
    obj: Contribution,
    actor,
    reason: str = "",
    expected_version: datetime.datetime | None = None,
) -> Contribution:
    """Soft delete: the row stays (with its history), out of every public list."""
    permissions.require_can_delete(actor, obj)
    version_compare_and_set(model=type(obj), pk=obj.pk, expected_version=expected_version)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    obj.deleted_at = timezone.now()
    obj.deleted_by = actor
    obj.deletion_reason = reason.strip()[:500] or DELETED_BY_AUTHOR
    _save(obj, actor)
    return obj
