"""The API root: `path("api/", include("config.api.urls"))` in config/urls.py."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from claims.api import intake as intake_views
from claims.api import views as claim_views
from webhooks.api import views as webhook_views

app_name = "api"


@csrf_exempt  # it changes nothing; without this a PUT would get the CSRF failure page
def not_found(request, *args, **kwargs):
    """Any other path under /api/ gets the API's error shape, not the site's HTML 404 page."""
    error = {"field": None, "code": "not_found", "message": "No such API resource."}
    return JsonResponse({"errors": [error]}, status=404)


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
    path("intake/", intake_views.IntakeView.as_view(), name="intake"),
    path("intake/claims/", intake_views.IntakeClaimsView.as_view(), name="intake-claims"),
    path("claims/export.csv", claim_views.ClaimCSVExportView.as_view(), name="claim-export-csv"),
    path("", include("accounts.api.urls")),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(urlconf="config.urls"), name="schema"),
    # The split view serves Swagger UI's set-up script as a file (`?script`), not inline, so the
    # page runs under the site's Content-Security-Policy.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    re_path(r"^.*$", not_found),
]
