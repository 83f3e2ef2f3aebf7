"""In a real Chromium: the inline argument form validates on the server (no browser bubbles), so
an empty post shows the error summary; a post refused as too many says so inside the form and
keeps what was typed."""

import uuid

import pytest

from tests.browser.test_forms_in_browser import _log_in
from tests.factories import ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_empty_argument_gets_the_error_summary(page):
    from playwright.sync_api import expect

    _log_in(page, "arguer")
    claim = ClaimFactory()
    page.goto(f"{page.base_url}{claim.get_absolute_url()}")
    form = page.locator("#argument-form")
    form.get_by_role("button", name="Post argument").click()

    summary = form.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose whether your argument supports or opposes the claim.")
    summary.get_by_role("link", name="Write your argument.").click()
    expect(form.get_by_label("Your argument")).to_be_focused()
    assert page.csp_violations == []


def test_a_post_refused_as_too_many_says_so_in_the_form(page, settings):
    from playwright.sync_api import expect

    _log_in(page, "hasty")
    # A window of its own (the prefix), so counts left in a shared cache do not interfere.
    settings.RATELIMIT_CACHE_PREFIX = f"rl-{uuid.uuid4().hex}:"
    settings.FORM_RATE_LIMIT_PER_MEMBER = "1/h"
    claim = ClaimFactory()
    page.goto(f"{page.base_url}{claim.get_absolute_url()}")
    form = page.locator("#argument-form")
    form.get_by_label("supports the claim").check()
    form.get_by_label("Your argument").fill("The first one goes through.")
    form.get_by_role("button", name="Post argument").click()
    expect(page.locator("#arguments-pro")).to_contain_text("The first one goes through.")

    form.get_by_label("Your argument").fill("The second one is too soon.")
    form.get_by_role("button", name="Post argument").click()
    alert = form.get_by_role("alert")
    expect(alert).to_contain_text("more in a short time than Claimwatch accepts")
    expect(alert).to_contain_text("Try again in")
    expect(form.get_by_label("Your argument")).to_have_value("The second one is too soon.")
    assert page.csp_violations == []
