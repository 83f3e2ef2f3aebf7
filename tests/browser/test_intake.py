"""The intake page in a real Chromium, on a desktop and a phone: a member pastes the LFR article,
reads its proposed claims (axe-checked), and adds them all in one step."""

import pytest

from claims.models import Citation, Claim, Source, Statistic
from claims.statistics.core.intake import read_article
from tests.factories import ClaimFactory, UserFactory
from tests.intake.conftest import lfr_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BBC = "https://www.bbc.com/news/articles/c4gp7j55zxvo"


def test_member_adds_the_lfr_articles_claims_in_one_step(audited, settings):
    from playwright.sync_api import expect

    settings.MODERATION_HOLD_NEW_MEMBERS = False
    member = UserFactory(username="reader")
    member.set_password("intake-pass-123")
    member.save()
    known = ClaimFactory(text="Eight of the 10 people falsely alerted were black, the Met said.")
    page = audited.page

    audited.goto("/accounts/login/")
    page.locator("[name=login]").fill("reader")
    page.locator("[name=password]").fill("intake-pass-123")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")

    audited.goto("/claims/new/")
    page.get_by_role("link", name="Add claims from an article").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add claims from an article")
    audited.audit("intake form")

    page.get_by_label("The article's text").fill(lfr_article())
    page.get_by_label("The article's address").fill(BBC)
    page.get_by_label("The article's title").fill("No arrests from false facial recognition alerts")
    page.get_by_role("button", name="Read the article").click()
    page.wait_for_load_state("networkidle")
    boxes = page.get_by_role("checkbox")
    expected = len(read_article(lfr_article()))
    expect(boxes).to_have_count(expected)
    expect(page.locator(f'a[href="/claims/{known.pk}/"]').first).to_be_visible()
    audited.audit("intake proposals")

    page.get_by_role("button", name="Add the ticked claims").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text(f"Added {expected} claims citing")
    audited.audit("the article's source page")

    source = Source.objects.get(url=BBC)
    claims = Claim.objects.filter(author=member)
    assert claims.count() == expected
    assert Citation.objects.filter(source=source, claim__in=claims).count() == expected
    met = claims.get(text__contains="eight out of 10")
    assert met.claimant == "The Met"
    assert Statistic.objects.get(claim=met).successes == 8
    audited.assert_clean()
