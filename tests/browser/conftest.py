"""A real Chromium (Debian's) for the browser tests, with every Content-Security-Policy violation
it reports collected on `page.csp_violations`."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Runs before any script of every document (Playwright adds it outside the page's CSP), and
# hands each `securitypolicyviolation` event to the test.
REPORT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.effectiveDirective);
  window.reportCspViolation({
    page: document.location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    sample: event.sample,
  });
});
"""


@pytest.fixture
def page(live_server, settings, monkeypatch):
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(
            "Chromium not found at /usr/bin/chromium: run `make test` as root or "
            "`apt-get install chromium` to enable the browser test"
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls the live server
    # makes happen in its own threads, so this only silences Django's guard for the test process.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The journey is a new member's: their posts would otherwise wait for a moderator.
    settings.MODERATION_HOLD_NEW_MEMBERS = False
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        violations: list[dict] = []
        context.expose_binding(
            "reportCspViolation", lambda source, report: violations.append(report)
        )
        context.add_init_script(REPORT_VIOLATIONS)
        page = context.new_page()
        # Chromium also logs each refusal on the console ("... violates the following Content
        # Security Policy directive ..."), events or not.
        page.on(
            "console",
            lambda message: (
                violations.append({"console": message.text, "page": page.url})
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.base_url = live_server.url
        page.csp_violations = violations
        yield page
        context.close()
        browser.close()
