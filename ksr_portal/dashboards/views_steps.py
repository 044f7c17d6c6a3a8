"""Step-level monitoring pages, nationally and per voivodeship, with CSV/XLSX of each table."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ksr_portal.core.exports import tabular_response, workbook_response
from ksr_portal.core.scoping import require_capability
from networks.models import Network
from stakeholders.models import GminaKind
from stakeholders.selectors import voivodeship_get_for_user

from . import steps
from .queries import CARD_NUMBERS
from .summaries import summaries_refresh_due

TABLES = ("cards", "activities", "reasons", "kinds", "counties")


def _tables(data: dict) -> dict[str, tuple[str, list[str], list[list]]]:
    """Every table of the page as (sheet title, headers, rows) for the exports."""
    total = data["breakdowns"]["total"]
    card_headers = [_("card %(n)s") % {"n": n} for n in CARD_NUMBERS]
    return {
        "cards": (
            _("Cards"),
            [_("card"), _("procedure"), _("LSRs that completed it"), _("LSRs"), _("share %")],
            [
                [
                    c["number"],
                    data["titles"].get(c["number"], ""),
                    c["count"],
                    total["total"],
                    c["share"],
                ]
                for c in total["cards"]
            ],
        ),
        "activities": (
            _("Activities"),
            [
                _("step"),
                _("activity"),
                _("LSRs"),
                _("institutions"),
                _("done"),
                _("done %"),
                _("not applicable"),
                _("not applicable %"),
                _("open"),
                _("open %"),
            ],
            [
                [
                    r["step"],
                    r["text"],
                    r["lsrs"],
                    r["total"],
                    r["done"],
                    r["done_share"],
                    r["not_applicable"],
                    r["not_applicable_share"],
                    r["open"],
                    r["open_share"],
                ]
                for r in data["activities"]
            ],
        ),
        "reasons": (
            _("Reasons"),
            [_("step"), _("reason why not applicable"), _("institutions"), _("LSRs")],
            [
                [
                    r["step"],
                    _("other reasons") if r["other"] else r["reason"],
                    r["count"],
                    r["lsrs"],
                ]
                for r in data["reasons"]
            ],
        ),
        "kinds": (
            _("Gmina kinds"),
            [_("gmina kind"), _("LSRs"), _("all critical conditions"), *card_headers],
            [
                [
                    str(k["label"]),
                    k["summary"]["total"],
                    k["summary"]["conditions"]["all"]["count"],
                    *[c["share"] for c in k["summary"]["cards"]],
                ]
                for k in data["breakdowns"]["kinds"]
            ],
        ),
        "counties": (
            _("Counties"),
            ["TERYT", _("county"), _("LSRs"), _("all critical conditions"), *card_headers],
            [
                [
                    c["county"].code,
                    c["county"].name,
                    c["summary"]["total"],
                    c["summary"]["conditions"]["all"]["count"],
                    *[x["share"] for x in c["summary"]["cards"]],
                ]
                for c in data["breakdowns"]["counties"]
            ],
        ),
    }


def _page(request, *, networks, voivodeship, base_url: str, list_url: str, list_query: dict):
    kind = request.GET.get("kind")
    if kind in GminaKind.values:
        networks = networks.filter(gmina__kind=kind)
        list_query = {**list_query, "kind": kind}
    else:
        kind = ""
    data: dict[str, Any] = {
        "titles": steps.card_titles(),
        "activities": steps.activity_rows(networks),
        "reasons": steps.reason_rows(networks),
        "breakdowns": steps.breakdowns(networks),
    }
    fmt = request.GET.get("format")
    if fmt:
        tables = _tables(data)
        stem = f"kroki-{voivodeship.name}" if voivodeship else "kroki-kraj"
        if fmt == "xlsx" and not request.GET.get("table"):
            return workbook_response(filename_stem=stem, sheets=list(tables.values()))
        table = request.GET.get("table")
        if table not in tables or fmt not in ("csv", "xlsx"):
            raise Http404
        _title, headers, rows = tables[table]
        return tabular_response(
            filename_stem=f"{stem}-{table}", fmt=fmt, headers=headers, rows=rows
        )
    prefix = f"{list_url}?{urlencode(list_query)}&" if list_query else f"{list_url}?"
    return render(
        request,
        "dashboards/steps.html",
        {
            "voivodeship": voivodeship,
            "kind": kind,
            "kinds": GminaKind.choices,
            "base_url": base_url,
            "list_prefix": prefix,
            "query": urlencode({"kind": kind}) if kind else "",
            "tables": TABLES,
            "card_numbers": list(CARD_NUMBERS),
            "cards": [
                {**c, "title": data["titles"].get(c["number"], "")}
                for c in data["breakdowns"]["total"]["cards"]
            ],
            **data,
        },
    )


@login_required
@require_GET
def country_steps(request):
    require_capability(request.user, "view_national_dashboard")
    summaries_refresh_due()  # rows whose day has come (one query when none has)
    return _page(
        request,
        networks=Network.objects.for_user(request.user).lsrs(),
        voivodeship=None,
        base_url=reverse("dashboards:steps"),
        list_url=reverse("dashboards:lsr_list"),
        list_query={},
    )


@login_required
@require_GET
def region_steps(request, code: str):
    require_capability(request.user, "view_regional_dashboard")
    voivodeship = voivodeship_get_for_user(user=request.user, code=code)
    summaries_refresh_due()
    return _page(
        request,
        networks=Network.objects.for_user(request.user)
        .lsrs()
        .filter(teryt_code__startswith=voivodeship.code),
        voivodeship=voivodeship,
        base_url=reverse("dashboards:region_steps", args=[voivodeship.code]),
        list_url=reverse("dashboards:lsr_list"),
        list_query={"voivodeship": voivodeship.code},
    )
