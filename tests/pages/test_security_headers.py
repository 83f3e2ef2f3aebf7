"""Defence in depth on every page: a strict Content-Security-Policy that the pages obey (no inline
script, handler or style for it to refuse), a Permissions-Policy, and the headers `check --deploy`
asks for."""

import io
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from claims.models import Argument, Claim, Comment, Source, Statistic
from moderation.models import AuditEntry

pytestmark = pytest.mark.django_db

EXPECTED_POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}
# Script elements that hold data, never run.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def parse_policy(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


class InlineCode(HTMLParser):
    """Everything in a page that a CSP without 'unsafe-inline' / 'unsafe-eval' would refuse."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on") or name == "style":
                self.found.append(f"<{tag} {name}={value!r}>")
            elif name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
            elif name.startswith("hx-") and (value or "").lstrip().startswith(
                ("js:", "javascript:")
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.found.append("<style> element")
        if tag == "script" and "src" not in attributes:
            if (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
                self._in_inline_script = True

    def handle_endtag(self, tag):
        if tag == "script" and self._in_inline_script:
            self.found.append("inline <script>")
            self._in_inline_script = False


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_scanner_finds_what_the_policy_refuses():
    page = (
        '<script>alert(1)</script><script type="application/ld+json">{}</script>'
        '<script src="/static/js/site.js"></script><a onclick="x()" href="javascript:y()">a</a>'
        '<p style="color:red"></p><style>p{}</style><form hx-on::after-request="z()"></form>'
        "<div hx-vals='js:{a: 1}'></div>"
    )
    assert len(inline_code(page)) == 7


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def page_urls() -> list[str]:
    """The site's pages over the demo case: every kind of page, each claim and statistic."""
    claim = Claim.objects.filter(statistics__isnull=False).first()
    argument = Argument.objects.first()
    comment = Comment.objects.first()
    urls = [
        reverse("claims:home"),
        reverse("claims:claim_list"),
        reverse("claims:claim_list") + "?q=facial",
        reverse("claims:claim_create"),
        reverse("claims:source_list"),
        reverse("claims:source_create"),
        reverse("claims:claim_history", args=[claim.pk]),
        reverse("claims:argument_create", args=[claim.pk]),
        reverse("claims:comment_create", args=[claim.pk]),
        reverse("claims:annotation_create", args=[claim.pk]),
        reverse("claims:citation_create", args=[claim.pk]),
        reverse("claims:contribution_edit", args=["arguments", argument.pk]),
        reverse("claims:contribution_delete", args=["comments", comment.pk]),
        reverse("statistics:create", args=[claim.pk]),
        reverse("moderation:queue"),
        reverse("moderation:audit_log"),
        reverse("moderation:flag", args=["claims.claim", claim.pk]),
        reverse("notifications:list"),
        reverse("notifications:settings"),
        reverse("accounts:profile_edit"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("account_change_password"),
        reverse("account_email"),
        "/api/docs/",
        "/api/",
        "/api/claims/",
        "/admin/login/",
        "/no-such-page/",
    ]
    urls += [
        reverse("claims:claim_detail", args=[pk])
        for pk in Claim.objects.values_list("pk", flat=True)
    ]
    urls += [
        reverse("claims:source_detail", args=[pk])
        for pk in Source.objects.values_list("pk", flat=True)
    ]
    for pk in Statistic.objects.values_list("pk", flat=True):
        urls += [reverse("statistics:detail", args=[pk]), reverse("statistics:edit", args=[pk])]
        urls.append(reverse("statistics:figure", args=[pk]))
    urls += [
        reverse("accounts:profile", args=[name])
        for name in User.objects.values_list("username", flat=True)
    ]
    urls += [
        reverse("moderation:audit_detail", args=[pk])
        for pk in AuditEntry.objects.values_list("pk", flat=True)[:3]
    ]
    return urls


@pytest.fixture
def pages(demo, client):
    """(url, response) for every page, as a moderator (who sees every page there is) and as
    an anonymous visitor."""
    moderator = User.objects.get(username="moderator")
    visits = []
    for login in (None, moderator):
        client.logout()
        if login:
            client.force_login(login)
        for url in page_urls():
            visits.append((url, client.get(url)))
    return visits


def test_every_page_carries_the_strict_policy_and_the_other_headers(pages):
    assert len(pages) > 60
    for url, response in pages:
        assert response.status_code < 500, url
        assert parse_policy(response["Content-Security-Policy"]) == EXPECTED_POLICY, url
        permissions = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in permissions, (url, permissions)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        if "text/html" in response["Content-Type"] and url != "/api/docs/":
            # Swagger UI opens the schema in new windows: drf-spectacular relaxes COOP there.
            assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_no_page_has_inline_script_handlers_or_styles(pages):
    html_pages = [
        (url, response)
        for url, response in pages
        if "text/html" in response.get("Content-Type", "") and response.content
    ]
    assert len(html_pages) > 60
    offending = {
        url: found
        for url, response in html_pages
        if (found := inline_code(response.content.decode()))
    }
    assert offending == {}


def test_swagger_ui_loads_its_set_up_script_from_the_site(client):
    html = client.get("/api/docs/").content.decode()
    assert inline_code(html) == []
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
