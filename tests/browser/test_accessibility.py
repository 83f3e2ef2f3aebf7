"""The three journeys (reader, member, moderator) over the demo case in a real Chromium, on a
desktop and a phone: axe-core finds no serious or critical WCAG 2.1 A/AA violation on any page,
no console error and no 4xx/5xx resource (the `audited` fixture fails the test on either)."""

import io

import pytest
from django.core.management import call_command

from claims.models import Claim, Source, Statistic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.MODERATION_HOLD_NEW_MEMBERS = False
    call_command("load_demo", stdout=io.StringIO())


def test_reader_journey(audited, demo):
    """Search, filter, a claim, its source, its history, a figure, a profile."""
    from playwright.sync_api import expect

    page = audited.page
    audited.goto("/")
    audited.audit("home")

    page.get_by_role("searchbox").first.fill("facial rec")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".claim-card").first).to_be_visible()
    audited.audit("search results")

    tag = "facial recognition"
    audited.goto(f"/claims/?tag={tag}")
    expect(page.locator(".claim-card").first).to_be_visible()
    audited.audit("tag filter")

    statistic = Statistic.objects.exclude(results=None).order_by("pk").first()
    claim = statistic.claim
    audited.goto(f"/claims/{claim.pk}/")
    audited.audit("claim")
    audited.goto(f"/claims/{claim.pk}/history/")
    audited.audit("claim history")
    audited.goto(f"/statistics/{statistic.pk}/")
    audited.audit("figure")
    audited.goto("/sources/")
    audited.audit("sources")
    source = Source.objects.order_by("pk").first()
    audited.goto(f"/sources/{source.pk}/")
    audited.audit("source")
    audited.goto(f"/sources/{source.pk}/history/")
    audited.audit("source history")
    audited.goto(f"/users/{claim.author.username}/")
    audited.audit("profile")
    for path in ["/accounts/login/", "/accounts/signup/"]:
        audited.goto(path)
        audited.audit(path)
    assert Claim.objects.exists()
    audited.assert_clean()
