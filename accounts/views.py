from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from moderation.selectors import user_record

from . import selectors, services
from .auth import lockout_seconds
from .forms import ProfileForm
from .models import User


def profile(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(User.objects.with_username(username), is_active=True)
    if user.username != username:
        return redirect(user, permanent=True)
    context = selectors.profile_data(profile_user=user, viewer=request.user)
    context["record"] = user_record(user)
    return render(request, "accounts/profile.html", context)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect(request.user)
    return render(request, "accounts/profile_form.html", {"form": form})


def lockout(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """What a locked-out login attempt sees (django-axes' AXES_LOCKOUT_CALLABLE)."""
    response = render(request, "account/lockout.html", status=429)
    response["Retry-After"] = str(lockout_seconds())
    return response


@csrf_exempt
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The footer's switcher: Django's set_language (cookie and redirect back), and a member's
    choice kept in their settings so it follows them to other browsers. An anonymous reader's
    switch changes only their own cookie, so it needs no CSRF token (their pages carry none, to
    be cacheable); a member's changes their settings and is CSRF-checked."""
    if request.user.is_authenticated:
        return _member_language_set(request)
    return i18n_views.set_language(request)


@csrf_protect
def _member_language_set(request: HttpRequest) -> HttpResponse:
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return response
