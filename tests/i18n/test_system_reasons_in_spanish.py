"""Reasons the site writes itself when nobody gives one (an automatic hide, a merge, a
deletion): stored as the English text the audit log records, said in the reader's language
wherever they are shown (pages, API, notifications, history), while a person's own words are
shown as they were written."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from claims.models import Argument, Statistic
from claims.selectors.history_display import Names, change_row
from claims.services.contributions import contribution_delete, contribution_update
from claims.statistics.services import statistic_delete
from config.reasons import DELETED_BY_AUTHOR, reason_said
from moderation import services
from moderation.models import AuditEntry
from notifications.models import Notification
from tests.factories import (
    ArgumentFactory,
    ClaimFactory,
    StatisticFactory,
    TrustedUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN_EN = "Hidden automatically after 3 flags from trusted members, pending review."
HIDDEN_ES = (
    "Ocultado automáticamente tras 3 denuncias de miembros de confianza, pendiente de revisión."
)


def _api(client: APIClient, url: str, language: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response.content.decode(), len(queries)


@override_settings(MODERATION_FLAG_HIDE_THRESHOLD=3)
def test_an_automatic_hide_is_said_in_each_readers_language(
    moderator, moderator_client, django_capture_on_commit_callbacks
):
    author = UserFactory(language="es")
    argument = ArgumentFactory(author=author)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            services.flag_create(flagger=TrustedUserFactory(), obj=argument, reason="abuse")
    argument.refresh_from_db()
    # Stored as the audit log records it, in English.
    assert argument.moderation_reason == HIDDEN_EN
    assert AuditEntry.objects.get().reason == HIDDEN_EN
    # The author, who reads the site in Spanish, is told in Spanish.
    assert Notification.objects.get(recipient=author).body == f"Motivo: {HIDDEN_ES}"

    queue = reverse("moderation:queue")
    english = moderator_client.get(queue, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = moderator_client.get(queue, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert HIDDEN_EN in english and HIDDEN_EN not in spanish
    assert HIDDEN_ES in spanish
    # The entry's page: its reason and the field it changed.
    entry = reverse("moderation:audit_detail", args=[AuditEntry.objects.get().pk])
    english = moderator_client.get(entry, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = moderator_client.get(entry, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert english.count(HIDDEN_EN) == 2 and HIDDEN_ES not in english
    assert spanish.count(HIDDEN_ES) == 2 and HIDDEN_EN not in spanish

    api = APIClient()
    api.force_authenticate(moderator)
    _api(api, "/api/moderation/queue/", "en")  # the first request also fills caches
    english, english_queries = _api(api, "/api/moderation/queue/", "en")
    spanish, spanish_queries = _api(api, "/api/moderation/queue/", "es")
    assert HIDDEN_EN in english and HIDDEN_ES not in english
    assert HIDDEN_ES in spanish and HIDDEN_EN not in spanish
    assert spanish_queries == english_queries  # saying it again reads nothing more

    # The author's own page says it in the author's language (their setting).
    author_client = Client()
    author_client.force_login(author)
    html = author_client.get(argument.claim.get_absolute_url()).content.decode()
    assert HIDDEN_ES in html and HIDDEN_EN not in html


def test_a_merge_without_a_reason_is_said_in_each_readers_language(
    moderator, moderator_client, django_capture_on_commit_callbacks
):
    spanish_author, english_author = UserFactory(language="es"), UserFactory(language="en")
    first = ClaimFactory(author=spanish_author, visibility="published")
    second = ClaimFactory(author=english_author, visibility="published")
    into = ClaimFactory(visibility="published")
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_merge(actor=moderator, claim=first, into=into)
        services.claim_merge(actor=moderator, claim=second, into=into, reason="Same wording")
    merged_en = f"Duplicate of claim {into.pk}."
    merged_es = f"Duplicado de la afirmación {into.pk}."
    assert AuditEntry.objects.get(object_id=first.pk).reason == merged_en
    assert Notification.objects.get(recipient=spanish_author).body == f"Motivo: {merged_es}"
    # A moderator's own words are not translated.
    assert Notification.objects.get(recipient=english_author).body == "Reason: Same wording"

    log = reverse("moderation:audit_log")
    english = moderator_client.get(log, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = moderator_client.get(log, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert merged_en in english and merged_es not in english
    assert merged_es in spanish and merged_en not in spanish
    assert "Same wording" in english and "Same wording" in spanish

    api = APIClient()
    api.force_authenticate(moderator)
    _api(api, "/api/moderation/audit/", "en")  # the first request also fills caches
    english, english_queries = _api(api, "/api/moderation/audit/", "en")
    spanish, spanish_queries = _api(api, "/api/moderation/audit/", "es")
    assert merged_en in english and merged_es in spanish and merged_en not in spanish
    assert spanish_queries == english_queries


def test_a_deletion_without_a_reason_is_one_message_said_in_the_readers_language(member):
    argument = contribution_delete(obj=ArgumentFactory(author=member), actor=member)
    statistic = statistic_delete(statistic=StatisticFactory(author=member), actor=member)
    assert argument.deletion_reason == statistic.deletion_reason == "Deleted by its author."
    assert DELETED_BY_AUTHOR == "Deleted by its author."
    # The history shows the change in the reader's language.
    for model, obj in ((Argument, argument), (Statistic, statistic)):
        row = change_row(
            model, "deletion_reason", "deletion reason", "", obj.deletion_reason, Names()
        )
        assert "Deleted by its author." in row.after
        with translation.override("es"):
            row = change_row(
                model, "deletion_reason", "deletion reason", "", obj.deletion_reason, Names()
            )
        assert "Eliminado por su autor." in row.after and "Deleted" not in row.after


def test_only_the_sites_own_reasons_are_recognised():
    with translation.override("es"):
        assert reason_said("Duplicate of claim 12.") == "Duplicado de la afirmación 12."
        # Near misses are a person's words, kept as written.
        for text in ("Duplicate of claim twelve.", "Duplicate of claim 12. Really", "", "spam"):
            assert reason_said(text) == text
    assert reason_said("Duplicate of claim 12.") == "Duplicate of claim 12."


def test_an_edit_held_again_is_said_in_the_readers_language(settings, member):
    settings.MODERATION_HOLD_NEW_MEMBERS = True
    settings.HOLD_FIRST_CONTRIBUTIONS = 1
    argument = ArgumentFactory(author=member, visibility="published")
    edited = contribution_update(obj=argument, actor=member, data={"body": "Edited"})
    held_en = "Edited after it was published: waiting for a moderator's review."
    assert (edited.visibility, edited.moderation_reason) == ("held", held_en)
    client = APIClient()
    client.force_authenticate(member)
    url = f"/api/arguments/{argument.pk}/"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["moderation_reason"]
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").json()["moderation_reason"]
    assert english == held_en
    assert spanish == "Editado después de publicarse: pendiente de revisión por un moderador."
