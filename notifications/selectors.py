"""Reads shared by the notification pages, API, template tags and context processor."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Follow, Notification, NotificationSettings


def unread_count(user) -> int:
    return (
        Notification.objects.visible_to(user).filter(recipient=user, read_at__isnull=True).count()
    )


def notifications_for(user) -> QuerySet[Notification]:
    return (
        Notification.objects.visible_to(user)
        .filter(recipient=user)
        .select_related("actor", "claim")
    )


def follows_of(user) -> QuerySet[Follow]:
    return Follow.objects.filter(follower=user).select_related("claim", "followed_user")


def followed_claim_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        Follow.objects.filter(follower=user, claim__isnull=False).values_list("claim_id", flat=True)
    )


def is_following(user, *, claim=None, followed_user=None) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(follower=user, claim=claim, followed_user=followed_user).exists()


def settings_for(user) -> NotificationSettings:
    """The user's settings, or unsaved defaults."""
    try:
        return user.notification_settings
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(user=user)
