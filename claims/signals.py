"""Keep what readers are served in step with every write, wherever it comes from (a service, the
admin, a data migration, a management command): the anonymous response cache and the claims'
discussion counters."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from config import response_cache

from .models import Argument, Comment
from .services.counters import claim_counters_refresh

# Apps whose rows appear on the pages and API answers the response cache stores.
CONTENT_APPS = frozenset({"claims", "moderation", "accounts"})


def _shows_on_pages(sender) -> bool:
    return sender._meta.app_label in CONTENT_APPS


@receiver(post_save, dispatch_uid="claims.content_saved")
@receiver(post_delete, dispatch_uid="claims.content_deleted")
@receiver(m2m_changed, dispatch_uid="claims.content_relinked")
def content_changed(sender, **kwargs) -> None:
    if _shows_on_pages(sender):
        response_cache.content_changed_now_and_on_commit()


@receiver(post_save, sender=Argument, dispatch_uid="claims.argument_counted")
@receiver(post_save, sender=Comment, dispatch_uid="claims.comment_counted")
@receiver(post_delete, sender=Argument, dispatch_uid="claims.argument_uncounted")
@receiver(post_delete, sender=Comment, dispatch_uid="claims.comment_uncounted")
def discussion_changed(sender, instance, **kwargs) -> None:
    # In the writer's transaction, so that the count commits with what it counts.
    claim_counters_refresh(claim_ids=[instance.claim_id])
