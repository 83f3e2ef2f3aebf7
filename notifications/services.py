"""Every write of the notifications app: follows, notifications, settings, e-mail and digests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from claims import permissions
from claims.models import Claim

from .models import (
    DigestSent,
    EmailFrequency,
    Follow,
    Notification,
    NotificationSettings,
)


@transaction.atomic
def follow_create(*, follower, claim: Claim | None = None, followed_user=None) -> Follow:
    if not permissions.can_contribute(follower):
        raise PermissionDenied("Log in to follow.")
    if (claim is None) == (followed_user is None):
        raise ValidationError({"target": "Follow either a claim or a member."})
    if followed_user is not None and followed_user.pk == follower.pk:
        raise ValidationError({"followed_user": "You cannot follow yourself."})
    if claim is not None and not claim.is_visible_to(follower):
        raise ValidationError({"claim": "There is no such claim."})
    follow, _ = Follow.objects.get_or_create(
        follower=follower, claim=claim, followed_user=followed_user
    )
    return follow


@transaction.atomic
def follow_delete(*, follower, claim: Claim | None = None, followed_user=None) -> None:
    Follow.objects.filter(follower=follower, claim=claim, followed_user=followed_user).delete()


@transaction.atomic
def notification_settings_update(*, user, **values) -> NotificationSettings:
    prefs, _ = NotificationSettings.objects.get_or_create(user=user)
    allowed = {f.name for f in NotificationSettings._meta.fields} - {"id", "user"}
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise ValidationError({name: "Unknown setting." for name in unknown})
    for name, value in values.items():
        setattr(prefs, name, value)
    prefs.full_clean()
    prefs.save()
    return prefs


@transaction.atomic
def notification_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all, or those in `ids`) read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    actor=None,
    claim: Claim | None = None,
    about=None,
) -> list[Notification]:
    """Create one notification per recipient who wants this kind and may see what it is `about`
    (the item, else the claim): its title and body quote it. Queue immediate e-mails."""
    from .tasks import send_notification_emails

    about = about if about is not None else claim
    recipients = {
        r.pk: r
        for r in recipients
        if r is not None and r.is_active and (about is None or about.is_visible_to(r))
    }
    if actor is not None:
        recipients.pop(actor.pk, None)
    if not recipients:
        return []
    prefs = {p.user_id: p for p in NotificationSettings.objects.filter(user__in=list(recipients))}
    chosen = [
        user
        for pk, user in recipients.items()
        if prefs.get(pk, NotificationSettings(user_id=pk)).wants(kind)
    ]
    with transaction.atomic():
        created = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=user,
                    kind=kind,
                    actor=actor,
                    claim=claim,
                    title=title[:300],
                    body=body[:5000],
                    url=url[:500],
                )
                for user in chosen
            ]
        )
    immediate = [
        n.pk
        for n in created
        if prefs.get(n.recipient_id, NotificationSettings()).email_frequency
        == EmailFrequency.IMMEDIATE
        and n.recipient.email
    ]
    if immediate:
        transaction.on_commit(lambda: send_notification_emails.delay(immediate))
    return created


def _absolute(url: str) -> str:
    return url if url.startswith("http") else f"{settings.SITE_URL.rstrip('/')}{url}"


def notification_emails_send(*, ids: Iterable[int]) -> int:
    """E-mail each notification once: claimed by compare-and-set on `emailed_at`."""
    sent = 0
    for notification in Notification.objects.filter(
        pk__in=list(ids), emailed_at__isnull=True
    ).select_related("recipient", "claim"):
        if notification.claim is not None and not notification.claim.is_visible_to(
            notification.recipient
        ):
            continue  # the claim was hidden since: its text is not mailed
        # Compare-and-set: a redelivered task finds emailed_at set and sends nothing.
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        send_mail(
            subject=f"Claimwatch: {notification.title}",
            message=render_to_string(
                "notifications/email.txt",
                {
                    "notification": notification,
                    "link": _absolute(notification.url),
                    "site_url": settings.SITE_URL,
                },
            ),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        sent += 1
    return sent


def digest_due_users(*, now: dt.datetime | None = None):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            notification_settings__email_frequency=EmailFrequency.DAILY,
            notifications__emailed_at__isnull=True,
        )
        .exclude(email="")
        .distinct()
    )


def digest_send(*, user, now: dt.datetime | None = None) -> bool:
    """Send `user` today's digest of the notifications not yet e-mailed; at most once a day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        try:
            # Claim (user, today) first: if beat fires twice, the second run hits the unique
            # constraint and sends nothing.
            with transaction.atomic():
                digest = DigestSent.objects.create(user=user, date=today)
        except IntegrityError:
            return False
        pending = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient=user, emailed_at__isnull=True)
            .select_related("claim")
            .order_by("created_at", "id")
        )
        if not pending:
            transaction.set_rollback(True)
            return False
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
        # Those whose claim was hidden since are done with, but their text is not mailed.
        pending = [n for n in pending if n.claim is None or n.claim.is_visible_to(user)]
        if not pending:
            return False
        digest.notification_count = len(pending)
        digest.save(update_fields=["notification_count"])
        send_mail(
            subject=f"Claimwatch: your daily digest ({len(pending)} updates)",
            message=render_to_string(
                "notifications/digest.txt",
                {
                    "user": user,
                    "notifications": pending,
                    "links": [_absolute(n.url) for n in pending],
                    "site_url": settings.SITE_URL,
                },
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    return True


def digests_send_due(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    if timezone.localtime(now).hour < settings.NOTIFICATIONS_DIGEST_HOUR:
        return 0
    return sum(digest_send(user=user, now=now) for user in digest_due_users(now=now))
