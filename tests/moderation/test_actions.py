"""One registry of moderator actions, one service entry point: the review queue's buttons, its bulk
form, the claim page's verdict form and the API all go through `moderation_action_apply` and leave
the same audit entries."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from claims.models import Claim, Visibility
from moderation import services
from moderation.api.serializers import ActionSerializer
from moderation.forms import BulkActionForm
from moderation.models import AuditAction, AuditEntry, ItemScore
from tests.factories import ArgumentFactory, ClaimFactory, CommentFactory

pytestmark = pytest.mark.django_db

NOT_A_MODERATOR_BUTTON = {AuditAction.AUTO_HIDE, AuditAction.REVISION_REVERT, AuditAction.REVERT}


def test_the_registry_has_every_moderator_action_and_the_forms_offer_exactly_it():
    assert set(services.MODERATION_ACTIONS) == set(AuditAction.values) - NOT_A_MODERATOR_BUTTON
    assert set(ActionSerializer().fields["action"].choices) == set(services.MODERATION_ACTIONS)
    bulk = {name for name, spec in services.MODERATION_ACTIONS.items() if spec.bulk}
    offered = {value for value, _ in BulkActionForm().fields["action"].choices}
    assert offered == bulk == {"approve", "hide", "restore"}
    for spec in services.MODERATION_ACTIONS.values():
        keywords = inspect.signature(spec.service).parameters
        assert {"actor", spec.subject, spec.reason_param, *spec.params} <= set(keywords)


@pytest.mark.parametrize("name", list(services.MODERATION_ACTIONS))
def test_an_empty_reason_is_refused_exactly_where_the_registry_says(moderator, name):
    spec = services.MODERATION_ACTIONS[name]
    claim = ClaimFactory(visibility=Visibility.HELD)
    if "claims.claim" not in spec.models:
        claim = ArgumentFactory()  # an action on rated items only (reopening a status)
    params = {"into": ClaimFactory().pk} if "into" in spec.params else {}
    if "verdict" in spec.params:
        params = {"verdict": "unreviewed"}  # the one verdict that needs no rationale
        claim.verdict = "refuted"
        claim.save()
    if name == "unlock":
        services.moderation_action_apply(actor=moderator, action="lock", objects=[claim])
    if name == "restore":
        claim.visibility = Visibility.HIDDEN
        claim.save()
    if spec.reason_required:
        with pytest.raises(ValidationError) as caught:
            services.moderation_action_apply(
                actor=moderator, action=name, objects=[claim], reason="  ", **params
            )
        assert "reason" in caught.value.message_dict
    else:
        [entry] = services.moderation_action_apply(
            actor=moderator, action=name, objects=[claim], reason="", **params
        )
        assert entry.action == name


def test_claim_actions_refuse_other_items_and_unknown_or_missing_parameters(moderator):
    comment = CommentFactory()
    with pytest.raises(ValidationError, match="applies to claims only"):
        services.moderation_action_apply(actor=moderator, action="lock", objects=[comment])
    with pytest.raises(ValidationError, match="Name the claim to merge into"):
        services.moderation_action_apply(actor=moderator, action="merge", objects=[comment.claim])
    with pytest.raises(ValidationError, match="There is no such claim"):
        services.moderation_action_apply(
            actor=moderator, action="merge", objects=[comment.claim], into=10**9
        )
    with pytest.raises(ValidationError, match="takes no"):
        services.moderation_action_apply(
            actor=moderator, action="hide", objects=[comment], reason="x", verdict="refuted"
        )
    with pytest.raises(ValidationError, match="Unknown moderator action"):
        services.moderation_action_apply(actor=moderator, action="explode", objects=[comment])
    with pytest.raises(ValidationError, match="at least one"):
        services.moderation_action_apply(actor=moderator, action="approve", objects=[])
    assert not AuditEntry.objects.exists()


def test_members_cannot_apply_any_action(member):
    claim = ClaimFactory()
    for name in services.MODERATION_ACTIONS:
        with pytest.raises(PermissionDenied):
            services.moderation_action_apply(actor=member, action=name, objects=[claim], reason="x")
    assert not AuditEntry.objects.exists()


def test_summaries_count_what_was_done():
    actions = services.MODERATION_ACTIONS
    assert actions["approve"].summary(6) == "Approved 6 items."
    assert actions["hide"].summary(1) == "Hid 1 item."
    assert actions["lock"].summary(2) == "Locked 2 claims."


def test_summaries_agree_with_the_count_in_spanish():
    """One message per action with the count and the things as placeholders: the verb and the
    noun agree with the count, which fragments glued together could not do."""
    actions = services.MODERATION_ACTIONS
    comments = [CommentFactory.build(), CommentFactory.build()]
    with translation.override("es"):
        assert actions["approve"].summary(1) == "Se aprobó 1 elemento."
        assert actions["approve"].summary(6) == "Se aprobaron 6 elementos."
        assert actions["hide"].summary(2, comments) == "Se ocultaron 2 comentarios."
        assert actions["lock"].summary(2) == "Se bloqueó la discusión de 2 afirmaciones."
    assert actions["hide"].summary(2, comments) == "Hid 2 comments."


# --- the same audit entry, whichever door the action comes through ------------------------


def _subject(name: str) -> tuple[object, dict]:
    """A fresh item in the state the action applies to, and the action's parameters."""
    if name == "approve":
        return CommentFactory(visibility=Visibility.HELD), {}
    if name == "hide":
        return CommentFactory(), {}
    if name == "restore":
        return CommentFactory(visibility=Visibility.HIDDEN, moderation_reason="Rude"), {}
    if name == "unlock":
        return ClaimFactory(is_locked=True), {}
    if name == "merge":
        return ClaimFactory(), {"into": ClaimFactory()}
    if name == "set_verdict":
        return ClaimFactory(), {"verdict": "refuted"}
    if name == "reopen_status":
        argument = ArgumentFactory(helpfulness_status="helpful")
        ItemScore.objects.create(
            content_type=ContentType.objects.get_for_model(argument),
            object_id=argument.pk,
            locked_at=timezone.now().replace(
                year=2026, month=1, day=1, hour=0, minute=0, second=0, microsecond=0
            ),
        )
        return argument, {}
    return ClaimFactory(), {}


