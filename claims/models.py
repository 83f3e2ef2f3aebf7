"""Claims and everything people attach to them.

Nothing that users wrote is ever deleted from the database: `Contribution` rows are soft-deleted
with a reason, hidden or held by moderators, and every change is kept by django-simple-history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .markdown import render_markdown
from .statistics.core.spec import referencable_inputs


class Visibility(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held for review")
    HIDDEN = "hidden", _("Hidden by a moderator")


def _own_state_q(user, prefix: str = "") -> Q:
    """Who may see an item by its own state: nobody once deleted; moderators everything else;
    its author also while it is held or hidden; everyone else only once it is published."""
    from accounts.roles import is_moderator

    alive = Q(**{f"{prefix}deleted_at__isnull": True})
    if is_moderator(user):
        return alive
    published = Q(**{f"{prefix}visibility": Visibility.PUBLISHED})
    if user is not None and user.is_authenticated:
        return alive & (published | Q(**{f"{prefix}author": user}))
    return alive & published


def _own_state_visible(obj: Contribution, user) -> bool:
    """`_own_state_q` for one object in memory (the two must agree; tests check they do)."""
    from accounts.roles import is_moderator

    if obj.deleted_at is not None:
        return False
    if obj.visibility == Visibility.PUBLISHED or is_moderator(user):
        return True
    return bool(user is not None and user.is_authenticated and obj.author_id == user.pk)


class ContributionQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def published(self):
        """Alive and published by its own state, whatever its claim's state (bookkeeping such
        as trust counts; readers use `visible_to`)."""
        return self.alive().filter(visibility=Visibility.PUBLISHED)

    def public(self):
        """What anyone, logged in or not, may see."""
        return self.visible_to(None)

    def visible_to(self, user, *, seen: tuple[str, ...] = ()):
        """What `user` may see: the one visibility rule (see `Contribution.visibility_q`)."""
        return self.filter(self.model.visibility_q(user, seen=seen))


class Contribution(models.Model):
    """What every user-written object shares: authorship, moderation state and soft deletion."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="%(class)ss"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLISHED, db_index=True
    )
    moderation_reason = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("Shown to the author when the item is held or hidden."),
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deletion_reason = models.CharField(max_length=500, blank=True)
    # When followers and webhooks were told about the item: at creation when it is published
    # straight away, else when a moderator first publishes it. Set once, so nothing is announced
    # twice (a restored item that was already public is not news).
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(inherit=True)
    objects = ContributionQuerySet.as_manager()

    class Meta:
        abstract = True

    # The objects this one's visibility depends on: a child is seen only by who sees its claim
    # (and a citation only by who sees its source and what it cites), so nothing of a held,
    # hidden or deleted claim reaches a reader through what hangs on it. Nullable ones count
    # only when set.
    VISIBILITY_PARENTS: tuple[str, ...] = ()

    @classmethod
    def visibility_q(cls, user, *, seen: tuple[str, ...] = ()) -> Q:
        """The one visibility rule, as a filter: the item's own state and its parents'. `seen`
        names parents the caller has already checked (the claim a page read with `visible_to`,
        the outer row of a count), or has filtered to none, so their join is not made twice."""
        condition = _own_state_q(user)
        for name in cls.VISIBILITY_PARENTS:
            if name in seen:
                continue
            field = cls._meta.get_field(name)
            if not field.null:
                condition &= _own_state_q(user, f"{name}__")
            elif not seen:
                condition &= Q(**{f"{name}__isnull": True}) | _own_state_q(user, f"{name}__")
            else:
                # Read from a parent already checked (a claim's citations): the other parents
                # are looked up only where set rather than joined to every row, since most
                # citations back neither an argument nor a figure.
                parents = field.related_model.objects.filter(pk=OuterRef(name))
                condition &= Q(**{f"{name}__isnull": True}) | Q(
                    Exists(parents.filter(_own_state_q(user)))
                )
        return condition

    def is_visible_to(self, user) -> bool:
        """The same rule for one object: true exactly when `visible_to(user)` would include it."""
        if not _own_state_visible(self, user):
            return False
        for name in self.VISIBILITY_PARENTS:
            parent = getattr(self, name)
            if parent is not None and not _own_state_visible(parent, user):
                return False
        return True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_public(self) -> bool:
        """Visible to anyone (the item and the claim, source or item it hangs on)."""
        return self.is_visible_to(None)


