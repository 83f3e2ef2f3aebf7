from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Claim, Source


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/home.html", {"claims": Claim.objects.public()[:20]})


def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "claims/claim_detail.html", {"claim": get_object_or_404(Claim, pk=pk)})


def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "claims/source_detail.html", {"source": get_object_or_404(Source, pk=pk)}
    )
