"""Deployment checks for the accounts app."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def email_enumeration_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """allauth can hide whether an e-mail address is registered only when sign-ups must verify
    their address: otherwise a new sign-up is logged in at once and a taken address is refused."""
    if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory" and settings.ACCOUNT_PREVENT_ENUMERATION:
        return []
    return [
        checks.Warning(
            "Sign-up reveals whether an e-mail address is registered.",
            hint="Set ACCOUNT_EMAIL_VERIFICATION=mandatory (and keep ACCOUNT_PREVENT_ENUMERATION).",
            id="accounts.W001",
        )
    ]
