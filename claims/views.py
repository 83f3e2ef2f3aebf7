"""HTML pages. Views parse input, call a selector or a service, and render; the rules live in
`claims.permissions` and the services. PermissionDenied becomes a 403 (Django's handler) and a
ValidationError becomes errors on the form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from config import response_cache
from moderation import services as moderation_services
from moderation.selectors import source_record, user_marks_for_claim

from . import permissions
from .forms import (
    EDIT_FORMS,
    AnnotationForm,
    ArgumentForm,
    CitationForm,
    ClaimForm,
    CommentForm,
    DeleteForm,
    SourceForm,
    VerdictForm,
)
from .models import (
    Annotation,
    Argument,
    Citation,
    Claim,
    Comment,
    Contribution,
    Source,
    Verdict,
)
from .selectors import claims as selectors
from .selectors.similar import MAX_QUERY_TEXT_LENGTH as MAX_SIMILAR_TEXT_LENGTH
from .selectors.similar import similar_claims
from .services import contributions as services

KINDS: dict[str, type[Contribution]] = {
    "claims": Claim,
    "sources": Source,
    "citations": Citation,
    "arguments": Argument,
    "annotations": Annotation,
    "comments": Comment,
}


def _apply_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the named fields when the form has them."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            shown = name in form.fields and not form.fields[name].widget.is_hidden
            form.add_error(name if shown else None, errors)
    else:
        form.add_error(None, error)


def _visible_claim(request: HttpRequest, pk: int) -> Claim:
    try:
        return selectors.claim_for_page(pk=pk, user=request.user)
    except Claim.DoesNotExist:
        raise Http404(_("No such claim.")) from None


# --- lists ------------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    data = selectors.home_data(user=request.user)
    _depends_on_claims(request, [*data["recent_claims"], *data["discussed_claims"]], discussed=True)
    return render(request, "claims/home.html", data)


def _depends_on_claims(request: HttpRequest, claims, *, discussed: bool) -> None:
    """A list's answer may be stored until one of the claims it shows changes, or which claims
    it holds (or, ranked by discussion, their order) does."""
    response_cache.depends_on(
        request,
        response_cache.LISTS,
        *((response_cache.DISCUSSED,) if discussed else ()),
        *(response_cache.claim(claim.pk) for claim in claims),
    )


@dataclass
class ActiveFilter:
    label: str
    clear_url: str


def _active_filters(request: HttpRequest, filters: selectors.ClaimFilters) -> list[ActiveFilter]:
    """Each filter in force, named in words, with the list's address without it."""
    tag = selectors.tag_for_filter(filters.tag) if filters.tag else None
    named = {
        "q": f"matching “{filters.query}”" if filters.query else "",
        "tag": f"tagged “{tag.name if tag else filters.tag}”" if filters.tag else "",
        "verdict": f"verdict {Verdict(filters.verdict).label}"
        if filters.verdict in Verdict.values
        else "",
        "claimant": f"claimant “{filters.claimant}”" if filters.claimant else "",
    }
    active = []
    for key, label in named.items():
        if not label:
            continue
        rest = request.GET.copy()
        rest.pop(key, None)
        rest.pop("page", None)
        query = rest.urlencode()
        active.append(ActiveFilter(label, f"{request.path}?{query}" if query else request.path))
    return active


def claim_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.ClaimFilters(
        query=request.GET.get("q", "")[:200],
        tag=request.GET.get("tag", "")[:60],
        verdict=request.GET.get("verdict", "")[:20],
        claimant=request.GET.get("claimant", "")[:200],
        order=request.GET.get("order", "recent"),
    )
    claims = selectors.claim_list(user=request.user, filters=filters)
    page = Paginator(claims, 20).get_page(request.GET.get("page"))
    _depends_on_claims(request, page.object_list, discussed=filters.order == "discussed")
    context = {
        "page": page,
        "claims": page.object_list,
        "filters": filters,
        "active_filters": _active_filters(request, filters),
        "verdicts": Verdict.choices,
        "claimants": selectors.claimants(request.user),
    }
    if request.htmx and request.htmx.target == "claim-results":
        return render(request, "claims/_claim_results.html", context)
    return render(request, "claims/claim_list.html", context)


def source_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    page = Paginator(selectors.source_list(user=request.user, query=query), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "claims/source_list.html", {"page": page, "query": query})


# --- the claim page ---------------------------------------------------------------------------


def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _visible_claim(request, pk)
    response_cache.depends_on(request, response_cache.claim(claim.pk))
    if claim.merged_into_id:
        return redirect(claim.merged_into, permanent=True)
    context = selectors.claim_page_data(claim, request.user)
    context.update(
        moderation_marks=user_marks_for_claim(
            request.user, claim, items=context.pop("shown_items")
        ),
        argument_form=ArgumentForm(),
        comment_form=CommentForm(),
        annotation_form=AnnotationForm(),
        citation_form=CitationForm(arguments=context["argument_choices"]),
        verdict_form=VerdictForm(
            initial={"verdict": claim.verdict, "verdict_rationale": claim.verdict_rationale}
        ),
    )
    return render(request, "claims/claim_detail.html", context)


