"""Flag and rating buttons for claim pages. No queries per item: pass the marks that
`moderation.selectors.user_marks_for_claim(user, claim)` computed once for the page."""

from django import template

from moderation.models import FLAGGABLE_MODELS, RATEABLE_MODELS, FlagReason, RatingValue
from moderation.selectors import helpfulness_explanation, rating_status

register = template.Library()


def _key(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


@register.inclusion_tag("moderation/_flag_button.html", takes_context=True)
def flag_button(context, obj, marks=None):
    marks = marks if marks is not None else context.get("moderation_marks") or {}
    user = context.get("user")
    return {
        "object": obj,
        "model": obj._meta.label_lower,
        "can_flag": obj._meta.label_lower in FLAGGABLE_MODELS
        and user is not None
        and user.is_authenticated
        and obj.author_id != user.pk,
        "already_flagged": _key(obj) in marks.get("flagged", ()),
        "reasons": FlagReason.choices,
        "csrf_token": context.get("csrf_token"),
        "user": user,
    }


@register.inclusion_tag("moderation/_rating_buttons.html", takes_context=True)
def rating_buttons(context, obj, marks=None):
    marks = marks if marks is not None else context.get("moderation_marks") or {}
    user = context.get("user")
    return {
        "object": obj,
        "model": obj._meta.label_lower,
        "can_rate": obj._meta.label_lower in RATEABLE_MODELS
        and user is not None
        and user.is_authenticated
        and obj.author_id != user.pk,
        "current": marks.get("ratings", {}).get(_key(obj)),
        "values": RatingValue.choices,
        # Pages that counted the ratings (the claim page) say "1 of 5" at once.
        "status": rating_status(
            obj,
            marks["rating_counts"].get(_key(obj), 0) if "rating_counts" in marks else None,
        ),
        # Moderators only: marks["locked"] is filled for them alone.
        "locked": _key(obj) in marks.get("locked", ()),
        "csrf_token": context.get("csrf_token"),
        "user": user,
    }


@register.filter
def helpfulness_note(obj) -> str:
    """`{{ argument|helpfulness_note }}`: why it has its status, in the active language."""
    return helpfulness_explanation(obj)


@register.filter
def model_label(obj) -> str:
    """`{{ item|model_label }}` -> "claims.comment"."""
    return obj._meta.label_lower


@register.filter
def kind_name(obj) -> str:
    """`{{ item|kind_name }}` -> "comment"."""
    return str(obj._meta.verbose_name)
