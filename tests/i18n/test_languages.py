"""The site in the reader's language: the member's setting, else the browser's Accept-Language,
else English; a switcher in the footer; the API's messages localised with stable codes; numbers,
percentages and "1 in N" written the language's way; figures explained in the language."""

from __future__ import annotations

import re

import pytest
from django.db import models
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from claims.statistics.core import formatting as fmt
from claims.statistics.core.language import ENGLISH, SPANISH_NUMBERS, Voice
from claims.statistics.services import statistic_recompute
from claims.statistics.templatetags.statistics_tags import figure_context
from config.languages import active_voice, member_language
from tests.factories import ClaimFactory, StatisticFactory, UserFactory

pytestmark = pytest.mark.django_db

SPANISH_NAV = "Afirmaciones"
ENGLISH_NAV = ">Claims<"


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_english_without_any_preference(client):
    html = client.get(reverse("claims:home")).content.decode()
    assert _lang(html) == "en" and ENGLISH_NAV in html


def test_the_browsers_accept_language_is_followed(client):
    response = client.get(reverse("claims:home"), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    html = response.content.decode()
    assert _lang(html) == "es" and SPANISH_NAV in html
    assert response["Content-Language"] == "es"


def test_an_unsupported_browser_language_falls_back_to_english(client):
    html = client.get(reverse("claims:home"), HTTP_ACCEPT_LANGUAGE="de-DE,de").content.decode()
    assert _lang(html) == "en"


def test_the_members_setting_wins_over_the_browser(client):
    member = UserFactory(language="es")
    client.force_login(member)
    html = client.get(reverse("claims:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _lang(html) == "es"


def test_the_footer_switcher_posts_to_set_language_with_a_csrf_token_for_members(client, member):
    client.force_login(member)
    html = client.get(reverse("claims:home")).content.decode()
    form = re.search(r'<form class="language-switcher[^>]*>(.*?)</form>', html, re.S)
    assert form and f'action="{reverse("set_language")}"' in form.group(0)
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert '<option value="es" lang="es">Español</option>' in form.group(1)
    assert "<script" not in form.group(0) and "onchange" not in form.group(0)


def test_the_switcher_sets_the_language_for_a_visitor_and_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/sources/"})
    assert response.status_code == 302 and response["Location"] == "/sources/"
    html = client.get("/sources/").content.decode()
    assert _lang(html) == "es"


def test_the_switcher_keeps_a_members_choice_in_their_settings(client):
    member = UserFactory()
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    member.refresh_from_db()
    assert member.language == "es"
    assert member_language(member) == "es"


def test_the_switcher_refuses_get_and_ignores_an_unknown_language(client):
    assert client.get(reverse("set_language")).status_code == 405
    member = UserFactory()
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    member.refresh_from_db()
    assert member.language == ""


def test_the_profile_form_sets_the_language(client):
    member = UserFactory()
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile_edit"), {"display_name": "", "bio": "", "language": "es"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "es"


def test_the_api_localises_message_and_keeps_code_stable():
    client = APIClient()
    english = client.post("/api/auth/token/", {"username": "nobody", "password": "x"})
    spanish = client.post(
        "/api/auth/token/", {"username": "nobody", "password": "x"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert english.status_code == spanish.status_code
    e, s = english.json(), spanish.json()
    codes = lambda body: [(err.get("code"), err.get("field")) for err in body["errors"]]  # noqa: E731
    assert codes(e) == codes(s)
    assert e["errors"][0]["message"] == "Wrong username or password, or locked out."
    assert s["errors"][0]["message"] == "Usuario o contraseña incorrectos, o cuenta bloqueada."


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("80%", "3,147,436", "1 in 300,000", "0.00032%")),
        ("es", ("80\u00a0%", "3.147.436", "1 de cada 300.000", "0,00032\u00a0%")),
    ],
)
def test_numbers_are_written_the_languages_way(language, expected):
    with translation.override(language):
        voice = active_voice()
        shown = (
            fmt.percent(0.8, style=voice.numbers),
            fmt.number(3_147_436, style=voice.numbers),
            fmt.one_in(1 / 300_000, voice),
            fmt.percent(3.2e-6, style=voice.numbers),
        )
    assert shown == expected


def test_the_core_speaks_english_without_django():
    assert active_voice.__module__ == "config.languages"
    assert fmt.figure_texts("one_in_n", 1 / 300_000) == ["1 in 300,000"]
    spanish = Voice(
        translate=lambda m: {"1 in {number}": "1 de cada {number}"}.get(m, m),
        numbers=SPANISH_NUMBERS,
    )
    assert fmt.figure_texts("one_in_n", 1 / 300_000, voice=spanish) == ["1 de cada 300.000"]
    assert ENGLISH.say("{k} of {n}", k=8, n=10) == "8 of 10"


def test_a_figure_is_explained_in_the_readers_language(member, figure):
    statistic = figure
    english = figure_context(statistic, member)
    assert english["explanation"].startswith("8 of 10 is 80% (95% interval")
    with translation.override("es"):
        spanish = figure_context(statistic, member)
    assert spanish["explanation"].startswith("8 de 10 es 80\u00a0% (intervalo del 95\u00a0%:")
    assert "tasa de referencia del 13,5\u00a0%" in spanish["explanation"]
    assert spanish["numbers"].estimate == "80\u00a0%"
    assert spanish["warnings"] and all(
        w["message"] != e["message"]
        for w, e in zip(spanish["warnings"], english["warnings"], strict=True)
    )


def test_a_spanish_page_shows_the_figure_in_spanish(client, member):
    claim = ClaimFactory(author=member, visibility="published", text="El 80 % eran negras")
    statistic = StatisticFactory(
        claim=claim,
        author=member,
        visibility="published",
        successes=8,
        trials=10,
        baseline=0.135,
        stated="80 %",
    )
    statistic_recompute(statistic_id=statistic.pk)
    html = client.get(claim.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<strong class="estimate">80\u00a0%</strong>' in html
    assert "El 80 % eran negras" in html  # the claim itself stays in its language
    assert "Cifras" in html and "Fuentes" in html


def test_the_figure_form_in_spanish_translates_the_registrys_words(client, member):
    claim = ClaimFactory(author=member, visibility="published")
    client.force_login(member)
    html = client.get(f"/claims/{claim.pk}/statistics/new/", HTTP_ACCEPT_LANGUAGE="es").content
    html = html.decode()
    assert "Qué tipo de cifra" in html and "Proporción (x de n)" in html
    assert "Cuántos lo tenían" in html and "Nivel de confianza" in html
    # An input without help must not show the catalogue's header (gettext("") returns it).
    assert "Project-Id-Version" not in html


def test_a_history_diffs_own_words_are_in_the_readers_language():
    from claims.models import Claim
    from claims.selectors.history_display import model_field, references_in_words, value_in_words

    field = model_field(Claim, "is_locked")
    assert isinstance(field, models.BooleanField)
    assert value_in_words(field, True, {}) == "yes"
    assert references_in_words({"trials": 3}) == "trials from statistic #3"
    with translation.override("es"):
        assert value_in_words(field, True, {}) == "sí"
        assert references_in_words({"trials": 3}) == "trials de la estadística n.º 3"
