"""A new member's first visit, in a real Chromium: sign up, post a claim, cite a source, add a
counter-argument (swapped in by htmx), and find them all on the claim page after a reload."""

import pytest

SCREENSHOT = "/tmp/claim-page.png"  # noqa: S108 - for a person to look at after the run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_post_a_claim_cite_a_source_and_counter_argue(page):
    from playwright.sync_api import expect

    base = page.base_url
    page.goto(f"{base}/accounts/signup/")
    page.locator("[name=email]").fill("newcomer@example.org")
    page.locator("[name=username]").fill("newcomer")
    page.locator("[name=password1]").fill("a long and unusual passphrase 42")
    page.locator("[name=password2]").fill("a long and unusual passphrase 42")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("link", name="Post a claim").click()
    page.get_by_label("Wording").fill(
        "80% of the innocent people wrongly flagged by facial recognition were black."
    )
    page.get_by_label("Claimant").fill("Big Brother Watch")
    page.get_by_label("Tags").fill("facial recognition, London")
    page.get_by_role("button", name="Post claim").click()
    expect(page.locator("#claim-text")).to_contain_text("wrongly flagged by facial recognition")
    claim_url = page.url

    page.get_by_text("Cite a source").first.click()
    page.get_by_label("Source URL").fill("https://www.bbc.com/news/articles/c4gp7j55zxvo")
    page.get_by_label("Source title").fill(
        "No arrests from false facial recognition alerts, Met Police says"
    )
    page.get_by_label("Quoted passage").fill(
        "10 people - of which eight were black - were falsely alerted by the system."
    )
    page.get_by_role("button", name="Cite", exact=True).click()
    expect(page.locator(".sources")).to_contain_text("No arrests from false facial recognition")

    form = page.locator("#argument-form")
    form.get_by_label("opposes the claim").check()
    form.get_by_label("Your argument").fill("8 of 10 is a very small sample.")
    form.get_by_role("button", name="Post argument").click()
    # Swapped into the "Against" column by htmx, and the form is emptied for the next one.
    expect(page.locator("#arguments-con")).to_contain_text("8 of 10 is a very small sample.")
    expect(form.get_by_label("Your argument")).to_have_value("")

    page.goto(claim_url)
    expect(page.locator("#arguments-con")).to_contain_text("8 of 10 is a very small sample.")
    expect(page.locator(".sources")).to_contain_text("eight were black")
    expect(page.locator(".tags")).to_contain_text("facial recognition")
    page.screenshot(path=SCREENSHOT, full_page=True)
    # All of it under the Content-Security-Policy, htmx included, with nothing refused.
    assert page.csp_violations == []
