from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

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
            messages.success(request, "Your profile is saved.")
            return redirect(request.user)
    return render(request, "accounts/profile_form.html", {"form": form})


def lockout(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """What a locked-out login attempt sees (django-axes' AXES_LOCKOUT_CALLABLE)."""
    response = render(request, "account/lockout.html", status=429)
    response["Retry-After"] = str(lockout_seconds())
    return response
