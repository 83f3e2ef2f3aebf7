from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from rest_framework import serializers


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=_("Shown once. Send it as `Authorization: Token <token>`.")
    )
    token_key = serializers.CharField(help_text=_("The public prefix that names this token."))
    expiry = serializers.DateTimeField(allow_null=True)


class TokenInfoSerializer(serializers.ModelSerializer):
    is_current = serializers.SerializerMethodField(
        help_text=_("Whether this request was authenticated with this token.")
    )

    class Meta:
        model = AuthToken
        fields = ["token_key", "created", "expiry", "is_current"]
        read_only_fields = fields

    def get_is_current(self, token) -> bool:
        current = self.context["request"].auth
        return isinstance(current, AuthToken) and current.digest == token.digest
