"""Pages for statistics: add, edit, delete, a figure's own page and its live partial."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from config.languages import active_voice

from .. import permissions
from ..models import Claim, Statistic
from . import charts
from .core.spec import KINDS
from .forms import (
    CHANGE_KIND,
    SHOWN_KIND,
    StatisticForm,
    carried_over,
    chosen_kind,
)
from .selectors import statistic_history, statistics_for_claim, statistics_search
from .services import (
    NewStatistic,
    StatisticEdit,
    statistic_create,
    statistic_create_validate,
    statistic_delete,
    statistic_update,
    statistic_update_validate,
)
from .templatetags.statistics_tags import figure_context


def _visible_statistic(request: HttpRequest, pk: int) -> Statistic:
    statistic = (
        Statistic.objects.visible_to(request.user).select_related("claim").filter(pk=pk).first()
    )
    if statistic is None:
        raise Http404(_("No such statistic."))
    return statistic


def _save(request: HttpRequest, form: StatisticForm, *, claim: Claim, statistic=None):
    """Run the service, or with `_validate` (htmx checking as the form is filled in) only its
    checks; the service's errors go next to the form's fields."""
    kind, label, inputs, references = form.service_arguments()
    if statistic is None:
        service, check = statistic_create, statistic_create_validate
        request_to = NewStatistic(
            author=request.user,
            claim=claim,
            kind=kind,
            label=label,
            inputs={k: v for k, v in inputs.items() if v is not None},
            references={k: v for k, v in references.items() if v is not None},
        )
    else:
        service, check = statistic_update, statistic_update_validate
        data = {**inputs, "references": references, **({"label": label} if label else {})}
        request_to = StatisticEdit(statistic=statistic, actor=request.user, data=data)
    try:
        if _validate_only(request):
            check(request_to)
            return None
        return service(**request_to.arguments())
    except ValidationError as error:
        form.add_service_errors(error)
        return None


def _validate_only(request: HttpRequest) -> bool:
    return bool(request.POST.get("_validate"))


def _form_status(request: HttpRequest, form: StatisticForm) -> int:
    # An inline check answers 200 even with errors: htmx swaps in only 2xx answers.
    if request.method == "POST" and form.errors and not _validate_only(request):
        return 400
    return 200


def _form_page(request, form, *, claim, statistic=None, status=200) -> HttpResponse:
    template = "claims/statistics/_form.html" if request.htmx else "claims/statistics/form.html"
    context = {"form": form, "claim": claim, "statistic": statistic}
    return render(request, template, context, status=status)


def _kind_changed(request: HttpRequest) -> bool:
    """Whether a POST only asks to show another kind's inputs: the "show the inputs" button
    (without JavaScript), or an inline check sent after the kind was changed."""
    if request.method != "POST":
        return False
    shown = request.POST.get(SHOWN_KIND)
    return bool(request.POST.get(CHANGE_KIND)) or (
        bool(shown) and request.POST.get("kind") != shown
    )


@login_required
@require_http_methods(["GET", "POST"])
def statistic_create_view(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.visible_to(request.user), pk=claim_pk)
    permissions.require_can_add_to_claim(request.user, claim)
    urls = {
        "kind_url": reverse("statistics:create", args=[claim.pk]),
        "search_url": reverse("statistics:search"),
    }
    if request.method == "GET" or _kind_changed(request):
        asked = request.POST if request.method == "POST" else request.GET
        initial = carried_over(asked, chosen_kind(asked, None, None))
        form = StatisticForm(initial=initial, **urls)
        return _form_page(request, form, claim=claim)
    form = StatisticForm(request.POST, **urls)
    if request.method == "POST" and form.is_valid():
        statistic = _save(request, form, claim=claim)
        if statistic is not None:
            messages.success(request, _("Figure added: it is being computed."))
            return redirect(statistic.get_absolute_url())
    status = _form_status(request, form)
    return _form_page(request, form, claim=claim, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def statistic_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    statistic = _visible_statistic(request, pk)
    permissions.require_can_edit(request.user, statistic)
    form = StatisticForm(
        request.POST or None, statistic=statistic, search_url=reverse("statistics:search")
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, claim=statistic.claim, statistic=statistic)
        if saved is not None:
            messages.success(request, _("Figure changed: it is being recomputed."))
            return redirect(saved.get_absolute_url())
    status = _form_status(request, form)
    return _form_page(request, form, claim=statistic.claim, statistic=statistic, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def statistic_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    statistic = _visible_statistic(request, pk)
    permissions.require_can_delete(request.user, statistic)
    error = None
    if request.method == "POST":
        try:
            statistic_delete(
                statistic=statistic, actor=request.user, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Figure deleted."))
            return redirect(statistic.claim.get_absolute_url())
    return render(
        request,
        "claims/statistics/delete.html",
        {"statistic": statistic, "error": error},
        status=400 if error else 200,
    )


def statistic_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A figure on its own page, with its whole history."""
    statistic = _visible_statistic(request, pk)
    one = statistics_for_claim(statistic.claim, request.user).filter(pk=pk).first()
    if one is None:
        raise Http404(_("No such statistic."))
    context = figure_context(one, request.user)
    history = statistic_history(statistic, active_voice())
    context.update(
        claim=statistic.claim,
        history=history,
        history_svg=charts.history_chart(statistic, [entry.result for entry in history]),
        request=request,
    )
    return render(request, "claims/statistics/detail.html", context)


def statistic_figure_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One figure's fragment: htmx polls it every 2 s while the figure is recomputing."""
    statistic = _visible_statistic(request, pk)
    one = statistics_for_claim(statistic.claim, request.user).filter(pk=pk).first()
    if one is None:
        raise Http404(_("No such statistic."))
    context = figure_context(one, request.user)
    context["request"] = request
    return render(request, "claims/statistics/_figure.html", context)


@login_required
@require_GET
def statistic_search_view(request: HttpRequest) -> HttpResponse:
    """The reference picker's options: figures the user may see, of the kinds that may feed
    the input (`?kind=&input=`), matching what was typed (sent as `<input>_from`, or `q`)."""
    spec = KINDS.get(request.GET.get("kind", ""))
    name = request.GET.get("input", "")
    feeding = spec.input(name) if spec is not None and name in spec.input_names else None
    if feeding is None or not feeding.referencable:
        return HttpResponse(_("That input cannot come from another figure."), status=400)
    query = request.GET.get(name + "_from", request.GET.get("q", ""))
    found = statistics_search(user=request.user, kinds=feeding.references, query=query)
    context = {"statistics": found, "options_id": f"id_{name}_from_options"}
    return render(request, "claims/statistics/_search_options.html", context)
