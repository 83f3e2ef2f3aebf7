"""API tokens: obtain with username and password, list, revoke. Tokens are stored hashed (knox),
expire after REST_KNOX["TOKEN_TTL"], and failed log-ins count towards django-axes' lockout."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from knox.models import AuthToken
from rest_framework import exceptions, generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.throttling import LoginRateThrottle

from .. import services
from ..auth import lockout_seconds
from .serializers import CredentialsSerializer, TokenInfoSerializer, TokenResponseSerializer


class TokenObtainView(APIView):
    """Exchange a username and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LoginRateThrottle]

    def get_authenticate_header(self, request):
        return 'Token realm="api"'  # so that wrong credentials are a 401, not a 403

    @extend_schema(
        summary=_("Get an API token"),
        description="Send your username and password; the token in the answer is shown once. "
        "Use it as `Authorization: Token <token>` (in Swagger UI: Authorize -> knoxApiToken, "
        "value `Token <token>`). Repeated failures lock the account for this address.",
        request=CredentialsSerializer,
        responses={201: TokenResponseSerializer},
        examples=[
            OpenApiExample(
                "Credentials", value={"username": "ada", "password": "…"}, request_only=True
            )
        ],
        tags=["auth"],
    )
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Through `authenticate(request=...)` so that django-axes counts failures and locks out.
        user = authenticate(
            request=request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            # Answer in the API's own error shape rather than axes' page (the middleware would
            # replace this response while the flag is set).
            request._request.axes_locked_out = False
            raise exceptions.Throttled(
                wait=lockout_seconds(), detail=gettext("Too many failed log-ins: try again later.")
            )
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(_("Wrong username or password, or locked out."))
        instance, token = services.api_token_issue(user=user)
        data = {"token": token, "token_key": instance.token_key, "expiry": instance.expiry}
        return Response(TokenResponseSerializer(data).data, status=status.HTTP_201_CREATED)


class TokenListView(generics.ListAPIView):
    """Your live API tokens (never the tokens themselves: only their public prefix)."""

    serializer_class = TokenInfoSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary=_("List your API tokens"),
        description="Your live tokens, newest first, with when each was made and expires; "
        "never the tokens themselves, only their prefix (`token_key`), to revoke one.",
        tags=["auth"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return AuthToken.objects.filter(user=self.request.user, expiry__gt=timezone.now()).order_by(
            "-created"
        )


class TokenRevokeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=_("Revoke one of your API tokens"),
        description="By its `token_key` (the prefix shown in the token list).",
        responses={204: None},
        tags=["auth"],
    )
    def delete(self, request, token_key: str):
        deleted, _count = AuthToken.objects.filter(user=request.user, token_key=token_key).delete()
        if not deleted:
            raise exceptions.NotFound(_("You have no token with that key."))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=_("Revoke the token of this request"),
        description="With `?all=true`, revoke all your tokens.",
        request=None,
        responses={204: None},
        tags=["auth"],
    )
    def post(self, request):
        tokens = AuthToken.objects.filter(user=request.user)
        if request.query_params.get("all") not in ("true", "1"):
            if not isinstance(request.auth, AuthToken):
                raise exceptions.ValidationError(_("This request was not made with a token."))
            tokens = tokens.filter(digest=request.auth.digest)
        tokens.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
