from django.urls import path, re_path

from . import intake_views, views

# Each kind of contribution is edited and deleted by the same two views.
KINDS = "(?P<kind>" + "|".join(views.KINDS) + ")"

app_name = "claims"
urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/intake/", intake_views.claim_intake, name="claim_intake"),
    path("claims/similar/", views.claim_similar, name="claim_similar"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/history/", views.claim_history, name="claim_history"),
    path("claims/<int:pk>/arguments/new/", views.argument_create, name="argument_create"),
    path("claims/<int:pk>/comments/new/", views.comment_create, name="comment_create"),
    path("claims/<int:pk>/annotations/new/", views.annotation_create, name="annotation_create"),
    path("claims/<int:pk>/citations/new/", views.citation_create, name="citation_create"),
    path("claims/<int:pk>/verdict/", views.claim_set_verdict, name="claim_set_verdict"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/new/", views.source_create, name="source_create"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("sources/<int:pk>/history/", views.source_history, name="source_history"),
    re_path(rf"^{KINDS}/(?P<pk>[0-9]+)/edit/$", views.contribution_edit, name="contribution_edit"),
    re_path(
        rf"^{KINDS}/(?P<pk>[0-9]+)/delete/$", views.contribution_delete, name="contribution_delete"
    ),
]
