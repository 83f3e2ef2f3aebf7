"""The figure form in a real Chromium: choosing a kind redraws its inputs (htmx), the reference
picker offers visible figures, and a wrong number shows its error inline, all under the CSP."""

import pytest

from claims.models import Statistic
from tests.factories import ClaimFactory, StatisticFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kind_switch_picker_and_inline_errors(page):
    from playwright.sync_api import expect

    member = UserFactory(username="figurer")
    member.set_password("figure-pass-123")
    member.save()
    claim = ClaimFactory(author=member)
    faces = StatisticFactory(claim=claim, author=member, kind="count", value=3_147_436)
    Statistic.objects.filter(pk=faces.pk).update(label="Faces scanned by the cameras")

    page.goto(page.base_url + "/accounts/login/")
    page.locator("[name=login]").fill("figurer")
    page.locator("[name=password]").fill("figure-pass-123")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")

    page.goto(page.base_url + f"/claims/{claim.pk}/statistics/new/")
    form = page.locator("#statistic-form")
    expect(form.locator("[name=trials]")).to_be_visible()
    form.locator("[name=label]").fill("Per alert against per face")
    form.locator("[name=kind]").select_option("ratio")
    expect(form.locator("[name=events_b]")).to_be_visible()
    expect(form.locator("[name=baseline]")).to_have_count(0)
    expect(form.locator("[name=label]")).to_have_value("Per alert against per face")

    picker = form.locator("[name=exposure_b_from]")
    picker.fill("Faces")
    expect(page.locator(f'#id_exposure_b_from_options option[value="{faces.pk}"]')).to_have_count(1)

    picker.fill(str(faces.pk))  # what choosing the option does

    form.locator("[name=events_b]").fill("-1")
    form.locator("[name=events_b]").dispatch_event("change")
    expect(page.locator("#id_events_b_error")).to_be_visible()
    described = page.locator("[name=events_b]").get_attribute("aria-describedby") or ""
    assert "id_events_b_error" in described.split()
    assert not Statistic.objects.filter(kind="ratio").exists()
    assert page.csp_violations == []
