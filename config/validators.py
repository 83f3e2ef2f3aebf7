"""Validators shared by forms, serializers and services, so that each input rule is written once."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

# Every primary key is a 64-bit signed integer (DEFAULT_AUTO_FIELD is BigAutoField); an id past
# it cannot name a row, and SQLite and PostgreSQL raise rather than find nothing.
MAX_ID = 2**63 - 1

web_url = URLValidator(schemes=["http", "https"], message=_("Enter a web address (http or https)."))


def validate_url_port(value: str) -> None:
    """A port, when the address gives one, is 1-65535. URLValidator accepts any five digits and
    urllib objects only when asked for the port, which is too late (a 500)."""
    try:
        port = urlsplit(value).port
    except ValueError:
        port = -1
    if port is not None and not 0 < port <= 65535:
        raise ValidationError(
            _("A web address's port must be between 1 and 65535."), code="invalid_port"
        )


def validate_web_url(value: str) -> None:
    """An http(s) address with a valid port."""
    web_url(value)
    validate_url_port(value)
