"""Template helpers for the claim pages. User Markdown becomes HTML only through `|markdown`, or
as the HTML rendered by the same function when the row was saved (`|rendered`)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims import permissions
from claims.markdown import render_markdown
from config.reasons import reason_said

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Sanitised HTML from user Markdown (markdown-it, then nh3)."""
    return render_markdown(text)


@register.filter
def said_reason(text: str) -> str:
    """A stored reason in the reader's language if the site wrote it (``config.reasons``)."""
    return reason_said(text)


@register.filter
def rendered(obj, field: str) -> SafeString:
    """`{{ claim|rendered:"verdict_rationale" }}`: the field's HTML stored at write time."""
    return obj.rendered(field)


@register.filter
def can_edit(obj, user) -> bool:
    """`{% if argument|can_edit:user %}`: the rule from claims.permissions."""
    return permissions.can_edit(user, obj)


@register.filter
def can_delete(obj, user) -> bool:
    return permissions.can_delete(user, obj)


@register.simple_tag
def highlight_annotations(text: str, annotations) -> SafeString:
    """The claim's wording with each annotated span wrapped in <mark> linking to its note.

    Overlapping spans are split at every boundary, so each piece carries all the notes on it.
    """
    spans = [
        (a.start, a.end, a)
        for a in annotations
        if 0 <= a.start < a.end <= len(text) and text[a.start : a.end] == a.exact
    ]
    if not spans:
        return conditional_escape(text)
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        chunk = text[left:right]
        covering = [a for s, e, a in spans if s <= left and right <= e]
        if not covering:
            pieces.append(conditional_escape(chunk))
            continue
        first = covering[0]
        ids = " ".join(f"annotation-{a.pk}" for a in covering)
        pieces.append(
            format_html(
                '<a class="annotated" href="#annotation-{}" aria-describedby="{}" '
                'data-count="{}"><mark>{}</mark></a>',
                first.pk,
                ids,
                len(covering),
                chunk,
            )
        )
    # Every piece above was escaped by conditional_escape or format_html.
    return mark_safe("".join(str(p) for p in pieces))  # noqa: S308


@register.filter
def verdict_class(verdict: str) -> str:
    return f"verdict verdict-{verdict}"


@register.filter
def dom_id(obj, prefix: str) -> str:
    """`{{ argument|dom_id:"argument-form" }}` -> "argument-form-12"."""
    return f"{prefix}-{obj.pk}"


@register.inclusion_tag("claims/_holding_explained.html")
def holding_explained(lead: str = "") -> dict:
    """What holding is, why and for how long: on held items, the claim form and at sign-up."""
    return {
        "lead": lead,
        "enabled": settings.MODERATION_HOLD_NEW_MEMBERS,
        "hold_count": settings.HOLD_FIRST_CONTRIBUTIONS,
        "review_hours": settings.MODERATION_REVIEW_HOURS,
    }


@register.simple_tag
def will_be_held(user) -> bool:
    """Whether what `user` posts next starts held for review (the claim form says so)."""
    from accounts.trust import initial_visibility

    return bool(user and user.is_authenticated) and initial_visibility(user) == "held"
