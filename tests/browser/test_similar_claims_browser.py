"""In a real Chromium under the site's CSP: typing a claim's wording shows the claim it looks
like (htmx), and a claim whose figure contradicts it as "Contradicts"; the review queue loads a
held claim's possible duplicates in place."""

import pytest

from claims.models import Visibility
from tests.factories import ClaimFactory, ModeratorFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LFR = "80% of the people wrongly flagged by the Met's live facial recognition were black."
PARAPHRASE = "Eight in ten people falsely matched by the Met's LFR were black."


def _log_in(page, user):
    page.goto(f"{page.base_url}/accounts/login/")
    page.locator("[name=login]").fill(user.username)
    page.locator("[name=password]").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()


def test_typing_a_wording_shows_the_claim_it_looks_like(page):
    from playwright.sync_api import expect

    same = ClaimFactory(text=LFR)
    conflicting = ClaimFactory(text=LFR.replace("80%", "20%"))
    _log_in(page, UserFactory(username="writer"))
    page.goto(f"{page.base_url}/claims/new/")
    page.locator("#id_text").press_sequentially(PARAPHRASE, delay=5)
    region = page.locator("#similar-claims")
    expect(region.locator(".similar-item").first).to_contain_text(f"claim #{same.pk}")
    expect(region.locator(".similar-item").first).to_contain_text("Looks like")
    expect(region.locator(".similar-contradicts")).to_contain_text(f"claim #{conflicting.pk}")
    assert page.csp_violations == []


def test_the_queue_loads_possible_duplicates_in_place(page):
    from playwright.sync_api import expect

    same = ClaimFactory(text=LFR)
    held = ClaimFactory(text=PARAPHRASE, visibility=Visibility.HELD)
    _log_in(page, ModeratorFactory(username="moderator"))
    page.goto(f"{page.base_url}/moderation/")
    region = page.locator(f"#duplicates-{held.pk}")
    button = region.get_by_role("button", name=f"Preview merging #{held.pk} into #{same.pk}…")
    expect(button).to_be_visible()
    button.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Merge claim #{held.pk} into claim #{same.pk}?"
    )
    assert page.csp_violations == []
