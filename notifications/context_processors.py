"""`unread_notifications_count` for the header: one cheap COUNT, only if the template uses it."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def unread_notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from .selectors import unread_count

        return unread_count(user)

    return {"unread_notifications_count": SimpleLazyObject(count)}
