"""Dashboard figures of LSRs, read from the per-LSR summary rows (maintained on write, see
``summaries``) with a number of queries that does not depend on the number of LSRs."""

from collections.abc import Iterator
from datetime import date, datetime, time

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from networks.models import Network, Stage

from .models import CARD_NUMBERS, FIGURE_FIELDS

# Filters and sorts use these names on the rows (``summary__<name>`` underneath).
CONDITION_FILTERS = {
    "kis_main": Q(summary__has_kis_main=True),
    "type_c": Q(summary__active_c__gt=0),
    "signed_partnership": Q(summary__has_signed_partnership=True),
    "sectors": Q(summary__has_public=True, summary__has_ngo=True, summary__has_business=True),
    "all": Q(summary__conditions_met=True),
}


STALE_MONTHS = 6  # the dashboards' default "no meeting / no monitoring for N months"


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - date(year, month, 1)).days
    return date(year, month, min(day.day, last_day))


def stale_since(months: int, today: date | None = None) -> datetime:
    """The moment before which a last meeting or monitoring is "more than ``months`` ago"."""
    day = months_before(today or timezone.localdate(), months)
    return timezone.make_aware(datetime.combine(day, time.min))


def lsr_dashboard_rows(networks: QuerySet[Network]) -> QuerySet[Network]:
    """Every figure a coordinator asks about, per LSR, from its summary row (rows whose day has
    are brought up to date by the view first, ``summaries_refresh_due``). Ordered by TERYT code,
    which is unique per LSR. Filter and sort it, then read it with ``dashboard_rows``."""
    return (
        networks.filter(summary__isnull=False)
        .annotate(**{name: F(f"summary__{name}") for name in FIGURE_FIELDS})
        .order_by("teryt_code", "pk")
    )


class DashboardRow:
    """One LSR of a dashboard table or export: its figures and the names of its territory as
    plain attributes (``gmina_name``, ``county_name``, ``voivodeship_name``, ``stage_label``).

    Read as values, not as model instances: four instances a row (the network, its gmina, county
    and voivodeship) were a measurable part of a regional dashboard (issue 16)."""

    stage_label: str

    def __init__(self, values: dict) -> None:
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"<DashboardRow {self.__dict__.get('teryt_code')}>"


ROW_VALUES = ("pk", "teryt_code", "stage", "variant", *FIGURE_FIELDS)
ROW_NAMES = {
    "gmina_name": F("gmina__name"),
    "county_name": F("gmina__county__name"),
    "voivodeship_name": F("gmina__county__voivodeship__name"),
}


def dashboard_values(rows: QuerySet[Network]) -> QuerySet:
    """The rows of ``lsr_dashboard_rows`` (filtered, sorted) as value dictionaries: page or
    export them, then make them ``DashboardRow`` objects with ``as_dashboard_rows``."""
    return rows.values(*ROW_VALUES, **ROW_NAMES)


def as_dashboard_rows(values) -> Iterator[DashboardRow]:
    """``DashboardRow`` objects of value dictionaries, each with its stage's label."""
    labels = {value: str(label) for value, label in Stage.choices}
    for item in values:
        row = DashboardRow(item)
        row.stage_label = labels.get(item["stage"], item["stage"])
        yield row


def conditions_met(row) -> bool:
    return bool(row.conditions_met)


def _share(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _aggregates(today: date | None = None) -> dict:
    """The roll-up's aggregates; the "stale" counts are for ``today`` (``STALE_MONTHS``)."""
    stale = stale_since(STALE_MONTHS, today)
    return {
        "total": Count("pk"),
        **{f"stage_{value}": Count("pk", filter=Q(stage=value)) for value in Stage.values},
        **{
            f"card_{n}": Count("pk", filter=Q(**{f"summary__card_{n}_done": True}))
            for n in CARD_NUMBERS
        },
        **{f"condition_{key}": Count("pk", filter=q) for key, q in CONDITION_FILTERS.items()},
        "overdue": Coalesce(Sum("summary__overdue"), 0),
        "responses": Coalesce(Sum("summary__responses"), 0),
        "cards_done": Coalesce(Sum("summary__cards_done"), 0),
        "with_overdue": Count("pk", filter=Q(summary__overdue__gt=0)),
        "no_meeting": Count(
            "pk",
            filter=Q(summary__last_meeting__isnull=True) | Q(summary__last_meeting__lt=stale),
        ),
        "no_monitoring": Count(
            "pk",
            filter=Q(summary__last_monitoring__isnull=True)
            | Q(summary__last_monitoring__lt=stale.date()),
        ),
    }


def _summary_from_counts(counts: dict) -> dict:
    total = counts.get("total", 0)
    return {
        "total": total,
        "by_stage": {value: counts.get(f"stage_{value}", 0) for value in Stage.values},
        "cards": [
            {
                "number": n,
                "count": counts.get(f"card_{n}", 0),
                "share": _share(counts.get(f"card_{n}", 0), total),
            }
            for n in CARD_NUMBERS
        ],
        "conditions": {
            key: {
                "count": counts.get(f"condition_{key}", 0),
                "share": _share(counts.get(f"condition_{key}", 0), total),
            }
            for key in CONDITION_FILTERS
        },
        "overdue": counts.get("overdue", 0),
        "responses": counts.get("responses", 0),
        "avg_cards_done": round(counts.get("cards_done", 0) / total, 1) if total else 0.0,
        "with_overdue": counts.get("with_overdue", 0),
        "no_meeting": counts.get("no_meeting", 0),
        "no_monitoring": counts.get("no_monitoring", 0),
        "stale_months": STALE_MONTHS,
    }


def empty_summary() -> dict:
    return _summary_from_counts({})


def summarise(networks: QuerySet[Network]) -> dict:
    """Roll-up of the given LSRs, aggregated in the database (one query)."""
    counts = networks.filter(summary__isnull=False).order_by().aggregate(**_aggregates())
    return _summary_from_counts(counts)


def grouped_counts(networks: QuerySet[Network], key, today: date | None = None) -> dict:
    """The aggregates of the LSRs grouped by ``key`` (an expression, e.g. the voivodeship's code):
    one query whatever the number of groups."""
    aggregates = _aggregates(today)
    grouped = (
        networks.filter(summary__isnull=False)
        .annotate(group_key=key)
        .order_by()
        .values("group_key")
        .annotate(**aggregates)
    )
    return {row["group_key"]: {name: row[name] for name in aggregates} for row in grouped}


def summaries_of_counts(grouped: dict) -> tuple[dict, dict]:
    """Roll-ups of counts by group, and the total over all groups."""
    totals: dict[str, int] = {}
    for counts in grouped.values():
        for name, value in counts.items():
            totals[name] = totals.get(name, 0) + value
    groups = {key: _summary_from_counts(counts) for key, counts in grouped.items()}
    return groups, _summary_from_counts(totals)


def summarise_by(networks: QuerySet[Network], key) -> tuple[dict, dict]:
    """Roll-ups grouped by ``key`` and the total over all groups (one query)."""
    return summaries_of_counts(grouped_counts(networks, key))


def voivodeship_code():
    return Substr("teryt_code", 1, 2)


def county_code():
    return Substr("teryt_code", 1, 4)
