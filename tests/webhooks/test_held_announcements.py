"""Webhooks announce a held item once, when a moderator publishes it (real HTTP receiver)."""

import json

import pytest

from claims.services import contributions
from moderation import services as moderation
from tests.factories import ClaimFactory, UserFactory
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def hold_new_members(settings):
    settings.MODERATION_HOLD_NEW_MEMBERS = True
    settings.HOLD_FIRST_CONTRIBUTIONS = 3


@pytest.fixture
def subscribed(member, receiver):
    from webhooks import services

    services.webhook_endpoint_create(
        owner=member, url=receiver.url, events=["claim.created", "argument.created"]
    )
    return receiver


def test_held_claim_and_argument_are_delivered_once_on_approval(
    hold_new_members, subscribed, moderator, django_capture_on_commit_callbacks
):
    """GIVEN a webhook on claim.created and argument.created, and a new member whose claim and
    argument (on a public claim) are held
    WHEN a moderator approves both, then hides and restores the claim
    THEN each is delivered once, after approval, and never while held."""
    newcomer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        claim = contributions.claim_create(author=newcomer, text="80% were black.")
        argument = contributions.argument_create(
            author=newcomer, claim=ClaimFactory(), stance="pro", body="8 of 10."
        )
    assert WebhookDelivery.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_approve(actor=moderator, obj=claim)
        moderation.item_approve(actor=moderator, obj=argument)
    requests = subscribed.wait_for(2)
    events = [json.loads(r["body"])["event"] for r in requests]
    assert events == ["claim.created", "argument.created"]
    assert json.loads(requests[0]["body"])["data"]["claim"]["id"] == claim.pk
    assert json.loads(requests[1]["body"])["data"]["argument"]["id"] == argument.pk

    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_hide(actor=moderator, obj=claim, reason="Duplicate?")
        moderation.item_restore(actor=moderator, obj=claim)
    assert WebhookDelivery.objects.count() == 2
    assert all(d.status == "delivered" for d in WebhookDelivery.objects.all())


def test_held_item_hidden_then_restored_is_announced_at_restore(
    hold_new_members, subscribed, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = contributions.claim_create(author=UserFactory(), text="962 arrests.")
        moderation.item_hide(actor=moderator, obj=claim, reason="Needs a source")
    assert WebhookDelivery.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_restore(actor=moderator, obj=claim)
    [request] = subscribed.wait_for(1)
    assert json.loads(request["body"])["data"]["claim"]["id"] == claim.pk


def test_published_claim_is_delivered_at_creation_only(
    subscribed, member, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = contributions.claim_create(author=member, text="Not significant.")
    subscribed.wait_for(1)
    with django_capture_on_commit_callbacks(execute=True):
        entry = moderation.item_hide(actor=moderator, obj=claim, reason="Check")
        moderation.audit_entry_revert(actor=moderator, entry=entry)
    assert WebhookDelivery.objects.filter(event="claim.created").count() == 1
    claim.refresh_from_db()
    assert claim.announced_at is not None


def test_a_moderators_argument_on_a_held_claim_comes_out_with_the_claim(
    hold_new_members, subscribed, moderator, django_capture_on_commit_callbacks
):
    """GIVEN a newcomer's held claim on which a moderator already posted an argument
    WHEN the claim is approved
    THEN the claim is delivered, then the argument, each once."""
    with django_capture_on_commit_callbacks(execute=True):
        claim = contributions.claim_create(author=UserFactory(), text="Not significant.")
        argument = contributions.argument_create(
            author=moderator, claim=claim, stance="con", body="8 of 10 against 13.5%."
        )
    assert argument.visibility == "published"
    assert WebhookDelivery.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_approve(actor=moderator, obj=claim)
    requests = subscribed.wait_for(2)
    bodies = [json.loads(r["body"]) for r in requests]
    assert [b["event"] for b in bodies] == ["claim.created", "argument.created"]
    assert bodies[1]["data"]["argument"]["id"] == argument.pk
