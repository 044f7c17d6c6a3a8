"""ROPS (regional) and KSR (national) dashboards: which LSRs lack what, and where to act."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ksr_portal.core import charts
from ksr_portal.core.exports import tabular_response
from ksr_portal.core.scoping import require_capability
from networks.models import Network, Stage
from stakeholders.models import Gmina
from stakeholders.selectors import voivodeship_get_for_user, voivodeship_list_for_user

from .filters import LsrDashboardFilter
from .queries import conditions_met, lsr_dashboard_rows, summarise

# The national roll-up is cached for at most this many seconds: a change shows on the KSR
# dashboard within a minute. Regional dashboards are computed on every request.
COUNTRY_CACHE_SECONDS = 60
SORTS = {
    "name": ("gmina__name",),
    "stage": ("stage", "gmina__name"),
    "-cards_done": ("-cards_done", "gmina__name"),
    "cards_done": ("cards_done", "gmina__name"),
    "-overdue": ("-overdue", "gmina__name"),
    "-responses": ("-responses", "gmina__name"),
    "active_c": ("active_c", "gmina__name"),
}
CONDITION_LABELS = {
    "kis_main": gettext_lazy("KIS as the active main node"),
    "type_c": gettext_lazy("at least one type C member"),
    "signed_partnership": gettext_lazy("a signed task partnership"),
    "sectors": gettext_lazy("all three basic sectors"),
    "all": gettext_lazy("all critical conditions"),
}


def _bar_items(summary: dict, base_url: str) -> dict:
    stage_labels = dict(Stage.choices)
    total = summary["total"]
    return {
        "stages": [
            (stage_labels[k], v, total, f"{base_url}?stage={k}")
            for k, v in summary["by_stage"].items()
        ],
        "cards": [
            (
                _("card %(n)s") % {"n": c["number"]},
                c["count"],
                total,
                f"{base_url}?card_done={c['number']}",
            )
            for c in summary["cards"]
        ],
        "conditions": [
            (
                str(CONDITION_LABELS[k]),
                v["count"],
                total,
                f"{base_url}?has={k}",
                f"{base_url}?missing={'any' if k == 'all' else k}",
            )
            for k, v in summary["conditions"].items()
        ],
    }


def _charts(summary: dict, base_url: str) -> dict:
    items = _bar_items(summary, base_url)
    return {
        "stages": charts.bar_chart([i[:3] for i in items["stages"]], title=_("LSRs by stage")),
        "cards": charts.bar_chart(
            [i[:3] for i in items["cards"]], title=_("Share of LSRs that completed each card")
        ),
        "conditions": charts.bar_chart(
            [i[:3] for i in items["conditions"]], title=_("Critical conditions met")
        ),
        "items": items,
    }


EXPORT_HEADERS = [
    gettext_lazy("gmina"),
    "TERYT",
    gettext_lazy("county"),
    gettext_lazy("stage"),
    gettext_lazy("founding variant"),
    "A",
    "B",
    "C",
    gettext_lazy("type C present"),
    gettext_lazy("KIS as main node"),
    gettext_lazy("agreement signed"),
    gettext_lazy("cards done /13"),
    gettext_lazy("overdue activities"),
    gettext_lazy("last meeting"),
    gettext_lazy("last monitoring"),
    gettext_lazy("survey responses"),
    gettext_lazy("critical conditions met"),
]


def _export_rows(rows):
    for r in rows:
        yield [
            r.gmina.name,
            r.teryt_code,
            r.gmina.county.name,
            r.get_stage_display(),
            r.get_variant_display(),
            r.active_a,
            r.active_b,
            r.active_c,
            r.active_c > 0,
            r.has_kis_main,
            r.has_signed_partnership,
            r.cards_done,
            r.overdue,
            r.last_meeting,
            r.last_monitoring,
            r.responses,
            conditions_met(r),
        ]


def _sorted_rows(filterset, request) -> list:
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    return filterset.qs.order_by(*SORTS[sort])


def _export(rows, fmt: str, stem: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return tabular_response(
        filename_stem=stem,
        fmt=fmt,
        headers=[str(h) for h in EXPORT_HEADERS],
        rows=_export_rows(rows),
    )


@login_required
@require_GET
def lsr_list(request):
    """The LSRs behind a national figure: all LSRs of the user's scope, filtered and paginated."""
    require_capability(request.user, "view_regional_dashboard")
    filterset = LsrDashboardFilter(
        request.GET or None,
        queryset=lsr_dashboard_rows(Network.objects.for_user(request.user).lsrs()),
    )
    rows = _sorted_rows(filterset, request)
    if request.GET.get("format"):
        return _export(rows, request.GET["format"], "lsr")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboards/lsr_list.html",
        {
            "filter": filterset,
            "rows": page.object_list,
            "page": page,
            "query": request.GET.urlencode(),
            "base_url": reverse("dashboards:lsr_list"),
        },
    )


