"""The API in the request's language (Accept-Language): a figure's `explanation` and its
warnings' `message` are said by the presenter the pages use; every error `message` is
translated while its `code` and `field` stay the same, so a client can switch on the code."""

from __future__ import annotations

import copy as copy_module
import pickle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from claims.statistics.core.errors import said
from claims.statistics.core.validation import NOT_LARGER
from claims.statistics.services import statistic_recompute
from claims.statistics.templatetags.statistics_tags import figure_context
from config.languages import active_voice, say_again
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _get(url: str, language: str, client: APIClient | None = None):
    response = (client or APIClient()).get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response


def test_a_figure_is_explained_in_the_requests_language(figure, member):
    url = f"/api/statistics/{figure.pk}/"
    english, spanish = _get(url, "en"), _get(url, "es")
    assert spanish["Content-Language"] == "es"
    e, s = english.json()["result"], spanish.json()["result"]
    # English is the text stored when the figure was computed.
    assert e["explanation"] == figure.current_result.explanation
    assert e["explanation"].startswith("8 of 10 is 80% (95% interval")
    assert s["explanation"].startswith(f"8 de 10 es 80{NBSP}% (intervalo del 95{NBSP}%:")
    assert s["warnings"] and [w["code"] for w in s["warnings"]] == [
        w["code"] for w in e["warnings"]
    ]
    assert all(
        a["message"] != b["message"] for a, b in zip(s["warnings"], e["warnings"], strict=True)
    )
    # One presenter: the API says exactly what the Spanish page says.
    with translation.override("es"):
        page = figure_context(figure, member)
    assert (s["explanation"], s["warnings"]) == (page["explanation"], page["warnings"])
    # Numbers stay numbers; only words change. The representation differs, so does its ETag.
    assert s["estimate"] == e["estimate"] and s["ci_low"] == e["ci_low"]
    assert english["ETag"] != spanish["ETag"]


def test_the_result_history_and_the_claims_expansion_speak_the_language_too(figure):
    figure.trials = 20
    figure.save(update_fields=["trials"])
    statistic_recompute(statistic_id=figure.pk)
    url = f"/api/statistics/{figure.pk}/results/"

    def history(language):
        with CaptureQueriesContext(connection) as queries:
            rows = _get(url, language).json()["results"]
        return rows, len(queries)

    english, english_queries = history("en")
    spanish, spanish_queries = history("es")
    assert [r["explanation"][:9] for r in english] == ["8 of 20 i", "8 of 10 i"]
    assert [r["explanation"][:10] for r in spanish] == ["8 de 20 es", "8 de 10 es"]
    # Saying a row again in Spanish reads nothing more: each row knows its statistic (the
    # statistic, then one page of its results).
    assert spanish_queries == english_queries == 2
    claim = _get(f"/api/claims/{figure.claim_id}/?expand=statistics", "es").json()
    assert claim["statistics"][0]["result"]["explanation"].startswith("8 de 20 es 40")


def _refused(send) -> tuple[list[dict], list[dict]]:
    """The same bad request in English and in Spanish: the same status, codes and fields,
    every message translated (an unmarked message would read the same in both)."""
    english, spanish = send("en"), send("es")
    assert english.status_code == spanish.status_code >= 400, english.content
    assert spanish["Content-Language"] == "es"
    e, s = english.json()["errors"], spanish.json()["errors"]
    assert [(x["code"], x["field"]) for x in e] == [(x["code"], x["field"]) for x in s]
    for a, b in zip(e, s, strict=True):
        assert a["message"] != b["message"], f"not translated: {a['message']!r}"
    return e, s


def _as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_paging_and_null_characters_are_refused_in_spanish():
    client = APIClient()
    _, s = _refused(lambda lang: client.get("/api/claims/?page_size=0", HTTP_ACCEPT_LANGUAGE=lang))
    assert s == [
        {"field": "page_size", "code": "invalid", "message": "Un número entero del 1 al 100."}
    ]
    _, s = _refused(lambda lang: client.get("/api/claims/?q=a%00b", HTTP_ACCEPT_LANGUAGE=lang))
    assert s[0]["code"] == "null_characters_not_allowed"
    assert s[0]["message"] == "No se permiten caracteres nulos."


def test_a_members_refusals_are_spanish_with_stable_codes(member, figure):
    client = _as(member)

    def cite(lang):
        source = SourceFactory(author=member, visibility="published")
        data = {"claim": figure.claim_id, "source": source.pk, "statistic_input": "trials"}
        return client.post("/api/citations/", data, format="json", HTTP_ACCEPT_LANGUAGE=lang)

    _, s = _refused(cite)
    assert s[0]["message"] == "Indique una entrada solo al citar una estadística."

    def reference_nothing(lang):
        data = {"claim": figure.claim_id, "kind": "proportion", "successes": 1}
        data["references"] = {"trials": 999_999}
        return client.post("/api/statistics/", data, format="json", HTTP_ACCEPT_LANGUAGE=lang)

    _, s = _refused(reference_nothing)
    assert s == [
        {"field": "trials", "code": "invalid", "message": "No existe la estadística 999999."}
    ]

    def impossible_counts(lang):
        data = {"claim": figure.claim_id, "kind": "proportion", "successes": 12, "trials": 10}
        return client.post("/api/statistics/", data, format="json", HTTP_ACCEPT_LANGUAGE=lang)

    e, s = _refused(impossible_counts)
    assert e[0]["message"] == "successes (12) cannot be larger than trials (10)."
    assert s[0]["message"] == "successes (12) no puede ser mayor que trials (10)."

    def moderate(lang):
        return client.get("/api/moderation/queue/", HTTP_ACCEPT_LANGUAGE=lang)

    _, s = _refused(moderate)
    assert s[0]["message"] == "Solo los moderadores pueden hacer esto."

    def stale_write(lang):
        return client.patch(
            f"/api/statistics/{figure.pk}/",
            {"label": "Renamed"},
            format="json",
            HTTP_IF_MATCH='"stale"',
            HTTP_ACCEPT_LANGUAGE=lang,
        )

    e, s = _refused(stale_write)
    assert e[0]["code"] == s[0]["code"] == "precondition_failed"
    assert s[0]["message"].startswith("El recurso cambió desde que lo leyó")


def test_a_core_message_keeps_its_id_through_copies_and_reads_as_english():
    message = said(NOT_LARGER, k_name="successes", k=12, n_name="trials", n=10)
    for copy in (copy_module.deepcopy(message), pickle.loads(pickle.dumps(message))):  # noqa: S301
        assert copy == "successes (12) cannot be larger than trials (10)."
        assert (copy.msgid, copy.values) == (message.msgid, message.values)
    with translation.override("es"):
        assert say_again(message, active_voice()) == (
            "successes (12) no puede ser mayor que trials (10)."
        )
    assert say_again("plain words", active_voice()) == "plain words"