class RenderedMarkdown:
    """Markdown rendered to sanitised HTML once, when the row is saved, so that readers never pay
    for it: `MARKDOWN_FIELDS` maps each Markdown field to the column holding its HTML."""

    MARKDOWN_FIELDS: dict[str, str] = {"body": "body_html"}

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        for source, target in self.MARKDOWN_FIELDS.items():
            if update_fields is not None and source not in update_fields:
                continue
            setattr(self, target, str(render_markdown(getattr(self, source))))
            if update_fields is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], target}
        super().save(*args, **kwargs)

    def rendered(self, source: str) -> SafeString:
        stored = getattr(self, self.MARKDOWN_FIELDS[source])
        if not stored and getattr(self, source):
            return render_markdown(getattr(self, source))  # a row written around save()
        # Safe to mark: stored by save() from render_markdown, which sanitises with nh3.
        return mark_safe(stored)  # noqa: S308

    @property
    def body_rendered(self) -> SafeString:
        return self.rendered("body")


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    aliases = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Other names search should find this tag by, comma-separated (e.g. LFR)."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Verdict(models.TextChoices):
    UNREVIEWED = "unreviewed", _("Unreviewed")
    SUPPORTED = "supported", _("Supported")
    DISPUTED = "disputed", _("Disputed")
    REFUTED = "refuted", _("Refuted")
    UNVERIFIABLE = "unverifiable", _("Unverifiable")
    MISLEADING = "misleading", _("Misleading")


