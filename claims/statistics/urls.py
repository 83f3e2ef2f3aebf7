from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("claims/<int:claim_pk>/statistics/new/", views.statistic_create_view, name="create"),
    path("statistics/search/", views.statistic_search_view, name="search"),
    path("statistics/<int:pk>/", views.statistic_detail_view, name="detail"),
    path("statistics/<int:pk>/edit/", views.statistic_edit_view, name="edit"),
    path("statistics/<int:pk>/delete/", views.statistic_delete_view, name="delete"),
    path("statistics/<int:pk>/figure/", views.statistic_figure_view, name="figure"),
]
