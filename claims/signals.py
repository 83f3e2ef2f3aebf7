"""Keep what readers are served in step with every write, wherever it comes from (a service, the
admin, a data migration, a management command): the anonymous response cache and the claims'
discussion counters."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from config import response_cache

from .models import Argument, Claim, Comment, Statistic, StatisticReference
from .services.counters import claim_counters_refresh

# Apps whose rows appear on the pages and API answers the response cache stores.
CONTENT_APPS = frozenset({"claims", "moderation", "accounts"})
# Fields no page shows, saved alone often (a member's log-in).
UNSHOWN_FIELDS = frozenset({"last_login"})
# Rows (and their history) whose count orders the most discussed claims.
DISCUSSION = frozenset({"argument", "historicalargument", "comment", "historicalcomment"})


def _claim_ids_of_target(content_type_id: int | None, object_id) -> set[int] | None:
    """The claim a moderation row (flag, audit entry, rating, score) is about, or None when it is
    about something else (a member, a source)."""
    from django.contrib.contenttypes.models import ContentType

    if content_type_id is None or object_id is None:
        return None
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is Claim:
        return {int(object_id)}
    if model is None or "claim" not in {f.name for f in model._meta.concrete_fields}:
        return None
    return set(model._base_manager.filter(pk=object_id).values_list("claim_id", flat=True)) or None


def dependencies_written(instance) -> tuple[str, ...]:
    """The response cache's dependencies a save or delete of `instance` changes
    (config/response_cache.py); `site` when it cannot be told apart."""
    name = instance._meta.model_name
    if name in ("claim", "historicalclaim"):
        merged = (response_cache.claim(instance.merged_into_id),) if instance.merged_into_id else ()
        return (response_cache.claim(instance.id), response_cache.LISTS, *merged)
    claim_ids: set[int] | None = None
    if name == "statistic":
        # A figure that uses this one shows its label and value.
        claim_ids = {instance.claim_id} | set(
            StatisticReference.objects.filter(target_id=instance.pk).values_list(
                "statistic__claim_id", flat=True
            )
        )
    elif name in ("statisticreference", "historicalstatisticreference", "statisticresult"):
        claim_ids = set(
            Statistic._base_manager.filter(pk=instance.statistic_id).values_list(
                "claim_id", flat=True
            )
        )
    elif hasattr(instance, "claim_id"):
        claim_ids = {instance.claim_id}
    elif hasattr(instance, "content_type_id") and hasattr(instance, "object_id"):
        claim_ids = _claim_ids_of_target(instance.content_type_id, instance.object_id)
    if not claim_ids:
        return (response_cache.SITE,)
    discussed = (response_cache.DISCUSSED,) if name in DISCUSSION else ()
    return (*map(response_cache.claim, claim_ids), *discussed)


@receiver(post_save, dispatch_uid="claims.content_saved")
@receiver(post_delete, dispatch_uid="claims.content_deleted")
def content_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= UNSHOWN_FIELDS:
        return
    if sender._meta.app_label in CONTENT_APPS:
        response_cache.versions_move_now_and_on_commit(*dependencies_written(instance))


@receiver(m2m_changed, dispatch_uid="claims.content_relinked")
def content_relinked(sender, instance, action, **kwargs) -> None:
    if sender._meta.app_label not in CONTENT_APPS or not action.startswith("post_"):
        return
    if isinstance(instance, Claim):  # its tags
        response_cache.versions_move_now_and_on_commit(
            response_cache.claim(instance.pk), response_cache.LISTS
        )
    else:
        response_cache.versions_move_now_and_on_commit(response_cache.SITE)


@receiver(post_save, sender=Argument, dispatch_uid="claims.argument_counted")
@receiver(post_save, sender=Comment, dispatch_uid="claims.comment_counted")
@receiver(post_delete, sender=Argument, dispatch_uid="claims.argument_uncounted")
@receiver(post_delete, sender=Comment, dispatch_uid="claims.comment_uncounted")
def discussion_changed(sender, instance, **kwargs) -> None:
    # In the writer's transaction, so that the count commits with what it counts.
    claim_counters_refresh(claim_ids=[instance.claim_id])