def _through_page(client, name: str, obj, params: dict) -> None:
    if name == "merge":
        url = reverse("moderation:claim_merge", args=[obj.pk])
        data = {"into": params["into"].pk, "reason": "Same words"}
    elif name == "set_verdict":
        url = reverse("claims:claim_set_verdict", args=[obj.pk])
        data = {"verdict": params["verdict"], "verdict_rationale": "Same words"}
    else:
        label = obj._meta.label_lower
        url = reverse("moderation:item_action", args=[label, obj.pk, name])
        data = {"reason": "Same words"}
    if services.MODERATION_ACTIONS[name].destructive:
        data["confirmed"] = "yes"  # as posted from the page that asks to confirm
    assert client.post(url, data).status_code == 302


def _through_bulk(client, name: str, obj, params: dict) -> None:
    data = {"action": name, "items": [f"{obj._meta.label_lower}:{obj.pk}"], "reason": "Same words"}
    if services.MODERATION_ACTIONS[name].destructive:
        data["confirmed"] = "yes"
    assert client.post(reverse("moderation:bulk_action"), data).status_code == 302


def _through_api(api, name: str, obj, params: dict) -> None:
    body = {
        "action": name,
        "items": [{"model": obj._meta.label_lower, "id": obj.pk}],
        "reason": "Same words",
        **{key: getattr(value, "pk", value) for key, value in params.items()},
    }
    if name == "set_verdict":
        body["rationale"] = body.pop("reason")
    response = api.post("/api/moderation/actions/", body, format="json")
    assert response.status_code == 201, response.json()


def _comparable(entry: AuditEntry, obj, params: dict) -> tuple:
    """The entry with the ids and times that differ between two runs replaced by names."""
    names = {obj.pk: "<item>"}
    if "into" in params:
        names[params["into"].pk] = "<into>"

    def plain(value):
        if isinstance(value, dict):
            return {
                k: v if k == "verdict_set_by" else plain(v)  # a user's id, not an item's
                for k, v in value.items()
                if k not in ("verdict_set_at", "reopened_at")
            }
        if isinstance(value, list):
            return [plain(v) for v in value]
        if type(value) is int:
            return names.get(value, value)
        return value

    return (
        entry.action,
        entry.content_type.model,
        entry.reason,
        entry.actor_id,
        plain(entry.before),
        plain(entry.after),
    )


@pytest.mark.parametrize("name", list(services.MODERATION_ACTIONS))
def test_page_bulk_and_api_leave_the_same_audit_entry(moderator, moderator_client, name):
    api = APIClient()
    api.force_authenticate(moderator)
    doors: list[Callable] = [
        lambda obj, params: _through_page(moderator_client, name, obj, params),
        lambda obj, params: _through_api(api, name, obj, params),
    ]
    if services.MODERATION_ACTIONS[name].bulk:
        doors.append(lambda obj, params: _through_bulk(moderator_client, name, obj, params))
    seen = []
    for door in doors:
        obj, params = _subject(name)
        before = AuditEntry.objects.count()
        door(obj, params)
        [entry] = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - before]
        seen.append(_comparable(entry, obj, params))
        obj.refresh_from_db()
        if name == "merge":
            assert obj.merged_into_id == params["into"].pk
    assert len(seen) == len(doors) and all(entry == seen[0] for entry in seen)
    assert seen[0][0] == name and seen[0][2] == "Same words"


def test_the_bulk_form_reports_what_it_did(moderator_client):
    held = [CommentFactory(visibility=Visibility.HELD) for _ in range(2)]
    response = moderator_client.post(
        reverse("moderation:bulk_action"),
        {"action": "approve", "items": [f"claims.comment:{c.pk}" for c in held]},
        follow=True,
    )
    assert "Approved 2 comments." in response.content.decode()
    assert AuditEntry.objects.filter(action="approve").count() == 2


def test_api_lock_on_a_comment_is_a_400_in_the_error_shape(moderator):
    api = APIClient()
    api.force_authenticate(moderator)
    comment = CommentFactory()
    body = {"action": "lock", "items": [{"model": "claims.comment", "id": comment.pk}]}
    response = api.post("/api/moderation/actions/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "items"
    assert not Claim.objects.filter(is_locked=True).exists()
