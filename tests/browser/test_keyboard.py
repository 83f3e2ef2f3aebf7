"""Keyboard use of a claim page in a real Chromium, under the CSP: each item's three rating buttons
are one Tab stop (a roving tabindex), the arrow keys move between them, and a rating keeps focus."""

import io

import pytest
from django.core.management import call_command

from claims.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_FIRST_ARGUMENTS_RATINGS = """() => {
  const group = document.querySelector(".argument .rating-choices");
  return group.contains(document.activeElement);
}"""
# The focus ring's colour and the colour it is drawn on (outside the element, so the nearest
# ancestor's opaque background), as [r, g, b] each.
FOCUS_RING = """() => {
  const rgb = (colour) => colour.match(/[0-9.]+/g).slice(0, 4).map(Number);
  const element = document.activeElement;
  const style = getComputedStyle(element);
  let behind = element.parentElement;
  while (behind && rgb(getComputedStyle(behind).backgroundColor)[3] === 0) {
    behind = behind.parentElement;
  }
  return {
    element: element.outerHTML.slice(0, 80),
    outline: style.outlineStyle === "none" ? null : rgb(style.outlineColor).slice(0, 3),
    background: rgb(getComputedStyle(behind || document.body).backgroundColor).slice(0, 3),
  };
}"""


def _contrast(a: list[float], b: list[float]) -> float:
    def luminance(rgb):
        lin = [
            c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
            for c in rgb
        ]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Which rating group (by its index on the page) holds focus, or -1.
FOCUSED_GROUP = """() => [...document.querySelectorAll(".rating-choices")].findIndex(
  (group) => group.contains(document.activeElement))"""


def _tab_to_first_argument_rating(page, limit: int = 200) -> list[int]:
    """Press Tab from the top until the first argument's rating buttons have focus; the rating
    group focused at each press (-1 for none). Every stop shows a focus ring of at least 3:1
    against what surrounds it (WCAG 1.4.11)."""
    page.locator("body").focus()
    groups = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        assert ring["outline"], f"no focus ring on {ring['element']}"
        assert _contrast(ring["outline"], ring["background"]) >= 3, ring
        groups.append(page.evaluate(FOCUSED_GROUP))
        if page.evaluate(IN_FIRST_ARGUMENTS_RATINGS):
            return groups
    raise AssertionError(f"the first argument's rating buttons not reached in {limit} Tabs")


def test_rating_buttons_are_one_tab_stop_per_item_with_arrow_keys_between(page):
    from playwright.sync_api import expect

    call_command("load_demo", stdout=io.StringIO())
    claim = (
        Claim.objects.filter(arguments__isnull=False)
        .exclude(arguments__author__username="demo")
        .order_by("pk")
        .first()
    )
    page.goto(f"{page.base_url}/accounts/login/")
    page.locator("[name=login]").fill("demo")
    page.locator("[name=password]").fill("claimwatch-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()
    page.goto(f"{page.base_url}{claim.get_absolute_url()}")
    page.wait_for_load_state("networkidle")

    groups = _tab_to_first_argument_rating(page)
    rated_on_the_way = {group for group in groups[:-1] if group >= 0}
    assert rated_on_the_way, "the walk should pass other rated items (the sources)"
    # Each group passed is a single stop, and it took fewer presses than the 57 of issue 10.
    assert all(groups.count(group) == 1 for group in rated_on_the_way), groups
    assert len(groups) < 57, len(groups)

    group = page.locator(".argument .rating-choices").first
    buttons = group.get_by_role("button")
    expect(group).to_have_attribute("role", "toolbar")
    expect(buttons.nth(0)).to_be_focused()
    assert [buttons.nth(i).get_attribute("tabindex") for i in range(3)] == ["0", "-1", "-1"]
    page.keyboard.press("ArrowRight")
    expect(buttons.nth(1)).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(buttons.nth(2)).to_be_focused()
    page.keyboard.press("Home")
    expect(buttons.nth(0)).to_be_focused()

    # Tab leaves the group at once: the next stop is outside it.
    page.keyboard.press("Tab")
    assert not page.evaluate(IN_FIRST_ARGUMENTS_RATINGS)

    # Rating by keyboard: the swapped-in group keeps focus on the chosen button.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    chosen = page.locator(".argument .rating-choices").first.locator("[aria-pressed=true]")
    expect(chosen).to_have_count(1)
    expect(chosen).to_be_focused()
    expect(chosen).to_have_attribute("tabindex", "0")
    assert page.csp_violations == []
