"""Per-LSR summary rows: computed from the live tables, written by the services' transactions,
recomputed and compared by `manage.py lsr_summaries`.

Every refresh runs the same two queries whatever the number of LSRs: one SELECT computing every
figure with correlated subqueries, one upsert. The services call it (through FIGURES_CHANGED) with
the LSRs they changed; the dashboards call it for rows whose ``valid_until`` day has come.
"""

from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import (
    DateField,
    Exists,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import BaseExpression
from django.db.models.functions import TruncDate
from django.utils import timezone

from ksr_portal.core.subqueries import count_of
from networks.models import Membership, Network, NetworkQuerySet, Partnership, Tier
from procedures.models import CLOSED_ACTIVITY, Activity, Card, CardStatus, Meeting, MonitoringTerm
from surveys.models import Response

from .models import CARD_NUMBERS, FIGURE_FIELDS, LsrSummary, RegionSummary
from .queries import grouped_counts, summaries_of_counts, voivodeship_code


def _first(queryset, group: str, field: str, output_field) -> Subquery:
    """A correlated MIN subquery grouped by the LSR (NULL when there are no rows)."""
    return Subquery(
        queryset.order_by().values(group).annotate(m=Min(field)).values("m"),
        output_field=output_field,
    )


def live_figures(networks: NetworkQuerySet, today: date) -> QuerySet[Network]:
    """Every summary figure of the given LSRs, computed from the live tables for ``today``,
    plus the ``_next_*`` days on which a figure changes by the calendar alone."""
    cards = Card.objects.filter(network=OuterRef("pk")).exclude(status=CardStatus.NOT_APPLICABLE)
    meetings = Meeting.objects.filter(network=OuterRef("pk"), cancelled_at__isnull=True).annotate(
        day=TruncDate("held_at")
    )
    open_activities = Activity.objects.filter(card__network=OuterRef("pk")).exclude(
        status__in=CLOSED_ACTIVITY
    )
    memberships = Membership.objects.filter(network=OuterRef("pk"))
    signed = Partnership.objects.filter(network=OuterRef("pk"), agreement_status="signed")
    annotations: dict[str, BaseExpression | Q] = {
        "_card_numbers": count_of(cards, "network", "number", distinct=True),
        "_card_numbers_open": count_of(
            cards.exclude(status=CardStatus.DONE), "network", "number", distinct=True
        ),
        "_overdue": count_of(open_activities.filter(planned_date__lt=today), "card__network"),
        "_last_meeting": Subquery(
            meetings.filter(day__lte=today).order_by("-held_at").values("held_at")[:1]
        ),
        "_next_meeting": Subquery(
            meetings.filter(day__gt=today).order_by("held_at").values("held_at")[:1]
        ),
        "_last_monitoring": Subquery(
            MonitoringTerm.objects.filter(network=OuterRef("pk"), due_date__lte=today)
            .order_by("-due_date")
            .values("due_date")[:1]
        ),
        "_responses": count_of(
            Response.objects.filter(campaign__network=OuterRef("pk")), "campaign__network"
        ),
        # the days on which a figure changes without any write
        "_next_join": _first(
            memberships.filter(joined_on__gt=today), "network", "joined_on", DateField()
        ),
        "_next_leave": _first(
            memberships.filter(left_on__gt=today), "network", "left_on", DateField()
        ),
        "_next_start": _first(
            signed.filter(starts_on__gt=today), "network", "starts_on", DateField()
        ),
        "_last_end": _first(signed.filter(ends_on__gte=today), "network", "ends_on", DateField()),
        "_next_due": _first(
            open_activities.filter(planned_date__gte=today),
            "card__network",
            "planned_date",
            DateField(),
        ),
        "_next_term": _first(
            MonitoringTerm.objects.filter(network=OuterRef("pk"), due_date__gt=today),
            "network",
            "due_date",
            DateField(),
        ),
    }
    for number in CARD_NUMBERS:
        annotations[f"_card_{number}_done"] = Exists(cards.filter(number=number)) & ~Exists(
            cards.filter(number=number).exclude(status=CardStatus.DONE)
        )
    return (
        networks.filter(tier=Tier.LSR).with_conditions(today).annotate(**annotations).order_by("pk")
    )


def _summary_of(row, today: date) -> LsrSummary:
    figures = {
        "active_a": row.active_a,
        "active_b": row.active_b,
        "active_c": row.active_c,
        "has_kis_main": row.has_kis_main,
        "has_main_node": row.has_main_node,
        "has_signed_partnership": row.has_signed_partnership,
        "has_public": row.has_public,
        "has_ngo": row.has_ngo,
        "has_business": row.has_business,
        "conditions_met": bool(
            row.has_kis_main
            and row.active_c > 0
            and row.has_signed_partnership
            and row.has_public
            and row.has_ngo
            and row.has_business
        ),
        "cards_done": row._card_numbers - row._card_numbers_open,
        "overdue": row._overdue,
        "last_meeting": row._last_meeting,
        "next_meeting": row._next_meeting,
        "last_monitoring": row._last_monitoring,
        "responses": row._responses,
    }
    for number in CARD_NUMBERS:
        figures[f"card_{number}_done"] = bool(getattr(row, f"_card_{number}_done"))
    next_meeting_day = timezone.localdate(row._next_meeting) if row._next_meeting else None
    changes = [
        row._next_join,
        row._next_leave,
        row._next_start,
        row._last_end + timedelta(days=1) if row._last_end else None,
        row._next_due + timedelta(days=1) if row._next_due else None,
        row._next_term,
        next_meeting_day,
    ]
    upcoming = [day for day in changes if day is not None]
    return LsrSummary(
        network_id=row.pk,
        computed_on=today,
        valid_until=min(upcoming) if upcoming else None,
        **figures,
    )


def _computed(networks: NetworkQuerySet, today: date) -> tuple[list[LsrSummary], set[str]]:
    """Summary rows computed from the live tables, and the voivodeships they lie in."""
    rows, codes = [], set()
    for row in live_figures(networks, today):
        rows.append(_summary_of(row, today))
        codes.add(row.teryt_code[:2])
    return rows, codes


def summaries_compute(networks: NetworkQuerySet | None = None, today: date | None = None):
    """Summary rows computed from the live tables (not saved)."""
    today = today or timezone.localdate()
    networks = networks if networks is not None else Network.objects.all()
    return _computed(networks, today)[0]


@transaction.atomic
def summaries_refresh(*, network_ids=None, today: date | None = None) -> int:
    """Recompute and store the summary rows of these LSRs (all LSRs when None)."""
    networks = Network.objects.all()
    if network_ids is not None:
        network_ids = list(network_ids)
        if not network_ids:
            return 0
        networks = networks.filter(pk__in=network_ids)
    today = today or timezone.localdate()
    rows, codes = _computed(networks, today)
    LsrSummary.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["network"],
        update_fields=["computed_on", "valid_until", *FIGURE_FIELDS],
    )
    regions_refresh(codes=codes if network_ids is not None else None, today=today)
    return len(rows)


