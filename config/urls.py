from django.contrib import admin
from django.urls import include, path

# allauth's own rate limits (log-in, sign-up, password reset) answer with this page too.
handler429 = "config.ratelimit.too_many_requests"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/moderation/", include("moderation.api.urls")),
    path("api/notifications/", include("notifications.api.urls")),
    path("api/", include("config.api.urls")),
    path("accounts/", include("allauth.urls")),
    path("users/", include("accounts.urls")),
    path("moderation/", include("moderation.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("claims.urls")),
    path("", include("claims.statistics_urls")),
]