@login_required
@require_GET
def region_dashboard(request, code: str):
    require_capability(request.user, "view_regional_dashboard")
    voivodeship = voivodeship_get_for_user(user=request.user, code=code)
    base = (
        Network.objects.for_user(request.user)
        .lsrs()
        .filter(teryt_code__startswith=voivodeship.code)
    )
    filterset = LsrDashboardFilter(
        request.GET or None, queryset=lsr_dashboard_rows(base), counties=voivodeship.counties.all()
    )
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    rows = list(filterset.qs.order_by(*SORTS[sort]))
    fmt = request.GET.get("format")
    if fmt:
        if fmt not in ("csv", "xlsx"):
            raise Http404
        return tabular_response(
            filename_stem=f"lsr-{voivodeship.name}",
            fmt=fmt,
            headers=[str(h) for h in EXPORT_HEADERS],
            rows=_export_rows(rows),
        )
    all_rows = rows if not filterset.is_bound else list(lsr_dashboard_rows(base))
    summary = summarise(all_rows)
    base_url = reverse("dashboards:region", args=[voivodeship.code])
    gminas = (
        Gmina.objects.in_voivodeship(voivodeship.code)
        .annotate(has_lsr=Exists(Network.objects.filter(tier="lsr", gmina=OuterRef("pk"))))
        .select_related("county")
        .order_by("county__code", "name")
    )
    grid: dict = {}
    for gmina in gminas:
        entry = grid.setdefault(
            gmina.county_id, {"county": gmina.county, "with": [], "without": []}
        )
        entry["with" if gmina.has_lsr else "without"].append(gmina)
    return render(
        request,
        "dashboards/region.html",
        {
            "voivodeship": voivodeship,
            "filter": filterset,
            "rows": rows,
            "summary": summary,
            "charts": _charts(summary, base_url),
            "grid": list(grid.values()),
            "query": request.GET.urlencode(),
            "base_url": base_url,
        },
    )


def _country_figures() -> dict:
    rows = list(lsr_dashboard_rows(Network.objects.lsrs()))
    by_voivodeship: dict[str, list] = {}
    for row in rows:
        by_voivodeship.setdefault(row.teryt_code[:2], []).append(row)
    return {
        "national": summarise(rows),
        "regions": {code: summarise(items) for code, items in by_voivodeship.items()},
    }


@login_required
@require_GET
def country_dashboard(request):
    require_capability(request.user, "view_national_dashboard")
    figures = cache.get_or_set("dashboards:country", _country_figures, COUNTRY_CACHE_SECONDS)
    voivodeships = voivodeship_list_for_user(user=request.user)
    regions = []
    for v in voivodeships:
        summary = figures["regions"].get(v.code) or summarise([])
        regions.append(
            {
                "voivodeship": v,
                "summary": summary,
                "coverage": round(100 * summary["total"] / v.gmina_count, 1)
                if v.gmina_count
                else 0,
            }
        )
    national = figures["national"]
    return render(
        request,
        "dashboards/country.html",
        {
            "regions": regions,
            "national": national,
            "charts": _charts(national, reverse("dashboards:lsr_list")),
            "gmina_total": sum(v.gmina_count for v in voivodeships),
            "cache_seconds": COUNTRY_CACHE_SECONDS,
        },
    )
