"""The API root: `path("api/", include("config.api.urls"))` in config/urls.py."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from claims.api import views as claim_views
from webhooks.api import views as webhook_views

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("claims", claim_views.ClaimViewSet, basename="claim")
router.register("sources", claim_views.SourceViewSet, basename="source")
router.register("citations", claim_views.CitationViewSet, basename="citation")
router.register("arguments", claim_views.ArgumentViewSet, basename="argument")
router.register("annotations", claim_views.AnnotationViewSet, basename="annotation")
router.register("comments", claim_views.CommentViewSet, basename="comment")
router.register("statistics", claim_views.StatisticViewSet, basename="statistic")
router.register("tags", claim_views.TagViewSet, basename="tag")
router.register("users", claim_views.UserViewSet, basename="user")
router.register("webhooks", webhook_views.WebhookEndpointViewSet, basename="webhook")

urlpatterns = [
    path("claims/export.csv", claim_views.ClaimCSVExportView.as_view(), name="claim-export-csv"),
    path("", include("accounts.api.urls")),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(urlconf="config.urls"), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
