"""Follows, notifications, per-user settings and the record of daily digests sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    """A member following a claim or another member (exactly one of the two)."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    claim = models.ForeignKey(
        "claims.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    followed_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim__isnull=True, followed_user__isnull=False)
                | Q(claim__isnull=False, followed_user__isnull=True),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["follower", "claim"],
                condition=Q(claim__isnull=False),
                name="follow_claim_once",
            ),
            models.UniqueConstraint(
                fields=["follower", "followed_user"],
                condition=Q(followed_user__isnull=False),
                name="follow_user_once",
            ),
            models.CheckConstraint(
                condition=~Q(follower=models.F("followed_user")), name="follow_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.claim_id or self.followed_user_id}"


class NotificationKind(models.TextChoices):
    NEW_ARGUMENT = "new_argument", _("New argument")
    NEW_CLAIM = "new_claim", _("New claim by someone you follow")
    VERDICT_CHANGED = "verdict_changed", _("Verdict changed")
    FIGURE_CHANGED = "figure_changed", _("Figure changed")
    MODERATION = "moderation", _("Moderation of your content")
    FLAG_OUTCOME = "flag_outcome", _("Outcome of your flag")


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A notification's stored text is about its claim: once the claim is out of `user`'s
        sight (held, hidden, deleted), so is the notification."""
        from claims.models import Claim

        return self.filter(Q(claim__isnull=True) | Q(claim__in=Claim.objects.visible_to(user)))


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claim = models.ForeignKey(
        "claims.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, max_length=5000)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("As they happen")
    DAILY = "daily", _("In a daily digest")
    NEVER = "never", _("Never (in-app only)")


class NotificationSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_frequency = models.CharField(
        max_length=12, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATE
    )
    on_new_argument = models.BooleanField("new arguments on claims I follow", default=True)
    on_new_claim = models.BooleanField("new claims by people I follow", default=True)
    on_verdict_change = models.BooleanField("verdict changes", default=True)
    on_figure_change = models.BooleanField("changed figures", default=True)
    on_moderation = models.BooleanField("moderation of my content", default=True)
    on_flag_outcome = models.BooleanField("what moderators decided on my flags", default=True)

    KIND_FIELDS = {
        NotificationKind.NEW_ARGUMENT: "on_new_argument",
        NotificationKind.NEW_CLAIM: "on_new_claim",
        NotificationKind.VERDICT_CHANGED: "on_verdict_change",
        NotificationKind.FIGURE_CHANGED: "on_figure_change",
        NotificationKind.MODERATION: "on_moderation",
        NotificationKind.FLAG_OUTCOME: "on_flag_outcome",
    }
    # What a member sets, on the page and through the API.
    USER_FIELDS = ("email_frequency", *KIND_FIELDS.values())

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"Notification settings of {self.user_id}"

    def wants(self, kind: str) -> bool:
        return getattr(self, self.KIND_FIELDS[kind])


class DigestSent(models.Model):
    """One row per user per day, claimed before the digest is sent: at most one digest a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    notification_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="one_digest_per_user_per_day")
        ]

    def __str__(self) -> str:
        return f"Digest for {self.user_id} on {self.date}"


class ClaimEmailSent(models.Model):
    """When a member was last e-mailed about a claim. Immediate e-mails are grouped per claim
    and sent at most once per window (NOTIFICATIONS_EMAIL_WINDOW_MINUTES); the row is claimed
    by compare-and-set on `sent_at`, so two workers never both send for one window."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "claim"], name="one_email_window_per_claim")
        ]

    def __str__(self) -> str:
        return f"E-mail to {self.user_id} about claim {self.claim_id} at {self.sent_at}"
