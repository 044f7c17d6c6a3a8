"""Search across LSRs and organisations of the user's scope (issue 14 §5)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .search import MIN_QUERY, clean_query, lsr_search, organisation_search

PAGE_SIZE = 20


@login_required
@require_GET
def search(request):
    query = clean_query(request.GET.get("q"))
    typed = request.GET.get("q", "")[:200]
    context: dict = {"typed": typed, "min_query": MIN_QUERY, "searched": False}
    if len(query) >= MIN_QUERY:
        lsrs = Paginator(lsr_search(user=request.user, query=query), PAGE_SIZE)
        organisations = Paginator(organisation_search(user=request.user, query=query), PAGE_SIZE)
        context.update(
            searched=True,
            lsr_page=lsrs.get_page(request.GET.get("lsr_page")),
            organisation_page=organisations.get_page(request.GET.get("org_page")),
        )
    elif typed.strip():
        context["too_short"] = True
    return render(request, "dashboards/search.html", context)
