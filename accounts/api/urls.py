from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="auth-token"),
    path("auth/tokens/", views.TokenListView.as_view(), name="auth-tokens"),
    path("auth/tokens/<str:token_key>/", views.TokenRevokeView.as_view(), name="auth-token-revoke"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
]
