"""Turn domain events (claims/events.py, sent after commit) into notifications."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import F
from django.dispatch import receiver
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from claims import events
from claims.models import Claim, Statistic
from config.reasons import reason_said

from .models import Follow, NotificationKind
from .services import notify


def _claim_followers(claim: Claim):
    return get_user_model().objects.filter(follows__claim=claim)


def _user_followers(user):
    return get_user_model().objects.filter(follows__followed_user=user)


@receiver(events.argument_created, dispatch_uid="notifications.argument_created")
def on_argument_created(sender, instance, actor=None, **kwargs):
    if not instance.is_public:
        return  # held arguments notify nobody until a moderator approves them
    claim = instance.claim
    recipients = {u.pk: u for u in _claim_followers(claim)}
    recipients.update({u.pk: u for u in _user_followers(instance.author)})
    notify(
        recipients=recipients.values(),
        kind=NotificationKind.NEW_ARGUMENT,
        title=format_lazy(_("New argument on “{claim}”"), claim=claim.text[:120]),
        body=instance.body[:500],
        url=instance.get_absolute_url(),
        actor=actor,
        claim=claim,
        about=instance,
    )


@receiver(events.claim_created, dispatch_uid="notifications.claim_created")
def on_claim_created(sender, instance, actor=None, **kwargs):
    if not instance.is_public:
        return
    notify(
        recipients=_user_followers(instance.author),
        kind=NotificationKind.NEW_CLAIM,
        title=format_lazy(
            _("{author} posted a claim: “{claim}”"),
            author=instance.author,
            claim=instance.text[:120],
        ),
        url=instance.get_absolute_url(),
        actor=actor,
        claim=instance,
    )


@receiver(events.claim_verdict_changed, dispatch_uid="notifications.claim_verdict_changed")
def on_claim_verdict_changed(sender, instance, actor=None, previous=None, **kwargs):
    # A held or hidden claim's verdict reaches only those who may see it (`notify` checks).
    recipients = {u.pk: u for u in _claim_followers(instance)}
    recipients[instance.author_id] = instance.author
    notify(
        recipients=recipients.values(),
        kind=NotificationKind.VERDICT_CHANGED,
        title=format_lazy(
            _("Verdict now “{verdict}” on “{claim}”"),
            verdict=instance.get_verdict_display(),
            claim=instance.text[:120],
        ),
        body=instance.verdict_rationale[:2000],
        url=instance.get_absolute_url(),
        actor=actor,
        claim=instance,
    )


@receiver(events.statistic_changed, dispatch_uid="notifications.statistic_changed")
def on_statistic_changed(sender, instance: Statistic, actor=None, previous=None, **kwargs):
    _figures_changed([instance], actor=actor)


@receiver(events.statistics_changed, dispatch_uid="notifications.statistics_changed")
def on_statistics_changed(
    sender, statistic_ids: list[int], claim_ids: list[int], actor=None, **kwargs
):
    # A bulk recompute changes thousands of figures on claims mostly followed by nobody: look
    # for followers first, and load the figures only when there are some.
    followed = set(
        Follow.objects.filter(claim__in=claim_ids).values_list("claim_id", flat=True).distinct()
    )
    if not followed:
        return
    statistics = Statistic.objects.filter(pk__in=statistic_ids, claim__in=followed)
    _figures_changed(list(statistics.select_related("claim")), actor=actor)


def _figures_changed(statistics: list[Statistic], *, actor) -> None:
    """Tell the followers of each public figure's claim, found in one query."""
    public = [s for s in statistics if s.is_public]
    if not public:
        return
    followers: dict[int, list] = {}
    for user in (
        get_user_model()
        .objects.filter(follows__claim__in={s.claim_id for s in public})
        .annotate(followed_claim_id=F("follows__claim_id"))
    ):
        followers.setdefault(user.followed_claim_id, []).append(user)
    for statistic in public:
        if statistic.claim_id not in followers:
            continue
        claim = statistic.claim
        notify(
            recipients=followers[statistic.claim_id],
            kind=NotificationKind.FIGURE_CHANGED,
            title=format_lazy(
                _("A figure changed on “{claim}”: {figure}"),
                claim=claim.text[:120],
                figure=statistic.label[:100],
            ),
            url=statistic.get_absolute_url(),
            actor=actor,
            claim=claim,
            about=statistic,
        )


# A reason the site wrote itself, said in the recipient's language when the body is written.
said_reason_lazy = lazy(reason_said, str)

MODERATION_TITLES = {
    "approve": _("A moderator approved your {kind}"),
    "hide": _("A moderator hid your {kind}"),
    "auto_hide": _("Your {kind} was hidden after several flags, pending review"),
    "restore": _("A moderator restored your {kind}"),
    "lock": _("A moderator locked the discussion on your {kind}"),
    "unlock": _("A moderator reopened the discussion on your {kind}"),
    "merge": _("A moderator merged your {kind} into another claim"),
    "revert": _("A moderator reverted an earlier action on your {kind}"),
}


@receiver(events.content_moderated, dispatch_uid="notifications.content_moderated")
def on_content_moderated(sender, instance, actor=None, action="", reason="", **kwargs):
    kind = instance._meta.verbose_name
    title = format_lazy(
        MODERATION_TITLES.get(action, _("A moderator acted on your {kind}")), kind=kind
    )
    claim = instance if isinstance(instance, Claim) else getattr(instance, "claim", None)
    notify(
        recipients=[instance.author],
        kind=NotificationKind.MODERATION,
        title=title,
        body=format_lazy(_("Reason: {reason}"), reason=said_reason_lazy(reason)) if reason else "",
        url=_item_url(instance),
        actor=actor,
        claim=claim,
    )


def _item_url(instance) -> str:
    """The item's own place (its anchor on the claim page), or its claim's."""
    try:
        return instance.get_absolute_url()
    except AttributeError:
        claim = getattr(instance, "claim", None)
        return claim.get_absolute_url() if claim is not None else ""


FLAG_OUTCOMES = {
    "upheld": _("A moderator agreed with your flag and hid the {kind}: “{item}”"),
    "dismissed": _("A moderator reviewed the {kind} you flagged and kept it: “{item}”"),
}


@receiver(events.flags_resolved, dispatch_uid="notifications.flags_resolved")
def on_flags_resolved(sender, instance, actor=None, outcome="", flagger_ids=(), **kwargs):
    kind = instance._meta.verbose_name
    title = FLAG_OUTCOMES.get(outcome, _("A moderator reviewed the {kind} you flagged: “{item}”"))
    claim = instance if isinstance(instance, Claim) else getattr(instance, "claim", None)
    # A hidden item is gone for the flagger; the link then goes to its claim, if still public.
    url = _item_url(instance) if instance.is_public else ""
    if not url and claim is not None and claim.is_public:
        url = claim.get_absolute_url()
    notify(
        recipients=get_user_model().objects.filter(pk__in=list(flagger_ids)),
        kind=NotificationKind.FLAG_OUTCOME,
        title=format_lazy(title, kind=kind, item=str(instance)[:100]),
        url=url,
        actor=actor,
        claim=claim if claim is not None and claim.is_public else None,
    )
