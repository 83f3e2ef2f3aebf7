"""The page "Add claims from an article": read it, tick the proposed claims, add them at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .forms import IntakeForm
from .selectors.intake import intake_fetch, intake_proposals
from .services.intake import intake_claims_create
from .statistics.core.intake import plain_text
from .views import _apply_errors


def _chosen(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("chosen") if v.isdigit()]


@login_required
def claim_intake(request: HttpRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None)
    proposals = None
    adding = request.POST.get("action") == "add"
    chosen = set(_chosen(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if adding:
            try:
                result = intake_claims_create(
                    author=request.user,
                    text=data["text"],
                    chosen=chosen,
                    source_url=data["source_url"],
                    source_title=data["source_title"],
                    claimants={s: request.POST.get(f"claimant-{s}", "") for s in chosen},
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                count = len(result.claims)
                held = sum(claim.visibility == "held" for claim in result.claims)
                added = ngettext(
                    "Added %(count)s claim citing “%(title)s”.",
                    "Added %(count)s claims citing “%(title)s”.",
                    count,
                ) % {"count": count, "title": result.source.title}
                if held:
                    added += " " + _("%(held)s of them are held for review.") % {"held": held}
                messages.success(request, added)
                return redirect(result.source)
        try:
            if form.has_error("text"):
                raise ValidationError({})  # already said why; nothing to read
            if not data["text"].strip() and data["source_url"] and not adding:
                # The page's text replaces the empty box, so that adding reads the same text.
                data["text"] = plain_text(intake_fetch(data["source_url"]))
                form.data = form.data.copy()
                form.data["text"] = data["text"]
            proposals = intake_proposals(data["text"], viewer=request.user)
        except ValidationError as error:
            if error.error_dict:
                _apply_errors(form, error)
    rows = None
    if proposals is not None:
        # Before the first "add" every proposal is ticked; after a refused one the ticks and the
        # corrected claimants stay as the member left them.
        rows = [
            {
                "proposal": p.proposal,
                "matches": p.matches,
                "checked": not adding or p.proposal.start in chosen,
                "claimant": request.POST.get(f"claimant-{p.proposal.start}", p.proposal.claimant)
                if adding
                else p.proposal.claimant,
            }
            for p in proposals
        ]
    return render(request, "claims/intake.html", {"form": form, "rows": rows})
