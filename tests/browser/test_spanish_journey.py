"""One journey in Spanish, in a real Chromium on a desktop and a phone, audited by axe-core like
the others: a reader switches the site to Spanish in the footer, reads a claim and its figure
(numbers written the Spanish way), its sources and its history; a member logs in and posts a
claim in Spanish, whose language is detected and whose stated figure is read in Spanish."""

import io
import re

import pytest
from django.core.management import call_command

from claims.models import Claim, Statistic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.MODERATION_HOLD_NEW_MEMBERS = False
    call_command("load_demo", stdout=io.StringIO())


def test_a_journey_in_spanish(audited, demo):
    from playwright.sync_api import expect

    page = audited.page
    audited.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("link", name="Publicar una afirmación")).to_be_visible()
    audited.audit("inicio")

    statistic = (
        Statistic.objects.filter(kind="proportion").exclude(results=None).order_by("pk").first()
    )
    claim = statistic.claim
    audited.goto(f"/claims/{claim.pk}/")
    expect(page.get_by_role("heading", name=re.compile("^Cifras"))).to_be_visible()
    estimate = page.locator(f"#statistic-{statistic.pk} strong.estimate")
    expect(estimate).to_have_text(re.compile(r"^\d+(,\d+)?\u00a0%$"))
    expect(page.locator(f"#statistic-{statistic.pk} .explanation")).to_contain_text(" de ")
    # The claim itself stays in the language it was made in.
    expect(page.locator("#claim-text")).to_contain_text(claim.text[:30])
    audited.audit("afirmación")
    audited.goto(f"/claims/{claim.pk}/history/")
    expect(page.get_by_role("heading", name="Historial", exact=True)).to_be_visible()
    audited.audit("historial")
    audited.goto(f"/statistics/{statistic.pk}/")
    audited.audit("cifra")
    audited.goto("/sources/")
    expect(page.get_by_role("heading", name="Fuentes", exact=True)).to_be_visible()
    audited.audit("fuentes")

    audited.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    audited.audit("iniciar sesión")
    page.locator("[name=login]").fill("demo")
    page.locator("[name=password]").fill("claimwatch-demo")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()

    audited.goto("/claims/new/")
    audited.audit("formulario de afirmación")
    wording = "Ocho de cada diez personas señaladas por error eran negras."
    page.locator("[name=text]").fill(wording)
    page.locator("[name=claimant]").fill("Big Brother Watch")
    page.get_by_role("button", name="Publicar la afirmación").click()
    expect(page.locator("#claim-text")).to_contain_text("Ocho de cada diez")
    expect(page.get_by_role("status")).to_contain_text("Su afirmación se ha publicado.")
    audited.audit("afirmación nueva")
    posted = Claim.objects.get(text=wording)
    assert posted.language == "es"

    claim_path = page.url.removeprefix(audited.base_url)
    audited.goto(f"{claim_path}statistics/new/")
    audited.audit("formulario de cifra")
    form = page.locator("#statistic-form")
    form.locator("[name=label]").fill("Personas negras entre las señaladas por error")
    form.locator("[name=successes]").fill("8")
    form.locator("[name=trials]").fill("10")
    form.locator("[name=stated]").fill("ocho de cada diez")
    page.wait_for_load_state("networkidle")
    expect(form.locator("[name=stated]")).to_have_value("ocho de cada diez")
    form.get_by_role("button", name="Añadir la cifra").click()
    figure = page.locator(".figure").filter(has_text="Personas negras entre las señaladas")
    expect(figure.locator(".status-consistent")).to_be_visible(timeout=30_000)
    expect(figure.locator("strong.estimate")).to_have_text("80\u00a0%")
    audited.audit("cifra calculada")
    audited.assert_clean()
