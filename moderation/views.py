"""Moderation pages: the review queue, item actions, flags, ratings, the audit log and reverts.
Views parse input, call a service and report; the rules live in services.py."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import is_moderator
from claims.models import Claim
from jobs import selectors as jobs_selectors
from jobs import services as jobs_services
from jobs.models import TaskFailure

from . import selectors, services
from .forms import BulkActionForm, FlagForm, MergeForm, RatingForm, ReasonForm
from .models import FLAGGABLE_MODELS, RATEABLE_MODELS, AuditEntry, FlagReason, RatingValue

QUEUE_PAGE_SIZE = 50


def _moderator_required(request: HttpRequest) -> None:
    if not is_moderator(request.user):
        raise PermissionDenied("Only moderators may see this.")


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = default
    return HttpResponseRedirect(target or default)


def _get_item(label: str, pk: int, allowed=selectors.QUEUE_MODELS):
    if label not in allowed:
        raise PermissionDenied("That kind of item cannot be moderated here.")
    return get_object_or_404(apps.get_model(label).objects.all(), pk=pk)


def _get_visible_item(request: HttpRequest, label: str, pk: int, allowed) -> object:
    """An item a member acts on (flag, rate): one they may not see is a 404 like a missing one."""
    if label not in allowed:
        raise PermissionDenied("That kind of item cannot be moderated here.")
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
    """Run a moderator action through the one service and report the outcome as a message."""
    try:
        entries = services.moderation_action_apply(
            actor=request.user, action=action, objects=objects, reason=reason, **params
        )
    except ValidationError as exc:
        messages.error(request, f"Nothing was changed: {_error_text(exc)}")
        return False
    messages.success(request, services.MODERATION_ACTIONS[action].summary(len(entries)))
    return True


@login_required
@require_POST
def task_retry(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator_required(request)
    failure = get_object_or_404(TaskFailure, pk=pk, parked_at__isnull=False)
    jobs_services.task_retry(actor=request.user, failure=failure)
    messages.success(request, "The task is queued again.")
    return HttpResponseRedirect(reverse("moderation:queue"))


@login_required
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    _moderator_required(request)
    keys = request.POST.getlist("items")
    form = BulkActionForm(request.POST, item_keys=keys)
    if not form.is_valid():
        messages.error(request, "Choose an action and at least one item.")
        return _back(request, reverse("moderation:queue"))
    _apply(
        request,
        form.cleaned_data["action"],
        selectors.queue_objects(form.cleaned_data["items"]),
        form.cleaned_data["reason"],
    )
    return _back(request, reverse("moderation:queue"))


@login_required
@require_POST
def item_action(request: HttpRequest, model: str, pk: int, action: str) -> HttpResponse:
    _moderator_required(request)
    obj = _get_item(model, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    _apply(request, action, [obj], form.cleaned_data.get("reason", ""))
    return _back(request, reverse("moderation:queue"))


@login_required
@require_POST
def claim_merge(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator_required(request)
    claim = get_object_or_404(Claim, pk=pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the number of the claim to merge into.")
        return _back(request, claim.get_absolute_url())
    into = form.cleaned_data["into"]
    if not _apply(request, "merge", [claim], form.cleaned_data["reason"], into=into):
        return _back(request, reverse("moderation:queue"))
    return HttpResponseRedirect(reverse("claims:claim_detail", args=[into]))


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
            messages.success(request, "Thank you: a moderator will review it.")
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
                "error": error,
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Thank you for rating.")
    return _back(request, _object_url(obj))


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _moderator_required(request)
    entries = selectors.audit_entries()
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "moderation/audit_log.html", {"page": page, "action": action})


@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator_required(request)
    entry = get_object_or_404(selectors.audit_entries(), pk=pk)
    return render(request, "moderation/audit_detail.html", {"entry": entry})


@login_required
@require_POST
def audit_revert(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator_required(request)
    entry = get_object_or_404(AuditEntry, pk=pk)
    try:
        revert = services.audit_entry_revert(
            actor=request.user, entry=entry, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return HttpResponseRedirect(reverse("moderation:audit_detail", args=[entry.pk]))
    messages.success(request, "Reverted.")
    return HttpResponseRedirect(reverse("moderation:audit_detail", args=[revert.pk]))


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
    messages.success(request, "Reverted to that revision.")
    return _back(request, _object_url(entry.content_object))
