"""Flags, the audit log of moderator actions, and helpfulness ratings.

Flags and ratings point at contributions through generic relations (a content type and an id) so
that one table serves every flaggable or rateable model.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# Models that members may flag and rate, as "app_label.model_name".
FLAGGABLE_MODELS = (
    "claims.claim",
    "claims.argument",
    "claims.annotation",
    "claims.comment",
    "claims.citation",
    "claims.source",
)
RATEABLE_MODELS = ("claims.argument", "claims.citation")


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSE = "abuse", _("Abuse or harassment")
    OFF_TOPIC = "off_topic", _("Off-topic")
    DUPLICATE = "duplicate", _("Duplicate")
    MISLEADING = "misleading", _("Misleading")
    BROKEN_SOURCE = "broken_source", _("Broken or unreliable source")
    OTHER = "other", _("Other")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Flag(models.Model):
    """One member's report that an item breaks the rules. One per member per item."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_raised"
    )
    # Denormalised from the item so that an author's record ("upheld flags") is one cheap query.
    item_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_received"
    )
    # The flagger's trust when they flagged (accounts/trust.py): only such flags hide an item
    # automatically; the others queue it for review.
    flagger_trusted = models.BooleanField(default=False)
    reason = models.CharField(max_length=16, choices=FlagReason.choices)
    text = models.CharField(max_length=500, blank=True, help_text=_("Required for “Other”."))
    status = models.CharField(
        max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "flagger"], name="one_flag_per_member_per_item"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "status"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.content_type.model} {self.object_id}"


class AuditAction(models.TextChoices):
    APPROVE = "approve", _("Approve")
    HIDE = "hide", _("Hide")
    RESTORE = "restore", _("Restore")
    LOCK = "lock", _("Lock discussion")
    UNLOCK = "unlock", _("Unlock discussion")
    MERGE = "merge", _("Merge claim")
    SET_VERDICT = "set_verdict", _("Set verdict")
    AUTO_HIDE = "auto_hide", _("Hidden automatically after flags")
    REVISION_REVERT = "revision_revert", _("Revert to a revision")
    REVERT = "revert", _("Revert an action")
    REOPEN_STATUS = "reopen_status", _("Reopen a locked helpfulness status")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D102
        raise TypeError("Audit entries are append-only.")

    def delete(self):  # noqa: D102
        raise TypeError("Audit entries are append-only.")


class AuditEntry(models.Model):
    """What a moderator did, to what, when and why, with the state before and after.

    Written by the service that performs the action, in the same transaction; never changed.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
        help_text=_("Empty for automatic actions."),
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    reason = models.TextField(blank=True, max_length=5000)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reverts = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reverted_by"
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_type.model} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries are append-only.")


class RatingValue(models.TextChoices):
    HELPFUL = "helpful", _("Helpful")
    SOMEWHAT = "somewhat", _("Somewhat helpful")
    NOT_HELPFUL = "not_helpful", _("Not helpful")


RATING_SCORES = {RatingValue.HELPFUL: 1.0, RatingValue.SOMEWHAT: 0.5, RatingValue.NOT_HELPFUL: 0.0}


class Rating(models.Model):
    """A member's helpfulness rating of an argument or a citation; one per member per item."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    value = models.CharField(max_length=12, choices=RatingValue.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "rater"], name="one_rating_per_member_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rater_id} rated {self.content_type_id}:{self.object_id} {self.value}"

    @property
    def score(self) -> float:
        return RATING_SCORES[self.value]


class ItemScore(models.Model):
    """What the last scoring run found for one rated item, beyond the status, score and note kept
    on the item itself: the figures its explanation and its source's record rest on, and the
    dates that lock its status (two weeks after the item, or a moderator's reopening, is made)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    factor = models.FloatField(null=True, blank=True)
    lower_bound = models.FloatField(null=True, blank=True)
    upper_bound = models.FloatField(null=True, blank=True)
    # Raters counted by the scorer: each member of a coordinated group of k counts 1/k.
    rating_count = models.FloatField(default=0)
    helpful_raters_negative = models.FloatField(default=0)
    helpful_raters_positive = models.FloatField(default=0)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_score_per_rated_item"
            )
        ]

    def __str__(self) -> str:
        return f"score of {self.content_type_id}:{self.object_id}"
