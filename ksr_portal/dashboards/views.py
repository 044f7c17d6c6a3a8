"""ROPS (regional) and KSR (national) dashboards: which LSRs lack what, and where to act."""

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ksr_portal.core import charts
from ksr_portal.core.exports import tabular_response
from ksr_portal.core.scoping import require_capability, scope_of
from networks.models import Network, Stage, Variant
from stakeholders.models import County, Gmina
from stakeholders.selectors import voivodeship_get_for_user, voivodeship_list_for_user

from .filters import LsrDashboardFilter
from .queries import (
    STALE_MONTHS,
    as_dashboard_rows,
    dashboard_values,
    empty_summary,
    lsr_dashboard_rows,
    stale_since,
    summarise,
)
from .rendering import country_rows_html, filter_fields_html, gmina_grid_html, lsr_rows_html
from .summaries import region_summaries, region_summary, summaries_refresh_due

# Every sort ends with the LSR's TERYT code and id, which are unique: pages never repeat or skip
# an LSR when gmina names (or counts) repeat. No figure is cached: the summary rows are fresh.
UNIQUE_LAST = ("teryt_code", "pk")
PAGE_SIZE = 50  # a page renders in a fraction of the minimal page's time budget (issue 16)
SORTS = {
    "name": ("gmina__name", *UNIQUE_LAST),
    "stage": ("stage", "gmina__name", *UNIQUE_LAST),
    "-cards_done": ("-cards_done", "gmina__name", *UNIQUE_LAST),
    "cards_done": ("cards_done", "gmina__name", *UNIQUE_LAST),
    "-overdue": ("-overdue", "gmina__name", *UNIQUE_LAST),
    "-responses": ("-responses", "gmina__name", *UNIQUE_LAST),
    "active_c": ("active_c", "gmina__name", *UNIQUE_LAST),
    # "no meeting / no monitoring for the longest": never first, then the oldest
    "last_meeting": (F("last_meeting").asc(nulls_first=True), "gmina__name", *UNIQUE_LAST),
    "last_monitoring": (F("last_monitoring").asc(nulls_first=True), "gmina__name", *UNIQUE_LAST),
}
# The filters on the line under the headline figures; the others fold under "more filters".
MAIN_FILTERS = ("county", "missing", "bez_posiedzenia", "bez_monitoringu", "sort")
CONDITION_LABELS = {
    "kis_main": gettext_lazy("KIS as the active main node"),
    "type_c": gettext_lazy("at least one type C member"),
    "signed_partnership": gettext_lazy("a task partnership agreement in force"),
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
        "stages": charts.bar_chart(
            [i[:3] for i in items["stages"]], title=_("LSRs by stage"), max_width=charts.PAGE_WIDTH
        ),
        "cards": charts.bar_chart(
            [i[:3] for i in items["cards"]],
            title=_("Share of LSRs that completed each card"),
            max_width=charts.PAGE_WIDTH,
        ),
        "conditions": charts.bar_chart(
            [i[:3] for i in items["conditions"]],
            title=_("Critical conditions met"),
            max_width=charts.PAGE_WIDTH,
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
    gettext_lazy("agreement in force"),
    gettext_lazy("cards done /13"),
    gettext_lazy("overdue activities"),
    gettext_lazy("last meeting held"),
    gettext_lazy("next meeting"),
    gettext_lazy("last monitoring"),
    gettext_lazy("survey responses"),
    gettext_lazy("critical conditions met"),
]


def yes_no(flag) -> str:
    """Yes/no in an export: the same text in CSV and XLSX ("tak"/"nie" in Polish)."""
    return _("yes") if flag else _("no")


def _export_rows(rows):
    variants = {value: str(label) for value, label in Variant.choices}
    for r in as_dashboard_rows(rows.iterator()):
        yield [
            r.gmina_name,
            r.teryt_code,
            r.county_name,
            r.stage_label,
            variants.get(r.variant, ""),
            r.active_a,
            r.active_b,
            r.active_c,
            yes_no(r.active_c > 0),
            yes_no(r.has_kis_main),
            yes_no(r.has_signed_partnership),
            r.cards_done,
            r.overdue,
            r.last_meeting,
            r.next_meeting,
            r.last_monitoring,
            r.responses,
            yes_no(r.conditions_met),
        ]


_SENTINEL = 987654321


def _stale_before(filterset) -> datetime:
    """What the table marks as "too long ago": the months asked for in the filter, else
    ``STALE_MONTHS``."""
    data = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    months = data.get("bez_posiedzenia") or data.get("bez_monitoringu") or STALE_MONTHS
    return stale_since(int(months))


def _table_context(
    rows: list,
    filterset,
    skip: tuple[str, ...] = (),
    with_voivodeship: bool = False,
    county_choices: list | None = None,
) -> dict:
    """The LSR table's rows and the filter fields, built once per page (see ``rendering``): URL
    parts around the LSR's id and the yes/no marks are computed here, not per row."""
    prefix, _sep, detail_suffix = reverse("networks:detail", args=[_SENTINEL]).partition(
        str(_SENTINEL)
    )
    cards_prefix, _sep, cards_suffix = reverse("procedures:card_list", args=[_SENTINEL]).partition(
        str(_SENTINEL)
    )
    assert cards_prefix == prefix  # both under /sieci/<pk>/
    rows_html = lsr_rows_html(
        rows,
        lsr_url_prefix=prefix,
        detail_url_suffix=detail_suffix,
        cards_url_suffix=cards_suffix,
        yes_html=render_to_string("networks/partials/_yesno.html", {"flag": True}),
        no_html=render_to_string("networks/partials/_yesno.html", {"flag": False}),
        stale_before=_stale_before(filterset),
        with_voivodeship=with_voivodeship,
    )
    form = filterset.form
    more_names = tuple(f.name for f in form.visible_fields() if f.name not in MAIN_FILTERS)
    return {
        "rows_html": rows_html,
        "with_voivodeship": with_voivodeship,
        "filter_html": filter_fields_html(
            form,
            skip,
            only=MAIN_FILTERS,
            choices={"county": county_choices} if county_choices is not None else None,
        ),
        "more_filter_html": filter_fields_html(form, skip, only=more_names, hidden=False),
        "more_filters_open": any(form.data.get(name) for name in more_names),
    }


def _filtered(filterset) -> bool:
    """Does any filter narrow the rows (the sort order does not)?"""
    data = filterset.form.data
    return any(data.get(name) for name in filterset.filters if name != "sort")


def _sorted_rows(filterset, request) -> QuerySet:
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    return dashboard_values(filterset.qs.order_by(*SORTS[sort]))


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
    summaries_refresh_due()  # rows whose day has come (one query when none has)
    filterset = LsrDashboardFilter(
        request.GET or None,
        queryset=lsr_dashboard_rows(Network.objects.for_user(request.user).lsrs()),
    )
    rows = _sorted_rows(filterset, request)
    if request.GET.get("format"):
        return _export(rows, request.GET["format"], "lsr")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(as_dashboard_rows(page.object_list))
    return render(
        request,
        "dashboards/lsr_list.html",
        {
            "filter": filterset,
            "rows": rows,
            "page": page,
            "row_count": page.paginator.count,
            "query": request.GET.urlencode(),
            "base_url": reverse("dashboards:lsr_list"),
            **_table_context(rows, filterset, skip=("county",), with_voivodeship=True),
        },
    )


def _gmina_grid(code: str) -> list[dict]:
    """Per county of the voivodeship: how many gminas have an LSR, and the names of those
    without. One query (the gminas with their county and whether an LSR is there)."""
    has_lsr = Exists(Network.objects.filter(tier="lsr", gmina=OuterRef("pk")))
    counties: dict[int, dict] = {}
    for county_id, county_code, county_name, name, with_lsr in (
        Gmina.objects.in_voivodeship(code)
        .annotate(with_lsr=has_lsr)
        .order_by("county__code", "name", "pk")
        .values_list("county_id", "county__code", "county__name", "name", "with_lsr")
    ):
        entry = counties.get(county_id)
        if entry is None:
            county = County(pk=county_id, code=county_code, name=county_name)
            entry = counties[county_id] = {
                "county": county,
                "with_count": 0,
                "without_count": 0,
                "without": [],
            }
        if with_lsr:
            entry["with_count"] += 1
        else:
            entry["without_count"] += 1
            entry["without"].append(name)
    return list(counties.values())


@login_required
@require_GET
def region_dashboard(request, code: str):
    require_capability(request.user, "view_regional_dashboard")
    summaries_refresh_due()  # rows whose day has come (one query when none has)
    voivodeship = voivodeship_get_for_user(user=request.user, code=code)
    base = Network.objects.for_user_within(request.user, voivodeship.code).lsrs()
    filterset = LsrDashboardFilter(
        request.GET or None, queryset=lsr_dashboard_rows(base), counties=voivodeship.counties.all()
    )
    rows = _sorted_rows(filterset, request)
    if request.GET.get("format"):
        return _export(rows, request.GET["format"], f"lsr-{voivodeship.name}")
    # the maintained roll-up when the user sees the whole voivodeship, else counted live
    covered = scope_of(request.user).covers(voivodeship.code)
    summary = region_summary(voivodeship.code) if covered else summarise(base)
    paginator = Paginator(rows, PAGE_SIZE)
    if covered and not _filtered(filterset):
        # every LSR of the voivodeship: the count the roll-up row keeps (the summary line's
        # figure), not a COUNT(*) over the scoped table again
        paginator.count = summary["total"]
    page = paginator.get_page(request.GET.get("page"))
    page_rows = list(as_dashboard_rows(page.object_list))
    base_url = reverse("dashboards:region", args=[voivodeship.code])
    grid = _gmina_grid(voivodeship.code)
    # the voivodeship's RSR for the support links (one constraint-backed row, at most)
    rsr = Network.objects.filter(tier="rsr", voivodeship=voivodeship).only("pk").first()
    return render(
        request,
        "dashboards/region.html",
        {
            "voivodeship": voivodeship,
            "rsr": rsr,
            "filter": filterset,
            "rows": page_rows,
            "page": page,
            "row_count": page.paginator.count,
            "summary": summary,
            "charts": _charts(summary, base_url),
            "grid": grid,
            "grid_html": gmina_grid_html(grid, base_url=base_url),
            "query": request.GET.urlencode(),
            "base_url": base_url,
            **_table_context(
                page_rows,
                filterset,
                county_choices=[("", _("all"))]
                + [(entry["county"].pk, entry["county"].name) for entry in grid],
            ),
        },
    )


@login_required
@require_GET
def country_dashboard(request):
    require_capability(request.user, "view_national_dashboard")
    summaries_refresh_due()  # rows whose day has come (one query when none has)
    by_voivodeship, national = region_summaries()  # 16 maintained rows, not 2,477 LSRs
    voivodeships = voivodeship_list_for_user(user=request.user)
    empty = empty_summary()
    regions = []
    # one reverse() for the 16 rows' links (the template's {% url %} ran six times a row)
    region_prefix, _sep, region_suffix = reverse("dashboards:region", args=["00"]).rpartition("00")
    for v in voivodeships:
        summary = by_voivodeship.get(v.code) or empty
        regions.append(
            {
                "voivodeship": v,
                "url": f"{region_prefix}{v.code}{region_suffix}",
                "summary": summary,
                "coverage": round(100 * summary["total"] / v.gmina_count, 1)
                if v.gmina_count
                else 0,
            }
        )
    list_url = reverse("dashboards:lsr_list")
    return render(
        request,
        "dashboards/country.html",
        {
            "regions": regions,
            "rows_html": country_rows_html(regions, national, list_url=list_url),
            "national": national,
            "charts": _charts(national, list_url),
            "base_url": list_url,
            "gmina_total": sum(v.gmina_count for v in voivodeships),
        },
    )
