from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from stakeholders.http import PortalRequest

from . import selectors


@login_required
def gmina_list(request: PortalRequest) -> HttpResponse:
    filterset = selectors.gmina_filter_for_user(user=request.user, data=request.GET)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    template = (
        "stakeholders/partials/_gmina_rows.html" if request.htmx else "stakeholders/gmina_list.html"
    )
    return render(request, template, {"page": page, "filter": filterset})


@login_required
def gmina_detail(request: PortalRequest, code: str) -> HttpResponse:
    gmina = selectors.gmina_get_for_user(user=request.user, code=code)
    return render(request, "stakeholders/gmina_detail.html", {"gmina": gmina})


@login_required
def voivodeship_detail(request: PortalRequest, code: str) -> HttpResponse:
    voivodeship = selectors.voivodeship_get_for_user(user=request.user, code=code)
    counties = selectors.counties_with_gmina_counts(voivodeship=voivodeship)
    return render(
        request,
        "stakeholders/voivodeship_detail.html",
        {"voivodeship": voivodeship, "counties": counties},
    )