def regions_refresh(*, codes: set[str] | None = None, today: date | None = None) -> int:
    """Recompute the roll-ups of these voivodeships (by TERYT code; all when None) from the LSR
    summary rows: two queries (one grouped aggregate, one upsert)."""
    today = today or timezone.localdate()
    lsrs = Network.objects.filter(tier=Tier.LSR)
    if codes is not None:
        if not codes:
            return 0
        q = Q()
        for code in codes:
            q |= Q(teryt_code__startswith=code)
        lsrs = lsrs.filter(q)
    counts = grouped_counts(lsrs, voivodeship_code(), today)
    RegionSummary.objects.bulk_create(
        [RegionSummary(code=code, computed_on=today, counts=c) for code, c in counts.items()],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["computed_on", "counts"],
    )
    if codes is None:  # voivodeships left without an LSR
        RegionSummary.objects.exclude(code__in=list(counts)).delete()
    return len(counts)


def region_summaries(today: date | None = None) -> tuple[dict, dict]:
    """The roll-up of every voivodeship (by TERYT code) and of the country, from the maintained
    rows: one query; rows of an earlier day are recomputed first (once a day)."""
    today = today or timezone.localdate()
    rows = list(RegionSummary.objects.all())
    if any(row.computed_on != today for row in rows) or (not rows and LsrSummary.objects.exists()):
        regions_refresh(today=today)
        rows = list(RegionSummary.objects.all())
    return summaries_of_counts({row.code: row.counts for row in rows})


