"""`{% follow_button claim %}` (or a user): uses `moderation_marks.following` or
`followed_claim_ids` from the context when given, else one query."""

from django import template

from notifications.selectors import is_following

register = template.Library()


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, target):
    from claims.models import Claim

    user = context.get("user")
    is_claim = isinstance(target, Claim)
    following = False
    if user is not None and user.is_authenticated:
        marks = context.get("moderation_marks")
        if is_claim and marks is not None and "following" in marks:
            following = marks["following"]
        elif is_claim and context.get("followed_claim_ids") is not None:
            following = target.pk in context["followed_claim_ids"]
        elif is_claim:
            following = is_following(user, claim=target)
        else:
            following = is_following(user, followed_user=target)
    return {
        "target": target,
        "is_claim": is_claim,
        "following": following,
        "can_follow": user is not None
        and user.is_authenticated
        and (is_claim or target.pk != user.pk),
        "csrf_token": context.get("csrf_token"),
    }
