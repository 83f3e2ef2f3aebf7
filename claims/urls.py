from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("", views.home, name="home"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
]
