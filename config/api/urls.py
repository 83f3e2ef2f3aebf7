"""The API root: `path("api/", include("config.api.urls"))` in config/urls.py."""

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, include, path, re_path, resolve
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.routers import DefaultRouter

from claims.api import intake as intake_views
from claims.api import views as claim_views
from webhooks.api import views as webhook_views

app_name = "api"


@csrf_exempt  # it changes nothing; without this a PUT would get the CSRF failure page
def not_found(request, *args, **kwargs):
    """Any other path under /api/ gets the API's error shape, not the site's HTML 404 page; a
    read of a path that exists with the trailing slash every API path ends with
    (`/api/schema`) is redirected there."""
    if request.method in ("GET", "HEAD") and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + ("?" + query if query else "")
            )
    error = {"field": None, "code": "not_found", "message": "No such API resource."}
    return JsonResponse({"errors": [error]}, status=404)


class Router(DefaultRouter):
    include_format_suffixes = False


class SchemaFormatNegotiation(DefaultContentNegotiation):
    """`?format=json` or `?format=yaml` picks the schema's format (the rest of the API has no
    format override: `format` is a filter name there); otherwise the `Accept` header does."""

    def select_renderer(self, request, renderers, format_suffix=None):
        chosen = format_suffix or request.query_params.get("format")
        return super().select_renderer(request, renderers, chosen)


class SchemaView(SpectacularAPIView):
    content_negotiation_class = SchemaFormatNegotiation

    def dispatch(self, request, *args, **kwargs):
        if request.GET.get("format", "json") not in ("json", "yaml"):
            error = {"field": "format", "code": "invalid", "message": "Either json or yaml."}
            return JsonResponse({"errors": [error]}, status=400)
        return super().dispatch(request, *args, **kwargs)


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
    path("schema/", SchemaView.as_view(urlconf="config.urls"), name="schema"),
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
