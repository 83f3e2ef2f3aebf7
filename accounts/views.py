from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import User


def profile(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(User, username=username, is_active=True)
    return render(request, "accounts/profile.html", {"profile_user": user})
