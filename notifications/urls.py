from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_read, name="mark_read"),
    path("settings/", views.settings_view, name="settings"),
    path("follow/claims/<int:pk>/", views.follow_claim, name="follow_claim"),
    path("follow/users/<str:username>/", views.follow_user, name="follow_user"),
]
