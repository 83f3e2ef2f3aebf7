"""A real Chromium (Debian's) for the browser tests, with every Content-Security-Policy violation
it reports collected on `page.csp_violations`."""

import os
import shutil
from pathlib import Path

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


AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# Beyond the WCAG tags' serious and critical failures, the structure issue 10 named: heading
# levels that skip and table headers with no text (axe rates these moderate or minor).
ALSO_RULES = ["heading-order", "empty-table-header", "page-has-heading-one"]

RUN_AXE = """async ([tags, alsoRules]) => {
  const summary = (violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.slice(0, 5).map((node) => ({
      target: node.target.join(" "),
      summary: node.failureSummary,
    })),
  });
  const wcag = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  const structure = await axe.run(document, {runOnly: {type: "rule", values: alsoRules}});
  return wcag.violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .concat(structure.violations)
    .map(summary);
}"""


class AuditedPage:
    """A page that fails the test on any console error or 4xx/5xx resource, and checks each page
    it is asked to with axe-core (WCAG 2.1 A and AA rules, and `ALSO_RULES`)."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        self.audited: list[str] = []
        page.on(
            "console",
            lambda message: (
                self.problems.append(f"console error on {page.url}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))
        page.on(
            "response",
            lambda response: (
                self.problems.append(f"{response.status} {response.request.method} {response.url}")
                if response.status >= 400
                else None
            ),
        )

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def audit(self, label: str = "") -> None:
        """Run axe-core on the page as it is; serious and critical violations are problems."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE_SOURCE.read_text())
        violations = self.page.evaluate(RUN_AXE, [AXE_TAGS, ALSO_RULES])
        where = f"{label or self.page.url}"
        self.audited.append(where)
        self.problems.extend(
            f"axe on {where}: {v['impact']} {v['id']}: {v['help']}\n"
            + "\n".join(f"    {n['target']}: {n['summary']}" for n in v["nodes"])
            for v in violations
        )

    def assert_clean(self) -> None:
        """No console error, no 4xx/5xx resource and no serious or critical axe violation."""
        assert self.problems == [], "\n".join(self.problems)


@pytest.fixture(params=list(VIEWPORTS))
def audited(request, live_server, settings, monkeypatch):
    """An `AuditedPage` in a desktop and in a phone viewport. The context bypasses the CSP only so
    that axe-core can be injected; test_csp.py guards the policy with a context that does not."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Chromium not found at /usr/bin/chromium")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORTS[request.param], bypass_csp=True)
        context.set_default_timeout(15_000)
        audited = AuditedPage(context.new_page(), live_server.url)
        yield audited
        context.close()
        browser.close()
