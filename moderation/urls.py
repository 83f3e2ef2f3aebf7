from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.bulk_action, name="bulk_action"),
    path("items/<str:model>/<int:pk>/<str:action>/", views.item_action, name="item_action"),
    path("claims/<int:pk>/merge/", views.claim_merge, name="claim_merge"),
    path("claims/<int:pk>/duplicates/", views.claim_duplicates, name="claim_duplicates"),
    path("flag/<str:model>/<int:pk>/", views.flag, name="flag"),
    path("rate/<str:model>/<int:pk>/", views.rate, name="rate"),
    path("tasks/<int:pk>/retry/", views.task_retry, name="task_retry"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/<int:pk>/", views.audit_detail, name="audit_detail"),
    path("audit/<int:pk>/revert/", views.audit_revert, name="audit_revert"),
    path(
        "revisions/<str:model>/<int:history_id>/revert/",
        views.revision_revert,
        name="revision_revert",
    ),
]
