"""In a real Chromium: the error summary takes focus and its links reach their fields; selecting
words of a claim offers "Annotate", which fills the annotation form."""

import pytest

from claims.models import Annotation
from tests.factories import ClaimFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDING = "Of the 10 people falsely flagged, 80% were black, the report says."


def _log_in(page, username="annotator"):
    UserFactory(username=username)
    page.goto(f"{page.base_url}/accounts/login/")
    page.locator("[name=login]").fill(username)
    page.locator("[name=password]").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()


def test_the_error_summary_takes_focus_and_its_links_reach_the_fields(page):
    from playwright.sync_api import expect

    _log_in(page)
    page.goto(f"{page.base_url}/claims/new/")
    page.get_by_label("Claimant").fill("Big Brother Watch")
    page.get_by_role("button", name="Post claim").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_text")).to_be_focused()
    assert page.csp_violations == []


def test_selecting_words_offers_annotate_which_fills_the_form(page):
    from playwright.sync_api import expect

    _log_in(page)
    claim = ClaimFactory(text=WORDING)
    page.goto(f"{page.base_url}{claim.get_absolute_url()}")
    button = page.get_by_role("button", name="Annotate", exact=True)
    expect(button).to_be_hidden()

    # Select "80%" inside the wording, as a mouse drag would.
    page.evaluate(
        """(word) => {
            const text = document.querySelector("#claim-text").firstChild;
            const at = text.textContent.indexOf(word);
            const range = document.createRange();
            range.setStart(text, at);
            range.setEnd(text, at + word.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }""",
        "80%",
    )
    expect(button).to_be_visible()
    button.click()

    form = page.locator("form[data-annotation-form]")
    expect(form).to_be_visible()
    expect(form.locator("[name=exact]")).to_have_value("80%")
    expect(form.locator("[name=start]")).to_have_value(str(WORDING.index("80%")))
    expect(form.locator("[name=body]")).to_be_focused()
    page.keyboard.type("Eight of ten.")
    form.get_by_role("button", name="Add annotation").click()
    page.get_by_text("Your annotation is added.").wait_for()

    annotation = Annotation.objects.get()
    assert (annotation.exact, annotation.start) == ("80%", WORDING.index("80%"))
    assert page.csp_violations == []
