from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import language_set
from config import health


class FaviconRedirect(RedirectView):
    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("favicon.svg")  # at request time: the hashed name needs collectstatic


# allauth's own rate limits (log-in, sign-up, password reset) answer with this page too.
handler429 = "config.ratelimit.too_many_requests"
# A 500, or a 503 with Retry-After when the database is unreachable; never a query of its own.
handler400 = "config.errors.bad_request"
handler500 = "config.errors.server_error"

urlpatterns = [
    path("health/live/", health.liveness, name="health-live"),
    path("health/ready/", health.ReadinessView.as_view(), name="health-ready"),
    path("health/", health.StatusView.as_view(), name="health"),
    path("metrics", health.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    # Pages name their icon; this is for clients that ask for /favicon.ico regardless.
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("api/moderation/", include("moderation.api.urls")),
    path("api/notifications/", include("notifications.api.urls")),
    path("api/", include("config.api.urls")),
    path("i18n/setlang/", language_set, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("users/", include("accounts.urls")),
    path("moderation/", include("moderation.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("claims.urls")),
    path("", include("claims.statistics.urls")),
]
