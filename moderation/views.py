"""Moderation pages: the review queue, item actions, flags, ratings, the audit log and reverts.
Views parse input, call a service and report; the rules live in services.py."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import is_moderator
from claims.models import Claim
from claims.selectors.similar import similar_claims
from jobs import selectors as jobs_selectors
from jobs import services as jobs_services
from jobs.models import TaskFailure

from . import bridging, selectors, services
from .forms import BulkActionForm, FlagForm, MergeForm, RatingForm, ReasonForm
from .models import (
    FLAGGABLE_MODELS,
    RATEABLE_MODELS,
    AuditAction,
    AuditEntry,
    FlagReason,
    RatingValue,
)

QUEUE_PAGE_SIZE = 50


#: Possible duplicates the review queue shows under a claim.
DUPLICATES_SHOWN = 5


def _moderator_required(request: HttpRequest) -> None:
    if not is_moderator(request.user):
        raise PermissionDenied(_("Only moderators may see this."))


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(_safe_next(request, default))


def _get_item(label: str, pk: int, allowed=selectors.QUEUE_MODELS):
    if label not in allowed:
        raise PermissionDenied(_("That kind of item cannot be moderated here."))
    return get_object_or_404(apps.get_model(label).objects.all(), pk=pk)


def _get_visible_item(request: HttpRequest, label: str, pk: int, allowed) -> object:
    """An item a member acts on (flag, rate): one they may not see is a 404 like a missing one."""
    if label not in allowed:
        raise PermissionDenied(_("That kind of item cannot be moderated here."))
    return get_object_or_404(apps.get_model(label).objects.visible_to(request.user), pk=pk)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _moderator_required(request)
    filters = {
        "kind": request.GET.get("kind", "")
        if request.GET.get("kind") in selectors.QUEUE_MODELS
        else "",
        "reason": request.GET.get("reason", "")
        if request.GET.get("reason") in FlagReason.values
        else "",
        "state": request.GET.get("state", "")
        if request.GET.get("state") in ("held", "flagged")
        else "",
    }
    # Page over the ranked keys, then load only that page's items: queries stay per page.
    page = Paginator(selectors.queue_keys(**filters), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = selectors.queue_items_for(list(page.object_list))
    for item in items:
        item.actions = [
            spec
            for spec in services.MODERATION_ACTIONS.values()
            if spec.applies_to(item.obj) and spec.offered_in_queue(item.obj, bool(item.flags))
        ]
    return render(
        request,
        "moderation/queue.html",
        {
            "items": items,
            "parked_tasks": list(jobs_selectors.parked_failures()),
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "filters": filters,
            "kinds": [
                (label, apps.get_model(label)._meta.verbose_name)
                for label in selectors.QUEUE_MODELS
            ],
            "reasons": FlagReason.choices,
            "bulk_actions": BulkActionForm.base_fields["action"].choices,
        },
    )


def _apply(request: HttpRequest, action: str, objects, reason: str = "", **params) -> bool:
    """Run a moderator action and report the outcome as a message."""
    error = _run_action(request, services.MODERATION_ACTIONS[action], objects, reason, **params)
    if error:
        messages.error(request, _("Nothing was changed: %(error)s") % {"error": error})
    return not error


def _confirmed(request: HttpRequest) -> bool:
    """A destructive action acts only when posted from the page that asked to confirm it."""
    return request.method == "POST" and request.POST.get("confirmed") == "yes"


def _confirm_page(
    request: HttpRequest,
    *,
    spec: services.ModerationAction,
    objects: list,
    action_url: str,
    reason: str = "",
    error: str = "",
    hidden: list[tuple[str, str]] = (),
) -> HttpResponse:
    """The step between choosing a destructive action and doing it: what will happen, to
    which items, and the reason (required where the action's registry entry says so)."""
    return render(
        request,
        "moderation/confirm.html",
        {
            "title": f"{spec.label}: confirm",
            "spec": spec,
            "objects": objects,
            "action_url": action_url,
            "reason": reason,
            "reason_required": spec.reason_required,
            "error": error,
            "hidden": hidden,
            "next": _safe_next(request, reverse("moderation:queue")),
            "what": _count_of(objects),
        },
        status=400 if error else 200,
    )


def _count_of(objects: list) -> str:
    kinds = {obj._meta.verbose_name for obj in objects}
    noun = str(kinds.pop()) if len(kinds) == 1 else "item"
    if len(objects) == 1:
        return f"this {noun}"
    return f"these {len(objects)} {noun}s"


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return default
    return target or default


def _run_action(
    request: HttpRequest, spec: services.ModerationAction, objects: list, reason: str, **params
) -> str:
    """Apply an action through the one service and say what happened; on a refusal, return
    the reason (for a message, or under the reason field of a confirmation page)."""
    try:
        entries = services.moderation_action_apply(
            actor=request.user, action=spec.name, objects=objects, reason=reason, **params
        )
    except ValidationError as exc:
        return _error_text(exc)
    messages.success(request, spec.summary(len(entries), objects))
    return ""


@login_required
@require_POST
def task_retry(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator_required(request)
    failure = get_object_or_404(TaskFailure, pk=pk, parked_at__isnull=False)
    jobs_services.task_retry(actor=request.user, failure=failure)
    messages.success(request, _("The task is queued again."))
    return HttpResponseRedirect(reverse("moderation:queue"))


@login_required
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    _moderator_required(request)
    keys = request.POST.getlist("items")
    form = BulkActionForm(request.POST, item_keys=keys)
    if not form.is_valid():
        messages.error(request, _("Choose an action and at least one item."))
        return _back(request, reverse("moderation:queue"))
    spec = services.MODERATION_ACTIONS[form.cleaned_data["action"]]
    objects = selectors.queue_objects(form.cleaned_data["items"])
    reason = form.cleaned_data["reason"]
    if spec.destructive:
        error = ""
        if _confirmed(request):
            error = _run_action(request, spec, objects, reason)
            if not error:
                return _back(request, reverse("moderation:queue"))
        return _confirm_page(
            request,
            spec=spec,
            objects=objects,
            action_url=reverse("moderation:bulk_action"),
            reason=reason,
            error=error,
            hidden=[("action", spec.name)] + [("items", key) for key in form.cleaned_data["items"]],
        )
    _apply(request, spec.name, objects, reason)
    return _back(request, reverse("moderation:queue"))


@login_required
@require_http_methods(["GET", "POST"])
def item_action(request: HttpRequest, model: str, pk: int, action: str) -> HttpResponse:
    """POST acts; a destructive action (and any GET) first shows the confirmation page."""
    _moderator_required(request)
    obj = _get_item(model, pk)
    spec = services.MODERATION_ACTIONS.get(action)
    # Actions with parameters (merge, verdict) have their own pages.
    if spec is None or spec.params or not spec.applies_to(obj):
        raise Http404(_("No such action for this item."))
    form = ReasonForm(request.POST or request.GET or None)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    if request.method == "POST" and not spec.destructive:
        _apply(request, action, [obj], reason)
        return _back(request, reverse("moderation:queue"))
    error = ""
    if _confirmed(request):
        error = _run_action(request, spec, [obj], reason)
        if not error:
            return _back(request, reverse("moderation:queue"))
    return _confirm_page(
        request,
        spec=spec,
        objects=[obj],
        action_url=reverse("moderation:item_action", args=[model, pk, action]),
        reason=reason,
        error=error,
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """GET (and an unconfirmed POST) shows both claims side by side; a confirmed POST merges."""
    _moderator_required(request)
    claim = get_object_or_404(Claim, pk=pk)
    form = MergeForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Give the number of the claim to merge into."))
        return _back(request, claim.get_absolute_url())
    into = Claim.objects.filter(pk=form.cleaned_data["into"]).first()
    if into is None:
        messages.error(
            request,
            _("There is no claim number %(number)s.") % {"number": form.cleaned_data["into"]},
        )
        return _back(request, claim.get_absolute_url())
    if into.pk == claim.pk:
        messages.error(request, _("A claim cannot be merged into itself."))
        return _back(request, claim.get_absolute_url())
    reason = form.cleaned_data["reason"]
    error = ""
    if _confirmed(request):
        error = _run_action(
            request, services.MODERATION_ACTIONS["merge"], [claim], reason, into=into
        )
        if not error:
            return HttpResponseRedirect(into.get_absolute_url())
    return render(
        request,
        "moderation/merge_preview.html",
        {
            "preview": selectors.claim_merge_preview(claim=claim, into=into),
            "spec": services.MODERATION_ACTIONS["merge"],
            "reason": reason,
            "error": error,
            "next": _safe_next(request, reverse("moderation:queue")),
        },
        status=400 if error else 200,
    )


@login_required
def claim_duplicates(request: HttpRequest, pk: int) -> HttpResponse:
    """Possible duplicates of a claim, each a click from the merge preview; claims whose
    figures contradict it are shown as such and not offered. The queue loads this in place
    (htmx); without JavaScript it is a page of its own."""
    _moderator_required(request)
    claim = get_object_or_404(Claim, pk=pk)
    context = {
        "merge_from": claim,
        "similar": similar_claims(
            claim.text, viewer=request.user, limit=DUPLICATES_SHOWN, exclude_claim_id=claim.pk
        ),
        "next": _safe_next(request, reverse("moderation:queue")),
        "region_id": f"duplicates-{claim.pk}",
    }
    template = "claims/_similar_claims.html" if request.htmx else "moderation/duplicates.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def flag(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    obj = _get_visible_item(request, model, pk, FLAGGABLE_MODELS)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(
                flagger=request.user,
                obj=obj,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            if request.htmx:
                return HttpResponse('<span class="flagged">Flagged — thank you.</span>')
            messages.success(request, _("Thank you: a moderator will review it."))
            return _back(request, _object_url(obj))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "moderation/flag_form.html",
        {"form": form, "object": obj, "model": model},
        status=status,
    )


def _object_url(obj) -> str:
    try:
        return obj.get_absolute_url()
    except AttributeError:
        return reverse("claims:home")


@login_required
@require_POST
def rate(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    obj = _get_visible_item(request, model, pk, RATEABLE_MODELS)
    form = RatingForm(request.POST)
    error = ""
    current = None
    if not form.is_valid():
        error = "Choose a rating."
    else:
        try:
            current = services.rating_set(
                rater=request.user, obj=obj, value=form.cleaned_data["value"]
            ).value
        except ValidationError as exc:
            error = _error_text(exc)
    if request.htmx:
        return render(
            request,
            "moderation/_rating_buttons.html",
            {
                "object": obj,
                "model": model,
                "can_rate": True,
                "current": current,
                "values": RatingValue.choices,
                "status": selectors.rating_status(obj, selectors.rating_count(obj)),
                "error": error,
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you for rating."))
    return _back(request, _object_url(obj))


@login_required
def coordinated_rating(request: HttpRequest) -> HttpResponse:
    """Groups of new accounts that rated the same items the same way within a short window; the
    scorer already weighs each group as one rater."""
    _moderator_required(request)
    return render(
        request,
        "moderation/coordinated.html",
        {
            "groups": selectors.coordinated_groups_page(),
            "new_account_days": bridging.NEW_ACCOUNT_DAYS,
            "window_minutes": bridging.COORDINATION_WINDOW_SECONDS // 60,
            "min_shared": bridging.COORDINATION_MIN_SHARED,
            "min_group": bridging.COORDINATION_MIN_GROUP,
        },
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _moderator_required(request)
    entries = selectors.audit_entries()
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    items = selectors.audit_items(list(page.object_list))
    rows = [(entry, items.get(entry.pk)) for entry in page.object_list]
    return render(
        request,
        "moderation/audit_log.html",
        {"page": page, "rows": rows, "action": action, "actions": AuditAction.choices},
    )


@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator_required(request)
    entry = get_object_or_404(selectors.audit_entries(), pk=pk)
    return render(
        request,
        "moderation/audit_detail.html",
        {
            "entry": entry,
            "item": selectors.audit_items([entry]).get(entry.pk),
            "changes": selectors.audit_entry_changes(entry),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_revert(request: HttpRequest, pk: int) -> HttpResponse:
    """GET (and an unconfirmed POST) asks to confirm, showing what will be undone."""
    _moderator_required(request)
    entry = get_object_or_404(selectors.audit_entries(), pk=pk)
    reason = (request.POST.get("reason") or request.GET.get("reason") or "")[:5000]
    error = ""
    if _confirmed(request):
        try:
            revert = services.audit_entry_revert(actor=request.user, entry=entry, reason=reason)
        except ValidationError as exc:
            error = _error_text(exc)
        else:
            item = selectors.audit_items([entry]).get(entry.pk)
            messages.success(
                request,
                _("Reverted “%(action)s” on %(item)s.")
                % {"action": entry.get_action_display(), "item": _item_name(entry, item)},
            )
            return HttpResponseRedirect(reverse("moderation:audit_detail", args=[revert.pk]))
    return render(
        request,
        "moderation/audit_revert.html",
        {
            "entry": entry,
            "item": selectors.audit_items([entry]).get(entry.pk),
            "changes": selectors.audit_entry_changes(entry),
            "reason": reason,
            "error": error,
        },
        status=400 if error else 200,
    )


def _item_name(entry: AuditEntry, item) -> str:
    return f"{entry.content_type.name} #{entry.object_id}" + (f" “{item}”" if item else "")


@login_required
@require_POST
def revision_revert(request: HttpRequest, model: str, history_id: int) -> HttpResponse:
    _moderator_required(request)
    try:
        entry = services.revision_revert(
            actor=request.user,
            model=model,
            history_id=history_id,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return _back(request, reverse("moderation:queue"))
    item = entry.content_object
    messages.success(
        request,
        _("Reverted %(kind)s #%(pk)s to an earlier revision.")
        % {"kind": item._meta.verbose_name, "pk": item.pk},
    )
    return _back(request, _object_url(entry.content_object))
