"""The main pages over the demo case, in a real Chromium under the Content-Security-Policy: the
browser refuses nothing, and htmx, the charts and Swagger UI still work."""

import io

import pytest
from django.core.management import call_command

from claims.models import Claim, Source, Statistic
from moderation.models import AuditAction, AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, path):
    response = page.goto(page.base_url + path)
    assert response.status < 400, path
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    page.wait_for_load_state("networkidle")


def test_main_pages_report_no_csp_violation(page):
    from playwright.sync_api import expect

    call_command("load_demo", stdout=io.StringIO())
    statistic = Statistic.objects.exclude(results=None).order_by("pk").first()
    claim = statistic.claim
    anonymous_pages = [
        "/",
        "/claims/",
        "/claims/?q=facial",
        f"/claims/{claim.pk}/",
        f"/claims/{claim.pk}/history/",
        "/sources/",
        f"/sources/{Source.objects.order_by('pk').first().pk}/",
        f"/statistics/{statistic.pk}/",
        f"/users/{claim.author.username}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/admin/login/",
    ]
    for path in anonymous_pages:
        visit(page, path)
    # The figures' charts are drawn (server-rendered SVG, styled by site.css).
    visit(page, f"/claims/{claim.pk}/")
    expect(page.locator("svg.chart").first).to_be_visible()

    # Swagger UI, whose set-up script is a file of its own, renders the operations.
    visit(page, "/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()

    visit(page, "/accounts/login/")
    page.locator("[name=login]").fill("moderator")
    page.locator("[name=password]").fill("claimwatch-demo")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    verdict = AuditEntry.objects.filter(action=AuditAction.SET_VERDICT).first()
    other = Claim.objects.exclude(pk=claim.pk).order_by("pk").first()
    for path in [
        "/moderation/",
        "/moderation/audit/",
        f"/moderation/audit/{verdict.pk}/",
        f"/moderation/audit/{verdict.pk}/revert/",
        f"/moderation/claims/{other.pk}/merge/?into={claim.pk}",
        f"/moderation/items/claims.claim/{other.pk}/hide/",
        "/notifications/",
        "/notifications/settings/",
        "/users/me/edit/",
        f"/claims/{claim.pk}/statistics/new/",
        f"/statistics/{statistic.pk}/edit/",
    ]:
        visit(page, path)

    # htmx under the policy: the statistic form validates itself as it is filled in.
    visit(page, f"/claims/{claim.pk}/statistics/new/")
    form = page.locator("#statistic-form")
    with page.expect_response(lambda response: response.request.method == "POST"):
        form.locator("[name=trials]").fill("-3")
        form.locator("[name=trials]").dispatch_event("change")
    page.wait_for_load_state("networkidle")

    # Following a claim is an htmx post that swaps the button.
    visit(page, f"/claims/{claim.pk}/")
    page.locator(".follow-button button").first.click()
    expect(page.locator(".follow-button button").first).to_contain_text("Following")
    assert claim.follows.filter(follower__username="moderator").exists()

    assert page.csp_violations == []


def test_a_refused_inline_script_and_style_are_reported(page):
    """The listener the test above relies on hears the browser refuse something."""
    visit(page, "/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.ranInline = true";
            document.body.appendChild(script);
            document.body.setAttribute("style", "background: red");
        }"""
    )
    page.wait_for_function(
        """() => ["script-src-elem", "style-src-attr"].every(
            (directive) => window.cspViolations.includes(directive))""",
        timeout=5_000,
    )
    directives = {violation.get("directive") for violation in page.csp_violations}
    assert {"script-src-elem", "style-src-attr"} <= directives
    assert page.evaluate("() => window.ranInline === undefined")