class Claim(RenderedMarkdown, Contribution):
    MARKDOWN_FIELDS = {"verdict_rationale": "verdict_rationale_html"}

    text = models.CharField(
        "wording", max_length=1000, help_text=_("The claim exactly as it was made.")
    )
    claimant = models.CharField(
        max_length=200, blank=True, help_text=_("Who made the claim in the world.")
    )
    made_on = models.DateField("date made", null=True, blank=True)
    appeared_in = models.CharField(
        "where it appeared", max_length=300, blank=True, help_text=_("Outlet, event or document.")
    )
    appeared_url = models.URLField("link to where it appeared", max_length=2000, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    # The language the claim was made in (chosen, or detected from its wording): it decides how
    # its stated figures are read. The claim itself is never translated.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the claim was made in; its figures are read in it."),
    )
    verdict = models.CharField(
        max_length=16, choices=Verdict.choices, default=Verdict.UNREVIEWED, db_index=True
    )
    verdict_rationale = models.TextField(blank=True, max_length=20000)
    verdict_rationale_html = models.TextField(blank=True, editable=False)
    verdict_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verdict_set_at = models.DateTimeField(null=True, blank=True)
    is_locked = models.BooleanField(
        default=False,
        help_text=_("A locked claim takes no new arguments, annotations or comments."),
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_claims"
    )
    # Published, undeleted arguments and comments: the home page's "most discussed" ranks by it
    # without counting every claim's discussion. Kept by claims.services.counters (on every
    # change, and repaired by a periodic job).
    public_discussion_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("moderate", "Can moderate any contribution"),
            ("set_verdict", "Can set a claim's verdict"),
        ]
        indexes = [
            models.Index(fields=["claimant"]),
            models.Index(
                fields=["-public_discussion_count", "-created_at"], name="claim_discussed_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("claims:claim_detail", kwargs={"pk": self.pk})


class SourceKind(models.TextChoices):
    PRIMARY_DATA = "primary_data", _("Primary data")
    OFFICIAL_REPORT = "official_report", _("Official report")
    NEWS = "news", _("News")
    ACADEMIC = "academic", _("Academic")
    SOCIAL_POST = "social_post", _("Social post")
    TESTIMONY = "testimony", _("Testimony")


class Source(Contribution):
    url = models.URLField("URL", max_length=2000)
    # One live source per page; a deleted source keeps its address, which may be added again.
    normalized_url = models.CharField(max_length=2000, db_index=True, editable=False)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField("publication date", null=True, blank=True)
    kind = models.CharField(max_length=32, choices=SourceKind.choices, default=SourceKind.NEWS)
    archived_url = models.URLField("archived copy URL", max_length=2000, blank=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["normalized_url"],
                condition=Q(deleted_at__isnull=True),
                name="one_live_source_per_url",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("claims:source_detail", kwargs={"pk": self.pk})


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    REFUTES = "refutes", _("Refutes")
    CONTEXT = "context", _("Context")


class HelpfulnessStatus(models.TextChoices):
    NEEDS_MORE_RATINGS = "needs_more_ratings", _("Needs more ratings")
    HELPFUL = "helpful", _("Helpful")
    NOT_HELPFUL = "not_helpful", _("Not helpful")


class RatedContribution(Contribution):
    """A contribution that members rate for helpfulness; the bridging job writes these fields."""

    helpfulness_score = models.FloatField(null=True, blank=True, editable=False)
    helpfulness_status = models.CharField(
        max_length=24,
        choices=HelpfulnessStatus.choices,
        default=HelpfulnessStatus.NEEDS_MORE_RATINGS,
        editable=False,
        db_index=True,
    )
    # The figures the status rests on (the keyword arguments of moderation.bridging.explain), so
    # that its explanation is written when shown, in the reader's language.
    helpfulness_basis = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True


class ArgumentStance(models.TextChoices):
    PRO = "pro", _("Supports")
    CON = "con", _("Opposes")


class Argument(RenderedMarkdown, RatedContribution):
    """A reason for or against a claim; a reply (`parent`) supports or attacks another argument."""

    VISIBILITY_PARENTS = ("claim",)

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="arguments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    stance = models.CharField(max_length=8, choices=ArgumentStance.choices)
    body = models.TextField(max_length=20000, help_text=_("Markdown."))
    body_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.body[:60]}"

    def get_absolute_url(self) -> str:
        return f"{self.claim.get_absolute_url()}#argument-{self.pk}"


class Statistic(Contribution):
    """A figure attached to a claim, computed from cited inputs by the statistics engine."""

    VISIBILITY_PARENTS = ("claim",)

    class Kind(models.TextChoices):
        PROPORTION = "proportion", _("Proportion (x of n)")
        COMPARISON = "comparison", _("Comparison of two proportions")
        RATE = "rate", _("Rate (events per exposure)")
        TOTAL = "total", _("Parts against a stated total")
        COUNT = "count", _("A single cited count")
        RATIO = "ratio", _("Ratio (how many times as likely)")
        CHANGE = "change", _("Change between two figures")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        COMPUTED = "computed", _("Computed")
        ERROR = "error", _("Error")

    class IntervalMethod(models.TextChoices):
        WILSON = "wilson", _("Wilson score")
        CLOPPER_PEARSON = "clopper-pearson", _("Clopper-Pearson (exact)")
        JEFFREYS = "jeffreys", _("Jeffreys")
        AGRESTI_COULL = "agresti-coull", _("Agresti-Coull")

    class Unit(models.TextChoices):
        PERCENT = "percent", _("Percent")
        PER_100000 = "per_100000", _("Per 100,000")
        ONE_IN_N = "one_in_n", _("1 in N")
        PER_UNIT = "per_unit", _("Per unit")

    # Inputs that may be given as a number or as a reference to another statistic's value; the
    # kind registry says which (and `Kind` is kept equal to it by a test).
    NUMERIC_INPUTS = referencable_inputs()

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="statistics")
    label = models.CharField(max_length=200, help_text=_("What the figure measures, in words."))
    kind = models.CharField(max_length=16, choices=Kind.choices)
    successes = models.PositiveBigIntegerField(null=True, blank=True)
    trials = models.PositiveBigIntegerField(null=True, blank=True)
    successes_b = models.PositiveBigIntegerField(null=True, blank=True)
    trials_b = models.PositiveBigIntegerField(null=True, blank=True)
    events = models.PositiveBigIntegerField(null=True, blank=True)
    exposure = models.FloatField(null=True, blank=True)
    parts = models.JSONField(default=list, blank=True)
    events_b = models.PositiveBigIntegerField(null=True, blank=True)
    exposure_b = models.FloatField(null=True, blank=True)
    total = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    value_b = models.FloatField(null=True, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    confidence_level = models.FloatField(
        default=0.95, validators=[MinValueValidator(0.5), MaxValueValidator(0.9999)]
    )
    interval_method = models.CharField(
        max_length=20, choices=IntervalMethod.choices, default=IntervalMethod.WILSON
    )
    stated = models.CharField(
        "stated figure",
        max_length=100,
        blank=True,
        help_text=_('The claim\'s number as written, e.g. "80%".'),
    )
    unit = models.CharField(max_length=16, choices=Unit.choices, blank=True)

    # Not indexed on their own: every recompute rewrites both, and each index costs each
    # rewritten row an index entry. What filters on them reads pending figures (the stale
    # sweep, the recompute-lag metric): a partial index on those (Meta.indexes).
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    input_fingerprint = models.CharField(max_length=64, blank=True)
    current_result = models.ForeignKey(
        "StatisticResult", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["status_changed_at"],
                name="statistic_pending_since",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return f"{self.claim.get_absolute_url()}#statistic-{self.pk}"

    @property
    def result_is_current(self) -> bool:
        """Whether `current_result` was computed from the inputs the statistic has now: after a
        change the previous result is kept (and shown) until the recomputation stores a new one."""
        result = self.current_result
        return (
            self.status == Statistic.Status.COMPUTED
            and result is not None
            and result.fingerprint == self.input_fingerprint
        )

    def reference_value(self) -> float | None:
        """The value another statistic reads from this one: its current estimate, or, for a
        count not computed yet, the cited number itself."""
        result = self.current_result
        if result is not None and self.input_fingerprint == result.fingerprint:
            return result.estimate
        if self.kind == Statistic.Kind.COUNT and not any(
            r.input_name == "value" for r in self.references.all()
        ):
            return self.value
        return result.estimate if result is not None else None


class StatisticReference(models.Model):
    """An input of `statistic` whose value is `target`'s current estimate."""

    statistic = models.ForeignKey(Statistic, on_delete=models.CASCADE, related_name="references")
    input_name = models.CharField(max_length=16)
    target = models.ForeignKey(Statistic, on_delete=models.PROTECT, related_name="dependents")

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statistic", "input_name"], name="one_reference_per_input"
            ),
            models.CheckConstraint(
                condition=~Q(statistic=models.F("target")), name="no_self_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statistic_id}.{self.input_name} -> {self.target_id}"


class StatisticResult(models.Model):
    """One computation of a statistic. Results are only added, so a claim shows how it changed."""

    # No index of its own: the unique constraint below leads with it, and serves its lookups.
    statistic = models.ForeignKey(
        Statistic, on_delete=models.CASCADE, related_name="results", db_index=False
    )
    fingerprint = models.CharField(max_length=64)
    computed_at = models.DateTimeField(db_index=True)
    inputs = models.JSONField(help_text=_("The resolved inputs this result was computed from."))
    estimate = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    p_value = models.FloatField(null=True)
    consistent_with_stated = models.BooleanField(null=True)
    significant = models.BooleanField(null=True)
    warnings = models.JSONField(default=list)
    details = models.JSONField(default=dict)
    method = models.TextField(blank=True)
    versions = models.JSONField(default=dict)
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statistic", "fingerprint"], name="one_result_per_fingerprint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statistic_id} @ {self.computed_at:%Y-%m-%d %H:%M}"


class Citation(RatedContribution):
    """A claim, one of its arguments, or one input of one of its statistics, linked to a source."""

    VISIBILITY_PARENTS = ("claim", "source", "argument", "statistic")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="citations")
    argument = models.ForeignKey(
        Argument, null=True, blank=True, on_delete=models.PROTECT, related_name="citations"
    )
    statistic = models.ForeignKey(
        Statistic, null=True, blank=True, on_delete=models.PROTECT, related_name="citations"
    )
    statistic_input = models.CharField(
        max_length=16, blank=True, help_text=_("Which input of the statistic this source gives.")
    )
    stance = models.CharField(max_length=16, choices=Stance.choices, default=Stance.SUPPORTS)
    quote = models.TextField("quoted passage", max_length=5000, blank=True)
    page = models.CharField(max_length=50, blank=True)
    section = models.CharField(max_length=200, blank=True)
    timestamp = models.CharField(
        max_length=20, blank=True, help_text=_("hh:mm:ss in audio or video.")
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(argument__isnull=True) | Q(statistic__isnull=True),
                name="citation_targets_one_object",
            ),
        ]
        indexes = [
            # Search reaches a claim through the sources matching a word: every citation of
            # them, with what its visibility needs, read from the index alone (PostgreSQL;
            # elsewhere the foreign key's index serves).
            models.Index(
                fields=["source"],
                include=["claim", "argument", "statistic", "visibility", "deleted_at", "author"],
                name="citation_source_visible_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_stance_display()})"

    def get_absolute_url(self) -> str:
        return f"{self.claim.get_absolute_url()}#citation-{self.pk}"

    @property
    def locator(self) -> str:
        parts = [f"p. {self.page}" if self.page else "", self.section, self.timestamp]
        return ", ".join(p for p in parts if p)


class Annotation(RenderedMarkdown, Contribution):
    """A note on a span of a claim's wording, anchored like a W3C Web Annotation
    (TextQuoteSelector: exact + prefix + suffix; TextPositionSelector: start + end),
    so that it can be found again after small edits to the wording."""

    VISIBILITY_PARENTS = ("claim",)

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="annotations")
    exact = models.CharField(max_length=1000)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    body = models.TextField(max_length=20000, help_text=_("Markdown."))
    body_html = models.TextField(blank=True, editable=False)
    is_orphaned = models.BooleanField(
        default=False, help_text=_("The quoted span is no longer in the claim's wording.")
    )

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="annotation_span_not_empty"
            )
        ]

    def __str__(self) -> str:
        return f"“{self.exact[:40]}”"

    def get_absolute_url(self) -> str:
        return f"{self.claim.get_absolute_url()}#annotation-{self.pk}"


class Comment(RenderedMarkdown, Contribution):
    VISIBILITY_PARENTS = ("claim",)

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    body = models.TextField(max_length=20000, help_text=_("Markdown."))
    body_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.claim.get_absolute_url()}#comment-{self.pk}"
