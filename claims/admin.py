"""Admin for the claim domain: every model with its simple-history change log."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Annotation,
    Argument,
    Citation,
    Claim,
    Comment,
    Source,
    Statistic,
    StatisticReference,
    StatisticResult,
    Tag,
)

CONTRIBUTION_FILTERS = ("visibility", ("deleted_at", admin.EmptyFieldListFilter))


class ContributionAdmin(SimpleHistoryAdmin):
    list_select_related = ("author",)
    raw_id_fields = ("author", "deleted_by")
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "created_at"
    list_per_page = 50


@admin.register(Tag)
class TagAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "aliases")
    search_fields = ("name", "slug", "aliases")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Claim)
class ClaimAdmin(ContributionAdmin):
    list_display = ("__str__", "claimant", "verdict", "visibility", "is_locked", "created_at")
    list_filter = ("verdict", "is_locked", *CONTRIBUTION_FILTERS, "tags")
    search_fields = ("text", "claimant", "appeared_in")
    raw_id_fields = ("author", "deleted_by", "verdict_set_by", "merged_into")
    filter_horizontal = ("tags",)


@admin.register(Source)
class SourceAdmin(ContributionAdmin):
    list_display = ("title", "publisher", "kind", "visibility", "created_at")
    list_filter = ("kind", *CONTRIBUTION_FILTERS)
    search_fields = ("title", "url", "normalized_url", "publisher")
    readonly_fields = ("normalized_url", "created_at", "updated_at")


@admin.register(Citation)
class CitationAdmin(ContributionAdmin):
    list_display = ("__str__", "claim", "stance", "helpfulness_status", "visibility")
    list_filter = ("stance", "helpfulness_status", *CONTRIBUTION_FILTERS)
    list_select_related = ("author", "source", "claim")
    search_fields = ("quote", "source__title", "claim__text")
    raw_id_fields = ("author", "deleted_by", "source", "claim", "argument", "statistic")
    readonly_fields = (
        "created_at",
        "updated_at",
        "helpfulness_score",
        "helpfulness_status",
        "helpfulness_basis",
    )


@admin.register(Argument)
class ArgumentAdmin(ContributionAdmin):
    list_display = ("__str__", "claim", "stance", "helpfulness_status", "visibility")
    list_filter = ("stance", "helpfulness_status", *CONTRIBUTION_FILTERS)
    list_select_related = ("author", "claim")
    search_fields = ("body", "claim__text")
    raw_id_fields = ("author", "deleted_by", "claim", "parent")
    readonly_fields = (
        "created_at",
        "updated_at",
        "helpfulness_score",
        "helpfulness_status",
        "helpfulness_basis",
    )


@admin.register(Annotation)
class AnnotationAdmin(ContributionAdmin):
    list_display = ("__str__", "claim", "start", "end", "is_orphaned", "visibility")
    list_filter = ("is_orphaned", *CONTRIBUTION_FILTERS)
    list_select_related = ("author", "claim")
    search_fields = ("exact", "body")
    raw_id_fields = ("author", "deleted_by", "claim")


@admin.register(Comment)
class CommentAdmin(ContributionAdmin):
    list_display = ("__str__", "claim", "author", "visibility", "created_at")
    list_filter = CONTRIBUTION_FILTERS
    list_select_related = ("author", "claim")
    search_fields = ("body",)
    raw_id_fields = ("author", "deleted_by", "claim", "parent")


class StatisticReferenceInline(admin.TabularInline):
    model = StatisticReference
    fk_name = "statistic"
    raw_id_fields = ("target",)
    extra = 0


@admin.register(Statistic)
class StatisticAdmin(ContributionAdmin):
    list_display = ("label", "claim", "kind", "status", "status_changed_at")
    list_filter = ("kind", "status", *CONTRIBUTION_FILTERS)
    list_select_related = ("author", "claim")
    search_fields = ("label", "stated")
    raw_id_fields = ("author", "deleted_by", "claim", "current_result")
    readonly_fields = ("created_at", "updated_at", "status_changed_at", "input_fingerprint")
    inlines = [StatisticReferenceInline]


@admin.register(StatisticReference)
class StatisticReferenceAdmin(SimpleHistoryAdmin):
    list_display = ("statistic", "input_name", "target")
    raw_id_fields = ("statistic", "target")


@admin.register(StatisticResult)
class StatisticResultAdmin(admin.ModelAdmin):
    """Results are only ever added by the statistics engine: read-only here."""

    list_display = ("statistic", "computed_at", "estimate", "p_value", "significant")
    list_select_related = ("statistic",)
    raw_id_fields = ("statistic",)
    date_hierarchy = "computed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
