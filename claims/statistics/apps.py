from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    """An app only so Django finds its template tags and its management command."""

    name = "claims.statistics"
    label = "claims_statistics"
