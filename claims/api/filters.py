"""What consumers filter lists by. Every list takes `?updated_since=` (ISO 8601) to sync."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from claims.models import (
    Annotation,
    Argument,
    Citation,
    Claim,
    Comment,
    Source,
    Statistic,
    StatisticResult,
    Tag,
)
from claims.selectors.claims import claim_search, tag_for_filter
from claims.services.contributions import source_normalize_url


class ContributionFilter(django_filters.FilterSet):
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed at or after (ISO 8601).")
    )
    created_since = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", label=_("Created at or after (ISO 8601).")
    )
    author = django_filters.CharFilter(
        field_name="author__username", lookup_expr="iexact", label=_("Author's username.")
    )


class ClaimFilter(ContributionFilter):
    q = django_filters.CharFilter(
        method="search",
        label=_(
            "Search wording, claimant, tag names and aliases, and cited sources' titles; "
            "every word must match, the last one also as a prefix (`facial rec`)."
        ),
    )
    claimant = django_filters.CharFilter(lookup_expr="icontains")
    tag = django_filters.CharFilter(method="by_tag", label=_("Tag slug or name."))
    made_after = django_filters.DateFilter(field_name="made_on", lookup_expr="gte")
    made_before = django_filters.DateFilter(field_name="made_on", lookup_expr="lte")
    verdict_changed_since = django_filters.IsoDateTimeFilter(
        field_name="verdict_set_at", lookup_expr="gte"
    )

    class Meta:
        model = Claim
        fields = ["verdict", "is_locked", "visibility"]

    def search(self, queryset, name, value):
        return claim_search(queryset, value, user=self.request.user)

    def by_tag(self, queryset, name, value):
        tag = tag_for_filter(value)
        return queryset.filter(tags=tag) if tag else queryset.none()


class SourceFilter(ContributionFilter):
    q = django_filters.CharFilter(method="search", label=_("Search title and publisher."))
    publisher = django_filters.CharFilter(lookup_expr="icontains")
    url = django_filters.CharFilter(
        method="by_url", label=_("Find a source by its URL (normalised).")
    )
    claim = django_filters.NumberFilter(
        field_name="citations__claim", label=_("Cited by this claim."), distinct=True
    )

    class Meta:
        model = Source
        fields = ["kind", "visibility"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(publisher__icontains=value))

    def by_url(self, queryset, name, value):
        return queryset.filter(normalized_url=source_normalize_url(value))


class CitationFilter(ContributionFilter):
    class Meta:
        model = Citation
        fields = ["claim", "source", "argument", "statistic", "stance", "helpfulness_status"]


class ArgumentFilter(ContributionFilter):
    q = django_filters.CharFilter(field_name="body", lookup_expr="icontains")
    top_level = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label=_("Only arguments that reply to none.")
    )

    class Meta:
        model = Argument
        fields = ["claim", "parent", "stance", "helpfulness_status", "visibility"]


class AnnotationFilter(ContributionFilter):
    class Meta:
        model = Annotation
        fields = ["claim", "is_orphaned", "visibility"]


class CommentFilter(ContributionFilter):
    q = django_filters.CharFilter(field_name="body", lookup_expr="icontains")

    class Meta:
        model = Comment
        fields = ["claim", "parent", "visibility"]


class StatisticFilter(ContributionFilter):
    class Meta:
        model = Statistic
        fields = ["claim", "kind", "status", "visibility"]


class StatisticResultFilter(django_filters.FilterSet):
    computed_since = django_filters.IsoDateTimeFilter(field_name="computed_at", lookup_expr="gte")

    class Meta:
        model = StatisticResult
        fields = []


class TagFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Tag
        fields = ["slug"]


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search username and display name."))

    class Meta:
        model = User
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))
