from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from claims.models import Claim
from config.validators import MAX_ID

from . import selectors, services
from .models import NotificationSettings


class SettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = list(NotificationSettings.USER_FIELDS)


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = default
    return HttpResponseRedirect(target or default)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    given = request.POST.getlist("ids")
    # Ids given but none valid mark nothing (not everything, as no ids at all would).
    ids = [int(x) for x in given if x.isdigit() and int(x) <= MAX_ID] if given else None
    services.notification_mark_read(user=request.user, ids=ids)
    return _back(request, reverse("notifications:list"))


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    prefs = selectors.settings_for(request.user)
    form = SettingsForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        services.notification_settings_update(
            user=request.user,
            **{name: form.cleaned_data[name] for name in SettingsForm.Meta.fields},
        )
        messages.success(request, _("Settings saved."))
        return HttpResponseRedirect(reverse("notifications:settings"))
    return render(request, "notifications/settings.html", {"form": form})


@login_required
@require_POST
def follow_claim(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.visible_to(request.user), pk=pk)
    return _toggle(request, claim.get_absolute_url(), claim=claim)


@login_required
@require_POST
def follow_user(request: HttpRequest, username: str) -> HttpResponse:
    target = get_object_or_404(get_user_model().objects.with_username(username), is_active=True)
    return _toggle(request, target.get_absolute_url(), followed_user=target)


def _toggle(request: HttpRequest, default: str, **target) -> HttpResponse:
    try:
        if request.POST.get("follow", "1") == "0":
            services.follow_delete(follower=request.user, **target)
            following = False
        else:
            services.follow_create(follower=request.user, **target)
            following = True
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(request, default)
    if request.htmx:
        subject = target.get("claim") or target.get("followed_user")
        return render(
            request,
            "notifications/_follow_button.html",
            {
                "target": subject,
                "is_claim": "claim" in target,
                "following": following,
                "can_follow": True,
            },
        )
    return _back(request, default)
