"""Dashboard figures of LSRs, aggregated in the database with a number of queries that does not
depend on the number of LSRs (correlated subqueries per row; grouping per voivodeship in SQL)."""

from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from networks.models import NetworkQuerySet, Stage
from procedures.models import CLOSED_ACTIVITY, Activity, Card, CardStatus, Meeting, MonitoringTerm
from surveys.models import Response

CARD_NUMBERS = range(1, 14)


def _count(queryset, group: str, field: str = "pk", distinct: bool = False) -> Coalesce:
    """A correlated COUNT subquery grouped by the LSR (0 when there are no rows)."""
    counted = (
        queryset.order_by().values(group).annotate(c=Count(field, distinct=distinct)).values("c")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def lsr_dashboard_rows(networks: NetworkQuerySet) -> NetworkQuerySet:
    """Every figure a coordinator asks about, per LSR."""
    today = timezone.localdate()
    cards = Card.objects.filter(network=OuterRef("pk")).exclude(status=CardStatus.NOT_APPLICABLE)
    annotations: dict[str, Any] = {
        "card_numbers": _count(cards, "network", "number", distinct=True),
        "card_numbers_open": _count(
            cards.exclude(status=CardStatus.DONE), "network", "number", distinct=True
        ),
        "overdue": _count(
            Activity.objects.filter(card__network=OuterRef("pk"), planned_date__lt=today).exclude(
                status__in=CLOSED_ACTIVITY
            ),
            "card__network",
        ),
        "last_meeting": Subquery(
            Meeting.objects.filter(network=OuterRef("pk"))
            .order_by("-held_at")
            .values("held_at")[:1]
        ),
        "last_monitoring": Subquery(
            MonitoringTerm.objects.filter(network=OuterRef("pk"), due_date__lte=today)
            .order_by("-due_date")
            .values("due_date")[:1]
        ),
        "responses": _count(
            Response.objects.filter(campaign__network=OuterRef("pk")), "campaign__network"
        ),
    }
    for number in CARD_NUMBERS:
        annotations[f"card_{number}_done"] = Exists(cards.filter(number=number)) & ~Exists(
            cards.filter(number=number).exclude(status=CardStatus.DONE)
        )
    return (
        networks.with_conditions()
        .annotate(**annotations)
        .annotate(cards_done=F("card_numbers") - F("card_numbers_open"))
        .select_related("gmina__county__voivodeship")
        .order_by("gmina__county__code", "gmina__name")
    )


def conditions_met(row) -> bool:
    return bool(
        row.has_kis_main
        and row.active_c > 0
        and row.has_signed_partnership
        and row.has_public
        and row.has_ngo
        and row.has_business
    )


def summarise(rows: list) -> dict:
    """National/regional roll-up of dashboard rows (computed once over the rows already fetched)."""
    total = len(rows)

    def share(count: int) -> float:
        return round(100 * count / total, 1) if total else 0.0

    by_stage = {value: 0 for value, _label in Stage.choices}
    for row in rows:
        by_stage[row.stage] = by_stage.get(row.stage, 0) + 1
    cards = []
    for number in CARD_NUMBERS:
        count = sum(1 for row in rows if getattr(row, f"card_{number}_done"))
        cards.append({"number": number, "count": count, "share": share(count)})
    conditions = {
        "kis_main": sum(1 for r in rows if r.has_kis_main),
        "type_c": sum(1 for r in rows if r.active_c > 0),
        "signed_partnership": sum(1 for r in rows if r.has_signed_partnership),
        "sectors": sum(1 for r in rows if r.has_public and r.has_ngo and r.has_business),
        "all": sum(1 for r in rows if conditions_met(r)),
    }
    return {
        "total": total,
        "by_stage": by_stage,
        "cards": cards,
        "conditions": {
            key: {"count": value, "share": share(value)} for key, value in conditions.items()
        },
        "overdue": sum(r.overdue for r in rows),
        "responses": sum(r.responses for r in rows),
        "avg_cards_done": round(sum(r.cards_done for r in rows) / total, 1) if total else 0.0,
    }
