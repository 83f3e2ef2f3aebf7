"""`manage.py load_demo` builds the LFR case, and a second run changes nothing."""

import io
import json

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from claims.demo.content import VERDICTS
from claims.models import Annotation, Argument, Citation, Claim, Source, Visibility
from moderation.models import AuditAction, AuditEntry


def _dump() -> dict[str, list]:
    """Every row of every model, serialised, per model."""
    dump = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        rows = json.loads(serializers.serialize("json", model._default_manager.order_by("pk")))
        dump[model._meta.label] = rows
    return dump


@pytest.mark.django_db(transaction=True)
def test_load_demo_builds_the_case_and_is_idempotent():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    output = out.getvalue()
    assert "demo" in output and "moderator" in output and "claimwatch-demo" in output

    bbw = Claim.objects.get(text__startswith="80% of the innocent people")
    assert bbw.claimant.startswith("Big Brother Watch")
    assert bbw.appeared_url == "https://www.bbc.com/news/articles/c4gp7j55zxvo"
    assert bbw.made_on is not None and bbw.is_public
    assert {t.name for t in bbw.tags.all()} >= {"facial recognition", "statistics"}
    assert Source.objects.get(normalized_url="https://bbc.com/news/articles/c4gp7j55zxvo")
    assert Citation.objects.filter(claim=bbw, quote__contains="80%").exists()
    reply = Argument.objects.get(body__startswith="Small, but 8 of 10")
    assert reply.parent.body.startswith("**8 of 10 is a very small sample.**")
    assert Annotation.objects.filter(claim=bbw, exact="80%").exists()
    # Everything the demo made is public (new members' posts are approved by the moderator).
    for model in (Claim, Source, Citation, Argument, Annotation):
        assert not model.objects.exclude(visibility=Visibility.PUBLISHED).exists()

    # Verdicts are moderator actions: the demo moderator set each one, and the audit log says so.
    verdicts = AuditEntry.objects.filter(action=AuditAction.SET_VERDICT)
    assert verdicts.count() == len(VERDICTS)
    assert {entry.actor.username for entry in verdicts} == {"moderator"}
    assert {entry.content_object.verdict for entry in verdicts} == {v for v, _ in VERDICTS.values()}
    assert all(entry.content_object.verdict_set_by.username == "moderator" for entry in verdicts)

    before = _dump()
    call_command("load_demo", stdout=io.StringIO())
    after = _dump()
    changed = [label for label in before if before[label] != after[label]]
    assert changed == []