def region_summary(code: str, today: date | None = None) -> dict:
    """The roll-up of one voivodeship from its maintained row (one query); a row of an earlier
    day is recomputed first, and a voivodeship without a row has no LSR."""
    today = today or timezone.localdate()
    row = RegionSummary.objects.filter(code=code).first()
    stale = row is not None and row.computed_on != today
    if stale or (
        row is None and LsrSummary.objects.filter(network__teryt_code__startswith=code).exists()
    ):
        regions_refresh(today=today)
        row = RegionSummary.objects.filter(code=code).first()
    return summaries_of_counts({code: row.counts} if row else {})[1]


def regions_differences(today: date | None = None) -> list[tuple[str, str, object, object]]:
    """(voivodeship code, figure, stored, live) for every maintained roll-up figure that differs
    from the LSR summary rows. Two queries."""
    today = today or timezone.localdate()
    stored = {row.code: row.counts for row in RegionSummary.objects.all()}
    live = grouped_counts(Network.objects.filter(tier=Tier.LSR), voivodeship_code(), today)
    differences: list[tuple[str, str, object, object]] = []
    for code in sorted(set(stored) | set(live)):
        mine, theirs = stored.get(code, {}), live.get(code, {})
        for name in sorted(set(mine) | set(theirs)):
            if mine.get(name) != theirs.get(name):
                differences.append((code, name, mine.get(name), theirs.get(name)))
    return differences


def summaries_refresh_due(today: date | None = None) -> int:
    """Before a dashboard reads: recompute rows that are missing or whose day has come.

    One light query when none is (the numbers of LSRs, of summary rows and of rows due); the LSRs
    to recompute are looked up only when a row is due or missing."""
    today = today or timezone.localdate()
    qn = connection.ops.quote_name
    networks, summaries = qn(Network._meta.db_table), qn(LsrSummary._meta.db_table)
    # three counts in one round trip, each from its own index (the LSRs from the partial unique
    # index of one LSR per gmina); written out: the ORM took longer to compile it than
    # PostgreSQL to run it. Table names come from the models, values are parameters.
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {networks} WHERE tier = %s),"  # noqa: S608
        f" (SELECT COUNT(*) FROM {summaries}),"
        f" (SELECT COUNT(*) FROM {summaries} WHERE valid_until <= %s OR computed_on > %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Tier.LSR.value, today, today])
        lsrs, rows, due_rows = cursor.fetchone()
    if not lsrs or (not due_rows and rows == lsrs):
        return 0
    due = list(
        Network.objects.filter(tier=Tier.LSR)
        .filter(
            Q(summary__isnull=True)
            | Q(summary__valid_until__lte=today)
            | Q(summary__computed_on__gt=today)
        )
        .values_list("pk", flat=True)
    )
    return summaries_refresh(network_ids=due, today=today) if due else 0


def summaries_differences(today: date | None = None) -> list[tuple[int, str, object, object]]:
    """(LSR id, figure, stored, live) for every stored figure that differs from the live tables,
    and for LSRs without a row (figure "missing"). Two queries."""
    today = today or timezone.localdate()
    stored = {s.network_id: s for s in LsrSummary.objects.all()}
    differences: list[tuple[int, str, object, object]] = []
    for live in summaries_compute(today=today):
        row = stored.pop(live.network_id, None)
        if row is None:
            differences.append((live.network_id, "missing", None, None))
            continue
        for name in FIGURE_FIELDS:
            if getattr(row, name) != getattr(live, name):
                differences.append((live.network_id, name, getattr(row, name), getattr(live, name)))
    for network_id in stored:
        differences.append((network_id, "not an LSR", None, None))
    return differences
