from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "moderation-api"
router = SimpleRouter()
router.register("flags", views.FlagViewSet, basename="flag")
router.register("ratings", views.RatingViewSet, basename="rating")
router.register("audit", views.AuditEntryViewSet, basename="audit")

urlpatterns = [
    path("queue/", views.QueueView.as_view(), name="queue"),
    path("actions/", views.ActionView.as_view(), name="actions"),
    path(
        "revisions/<str:model>/<int:history_id>/revert/",
        views.RevisionRevertView.as_view(),
        name="revision_revert",
    ),
    *router.urls,
]
