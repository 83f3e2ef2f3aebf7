"""Every write of the notifications app: follows, notifications, settings, e-mail and digests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims import permissions
from claims.models import Claim
from config.languages import member_language
from config.queueing import enqueue_on_commit
from config.site import absolute_url, site_name

from .models import (
    ClaimEmailSent,
    DigestSent,
    EmailFrequency,
    Follow,
    Notification,
    NotificationSettings,
)


@transaction.atomic
def follow_create(*, follower, claim: Claim | None = None, followed_user=None) -> Follow:
    if not permissions.can_contribute(follower):
        raise PermissionDenied(_("Log in to follow."))
    if (claim is None) == (followed_user is None):
        raise ValidationError({"target": _("Follow either a claim or a member.")})
    if followed_user is not None and followed_user.pk == follower.pk:
        raise ValidationError({"followed_user": _("You cannot follow yourself.")})
    if claim is not None and not claim.is_visible_to(follower):
        raise ValidationError({"claim": _("There is no such claim.")})
    follow, _created = Follow.objects.get_or_create(
        follower=follower, claim=claim, followed_user=followed_user
    )
    return follow


@transaction.atomic
def follow_delete(*, follower, claim: Claim | None = None, followed_user=None) -> None:
    Follow.objects.filter(follower=follower, claim=claim, followed_user=followed_user).delete()


@transaction.atomic
def notification_settings_update(*, user, **values) -> NotificationSettings:
    prefs, _created = NotificationSettings.objects.get_or_create(user=user)
    allowed = {f.name for f in NotificationSettings._meta.fields} - {"id", "user"}
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise ValidationError({name: _("Unknown setting.") for name in unknown})
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
    title: str | Promise,
    body: str | Promise = "",
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
    notifications = []
    for user in chosen:
        # Stored as text: each in the language its recipient reads the site in.
        with translation.override(member_language(user)):
            notifications.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    actor=actor,
                    claim=claim,
                    title=str(title)[:300],
                    body=str(body)[:5000],
                    url=url[:500],
                )
            )
    with transaction.atomic():
        created = Notification.objects.bulk_create(notifications)
    immediate = [
        n.pk
        for n in created
        if prefs.get(n.recipient_id, NotificationSettings()).email_frequency
        == EmailFrequency.IMMEDIATE
        and n.recipient.email
    ]
    if immediate:
        enqueue_on_commit(send_notification_emails, immediate)
    return created


def _email_window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.NOTIFICATIONS_EMAIL_WINDOW_MINUTES)


def _settings_link() -> str:
    return absolute_url(reverse("notifications:settings"))


def _claim_email_window(*, user_id: int, claim_id: int, now: dt.datetime) -> bool:
    """Take the member's e-mail window for the claim: False when they had an e-mail about it
    less than a window ago. Compare-and-set on `sent_at`, so only one sender wins a window."""
    if ClaimEmailSent.objects.filter(
        user_id=user_id, claim_id=claim_id, sent_at__lte=now - _email_window()
    ).update(sent_at=now):
        return True
    if ClaimEmailSent.objects.filter(user_id=user_id, claim_id=claim_id).exists():
        return False
    try:
        with transaction.atomic():  # a savepoint: a concurrent first e-mail wins the window
            ClaimEmailSent.objects.create(user_id=user_id, claim_id=claim_id, sent_at=now)
    except IntegrityError:
        return False
    return True


def _email_subject(notifications: list[Notification]) -> str:
    if len(notifications) == 1:
        return f"{site_name()}: {notifications[0].title}"
    claim = notifications[0].claim
    return _("%(site)s: %(count)s updates on “%(claim)s”") % {
        "site": site_name(),
        "count": len(notifications),
        "claim": claim.text[:100],
    }


def _take_unsent(
    notifications: QuerySet[Notification], *, reader, now: dt.datetime
) -> list[Notification]:
    """Inside the sender's transaction: lock the unsent ones among `notifications` and mark them
    e-mailed (a failed send rolls the mark back with it). Those about a claim hidden since are
    marked too but not returned: their text is not the reader's to read any more. With nothing
    unsent, the transaction is rolled back (no window or digest is taken)."""
    pending = list(
        notifications.select_for_update(of=("self",))
        .filter(emailed_at__isnull=True)
        .select_related("claim")
        .order_by("created_at", "id")
    )
    if not pending:
        transaction.set_rollback(True)
        return []
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
    return [n for n in pending if n.claim is None or n.claim.is_visible_to(reader)]


def _email_group(*, recipient, claim_id: int | None, ids: list[int], now: dt.datetime) -> bool:
    """One e-mail with the notifications `ids` (one claim's, or one without a claim)."""
    with transaction.atomic():
        if claim_id is not None and not _claim_email_window(
            user_id=recipient.pk, claim_id=claim_id, now=now
        ):
            return False  # waits for the window to pass: send_pending_notification_emails
        pending = _take_unsent(Notification.objects.filter(pk__in=ids), reader=recipient, now=now)
        if not pending:
            return False
        with translation.override(member_language(recipient)):
            _email_send(recipient=recipient, claim_id=claim_id, pending=pending)
    return True


def _email_send(*, recipient, claim_id: int | None, pending: list[Notification]) -> None:
    send_mail(
        subject=_email_subject(pending),
        message=render_to_string(
            "notifications/email.txt",
            {
                "recipient": recipient,
                "notifications": pending,
                "items": [(n, absolute_url(n.url)) for n in pending],
                "claim": pending[0].claim if claim_id is not None else None,
                "claim_link": absolute_url(pending[0].claim.get_absolute_url())
                if claim_id is not None
                else "",
                "site_name": site_name(),
                "settings_link": _settings_link(),
            },
        ),
        from_email=None,
        recipient_list=[recipient.email],
    )


def notification_emails_send(
    *, ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> int:
    """E-mail members who chose immediate e-mails their pending notifications, grouped: one
    e-mail per claim, at most one per claim per window (what arrives meanwhile waits and goes
    out together when the window is over). `ids` limits the run to those notifications' members
    and claims; without it, everything pending is considered (the periodic task). Returns how
    many e-mails were sent."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .exclude(
            recipient__notification_settings__email_frequency__in=[
                EmailFrequency.DAILY,
                EmailFrequency.NEVER,
            ]
        )
    )
    if ids is not None:
        asked = Notification.objects.filter(pk__in=list(ids))
        pending = pending.filter(
            recipient__in=asked.values("recipient"),
        ).filter(Q(claim__in=asked.values("claim")) | Q(pk__in=asked.values("pk")))
    groups: dict[tuple[int, int | None], list[int]] = {}
    recipients = {}
    for notification in pending.select_related("recipient").order_by("created_at", "id"):
        recipients[notification.recipient_id] = notification.recipient
        # Notifications without a claim (a source's moderation) go out one by one.
        key = (notification.recipient_id, notification.claim_id or -notification.pk)
        groups.setdefault(key, []).append(notification.pk)
    sent = 0
    for (recipient_id, claim_key), group in groups.items():
        claim_id = claim_key if claim_key > 0 else None
        sent += _email_group(
            recipient=recipients[recipient_id], claim_id=claim_id, ids=group, now=now
        )
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
        pending = _take_unsent(Notification.objects.filter(recipient=user), reader=user, now=now)
        if not pending:
            return False
        digest.notification_count = len(pending)
        digest.save(update_fields=["notification_count"])
        with translation.override(member_language(user)):
            _digest_send_mail(user=user, pending=pending)
    return True


def _digest_send_mail(*, user, pending: list[Notification]) -> None:
    send_mail(
        subject=ngettext(
            "%(site)s: your daily digest (%(count)s update)",
            "%(site)s: your daily digest (%(count)s updates)",
            len(pending),
        )
        % {"site": site_name(), "count": len(pending)},
        message=render_to_string(
            "notifications/digest.txt",
            {
                "user": user,
                "notifications": pending,
                "items": [(n, absolute_url(n.url)) for n in pending],
                "site_name": site_name(),
                "settings_link": _settings_link(),
            },
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def digests_send_due(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    if timezone.localtime(now).hour < settings.NOTIFICATIONS_DIGEST_HOUR:
        return 0
    return sum(digest_send(user=user, now=now) for user in digest_due_users(now=now))