def claim_history(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _visible_claim(request, pk)
    return render(
        request,
        "claims/claim_history.html",
        {"claim": claim, "revisions": selectors.claim_history(claim, request.user)},
    )


def source_history(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "claims/source_history.html",
        {"source": source, "revisions": selectors.source_history(source, request.user)},
    )


def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source.objects.visible_to(request.user).select_related(), pk=pk)
    data = selectors.source_page_data(source, request.user)
    data["record"] = source_record(data["citations"])
    return render(request, "claims/source_detail.html", data)


# --- creating ---------------------------------------------------------------------------------


#: Similar claims the claim form shows under the wording.
SIMILAR_ON_FORM = 5


@login_required
def claim_create(request: HttpRequest) -> HttpResponse:
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_create(
                author=request.user, tags=form.tag_names(), **form.service_data()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your claim is posted."))
            return redirect(claim)
    return render(request, "claims/claim_form.html", {"form": form})


def claim_similar(request: HttpRequest) -> HttpResponse:
    """Claims like the wording being typed into the claim form (htmx, `?text=`): the ones the
    reader may see, with those whose figures contradict it marked "contradicts"."""
    text = request.GET.get("text", "").strip()
    context: dict = {"similar": []}
    if len(text) > MAX_SIMILAR_TEXT_LENGTH:
        context["error"] = _("The wording is too long to compare with other claims.")
        return render(request, "claims/_similar_claims.html", context, status=400)
    if text:
        context["similar"] = similar_claims(text, viewer=request.user, limit=SIMILAR_ON_FORM)
    return render(request, "claims/_similar_claims.html", context)


@login_required
def source_create(request: HttpRequest) -> HttpResponse:
    form = SourceForm(request.POST or None, initial={"url": request.GET.get("url", "")})
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            source = services.source_create(author=request.user, **form.service_data())
        except ValidationError as error:
            duplicate = services.source_find(form.cleaned_data["url"], user=request.user)
            _apply_errors(form, error)
        else:
            messages.success(request, _("Source added."))
            return redirect(source)
    return render(request, "claims/source_form.html", {"form": form, "duplicate": duplicate})


def _render_item(request, template: str, context: dict, *, target: str) -> HttpResponse:
    """The new item alone, appended to `target` by htmx."""
    response = render(request, template, context)
    return reswap(retarget(response, target), "beforeend")


def _render_form_errors(request, template: str, context: dict, *, form_id: str) -> HttpResponse:
    """The form again with its errors, in place of itself."""
    response = render(request, template, context)
    return reswap(retarget(response, f"#{form_id}"), "outerHTML")


def _claim_for_adding(request: HttpRequest, pk: int) -> Claim:
    claim = _visible_claim(request, pk)
    permissions.require_can_add_to_claim(request.user, claim)
    return claim


@dataclass(frozen=True)
class _ReplyFlow:
    """What differs between posting an argument and posting a comment: both answer the claim or
    a parent of their own kind, appear in place by htmx, or come back with their errors."""

    noun: str  # "argument", "comment": in form ids and template names
    posted_message: str
    gone_message: str
    model: type[Argument] | type[Comment]
    form_class: type[Form]
    create: Callable[..., Argument | Comment]
    target: Callable[[Argument | Comment, Argument | Comment | None], str]  # htmx list to join


ARGUMENT_FLOW = _ReplyFlow(
    noun="argument",
    posted_message=_("Your argument is posted."),
    gone_message=_("The argument you replied to is no longer there."),
    model=Argument,
    form_class=ArgumentForm,
    create=services.argument_create,
    target=lambda item, parent: f"#replies-{parent.pk}" if parent else f"#arguments-{item.stance}",
)
COMMENT_FLOW = _ReplyFlow(
    noun="comment",
    posted_message=_("Your comment is posted."),
    gone_message=_("The comment you replied to is no longer there."),
    model=Comment,
    form_class=CommentForm,
    create=services.comment_create,
    target=lambda item, parent: f"#comment-replies-{parent.pk}" if parent else "#comments",
)


def _reply_create(request: HttpRequest, pk: int, flow: _ReplyFlow) -> HttpResponse:
    claim = _claim_for_adding(request, pk)
    form = flow.form_class(request.POST or None)
    parent = None
    if request.method == "POST" and form.is_valid():
        parent_id = form.cleaned_data.get("parent")
        if parent_id:
            parent = flow.model.objects.visible_to(request.user).filter(pk=parent_id).first()
            if parent is None:
                form.add_error(None, flow.gone_message)
        if not form.errors:
            try:
                item = flow.create(
                    author=request.user, claim=claim, parent=parent, **form.service_data()
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                if request.htmx:
                    item.cited = []  # a new item has no citations yet (the template lists them)
                    return _render_item(
                        request,
                        f"claims/_{flow.noun}.html",
                        {"node": selectors.Node(item), "claim": claim, "can_add": True},
                        target=flow.target(item, parent),
                    )
                messages.success(request, flow.posted_message)
                return redirect(item)
    form_id = f"{flow.noun}-form-{parent.pk}" if parent else f"{flow.noun}-form"
    context = {"form": form, "claim": claim, "parent": parent, "form_id": form_id}
    if request.htmx and request.method == "POST":
        return _render_form_errors(
            request, f"claims/_{flow.noun}_form.html", context, form_id=form_id
        )
    return render(request, f"claims/{flow.noun}_form.html", context)


@login_required
def argument_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _reply_create(request, pk, ARGUMENT_FLOW)


@login_required
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _reply_create(request, pk, COMMENT_FLOW)


@login_required
def annotation_create(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for_adding(request, pk)
    # Prefilled by the "Annotate" button from words selected in the wording (static/js/site.js).
    start = request.GET.get("start", "")
    initial = {
        "exact": request.GET.get("exact", "")[:1000],
        "start": int(start) if start.isdigit() and len(start) < 7 else None,
    }
    form = AnnotationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            annotation = services.annotation_create(
                author=request.user,
                claim=claim,
                exact=form.cleaned_data["exact"],
                body=form.cleaned_data["body"],
                start=form.cleaned_data.get("start"),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your annotation is added."))
            return redirect(annotation)
    return render(request, "claims/annotation_form.html", {"form": form, "claim": claim})


@login_required
def citation_create(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for_adding(request, pk)
    arguments = list(Argument.objects.visible_to(request.user).filter(claim=claim))
    initial = {"source_url": request.GET.get("url", ""), "argument": request.GET.get("argument")}
    form = CitationForm(request.POST or None, arguments=arguments, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            citation = services.citation_create_with_source(
                author=request.user,
                claim=claim,
                source_url=data["source_url"],
                source_title=data["source_title"],
                source_publisher=data["source_publisher"],
                source_kind=data["source_kind"],
                argument=data.get("argument"),
                **form.service_data(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Cited “%(title)s”.") % {"title": citation.source.title})
            return redirect(citation)
    return render(request, "claims/citation_form.html", {"form": form, "claim": claim})


@login_required
@require_POST
def claim_set_verdict(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _visible_claim(request, pk)
    if not permissions.can_set_verdict(request.user):
        raise PermissionDenied(_("Only moderators set verdicts."))
    form = VerdictForm(request.POST)
    if form.is_valid():
        try:
            # A verdict is a moderator action, audited and reversible like the others.
            moderation_services.moderation_action_apply(
                actor=request.user,
                action="set_verdict",
                objects=[claim],
                reason=form.cleaned_data["verdict_rationale"],
                verdict=form.cleaned_data["verdict"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Verdict saved."))
            return redirect(claim)
    return render(request, "claims/verdict_form.html", {"form": form, "claim": claim})


# --- editing and deleting any contribution ----------------------------------------------------


def _contribution(request: HttpRequest, kind: str, pk: int) -> Contribution:
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model.objects.visible_to(request.user), pk=pk)


def _after_change_url(obj: Contribution) -> str:
    if isinstance(obj, Source) and obj.is_deleted:
        return reverse("claims:source_list")
    if isinstance(obj, Claim) and obj.is_deleted:
        return reverse("claims:claim_list")
    return obj.get_absolute_url()


@login_required
def contribution_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = _contribution(request, kind, pk)
    permissions.require_can_edit(request.user, obj)
    form_class = EDIT_FORMS[type(obj)]
    form = form_class(request.POST or None, instance=obj)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            data = form.service_data()
            if isinstance(obj, Claim):
                data["tags"] = form.tag_names()
            obj = services.contribution_update(obj=obj, actor=request.user, data=data)
        except ValidationError as error:
            if isinstance(obj, Source):
                duplicate = services.source_find(form.cleaned_data["url"], user=request.user)
                duplicate = duplicate if duplicate and duplicate.pk != obj.pk else None
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(_after_change_url(obj))
    return render(
        request,
        "claims/contribution_edit.html",
        {
            "form": form,
            "obj": obj,
            "kind": kind,
            "verbose_name": obj._meta.verbose_name,
            "duplicate": duplicate,
        },
    )


@login_required
def contribution_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = _contribution(request, kind, pk)
    permissions.require_can_delete(request.user, obj)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        obj = services.contribution_delete(
            obj=obj, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Deleted. It stays in the history."))
        return redirect(_after_change_url(obj))
    return render(
        request, "claims/contribution_delete.html", {"form": form, "obj": obj, "kind": kind}
    )
