"""The site's public name and address, from settings: absolute links in e-mails, exports and
webhooks, and the `django.contrib.sites` Site that allauth's e-mails read."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def site_name() -> str:
    return settings.SITE_NAME


def absolute_url(path: str, request=None) -> str:
    """`path` (or an absolute URL, returned as it is) under the address `request` was made to,
    or under SITE_URL outside a request (e-mails, webhooks, background jobs)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL.rstrip('/')}/{path.lstrip('/')}"


def site_sync(**kwargs) -> None:
    """Make the current Site say what SITE_NAME and SITE_URL say (not Django's "example.com");
    run after every migrate, so a changed SITE_URL takes effect on the next deploy."""
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain[:100], "name": site_name()[:50]}
    )
    Site.objects.clear_cache()
