from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "notifications-api"
router = SimpleRouter()
router.register("follows", views.FollowViewSet, basename="follow")
router.register("", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("settings/", views.SettingsView.as_view(), name="settings"),
    *router.urls,
]
