"""Step-level monitoring (seed 004's shape): per card and per activity, the share of institutions
that completed it, the reasons given where it did not apply, and breakdowns by gmina kind and by
county. Aggregated in the database: a fixed number of queries whatever the number of LSRs."""

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr

from networks.models import Network
from procedures.models import Activity, ActivityStatus, ActivityTemplate, CardTemplate
from stakeholders.models import County, GminaKind

from .queries import CARD_NUMBERS, summarise_by

REASONS_PER_ACTIVITY = 5


def _share(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def parse_step(value: str | None) -> tuple[int, int] | None:
    """ "3.2" → (3, 2): card 3, activity 2; None for anything else."""
    number, _dot, position = (value or "").partition(".")
    if not (number.isdigit() and position.isdigit()):
        return None
    if int(number) not in CARD_NUMBERS or not 1 <= int(position) <= 99:
        return None
    return int(number), int(position)


def activity_rows(networks: QuerySet[Network]) -> list[dict]:
    """Per (card, activity): institutions running it, how many did it, found it not applicable or
    still have it open, and the LSRs behind each figure (two queries)."""
    texts = {
        (t.card_template.number, t.position): t.text
        for t in ActivityTemplate.objects.filter(card_template__is_current=True).select_related(
            "card_template"
        )
    }
    grouped = (
        Activity.objects.filter(card__network__in=networks.values("pk"))
        .values("card__number", "position")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=ActivityStatus.DONE)),
            not_applicable=Count("pk", filter=Q(status=ActivityStatus.NOT_APPLICABLE)),
            lsrs=Count("card__network", distinct=True),
        )
        .order_by("card__number", "position")
    )
    rows = []
    for g in grouped:
        key = (g["card__number"], g["position"])
        open_count = g["total"] - g["done"] - g["not_applicable"]
        rows.append(
            {
                "number": key[0],
                "position": key[1],
                "step": f"{key[0]}.{key[1]}",
                "text": texts.get(key, ""),
                "lsrs": g["lsrs"],
                "total": g["total"],
                "done": g["done"],
                "done_share": _share(g["done"], g["total"]),
                "not_applicable": g["not_applicable"],
                "not_applicable_share": _share(g["not_applicable"], g["total"]),
                "open": open_count,
                "open_share": _share(open_count, g["total"]),
            }
        )
    return rows


def reason_rows(networks: QuerySet[Network]) -> list[dict]:
    """The reasons given for "not applicable", counted per activity, most frequent first (at most
    REASONS_PER_ACTIVITY per activity, the rest summed as "other reasons")."""
    grouped = (
        Activity.objects.filter(
            card__network__in=networks.values("pk"), status=ActivityStatus.NOT_APPLICABLE
        )
        .values("card__number", "position", "not_applicable_reason")
        .annotate(count=Count("pk"), lsrs=Count("card__network", distinct=True))
        .order_by("card__number", "position", "-count", "not_applicable_reason")
    )
    rows: list[dict] = []
    shown: dict[tuple[int, int], int] = {}
    for g in grouped:
        key = (g["card__number"], g["position"])
        shown[key] = shown.get(key, 0) + 1
        if shown[key] > REASONS_PER_ACTIVITY:
            last = rows[-1]
            if not last.get("other"):
                last = {
                    "number": key[0],
                    "position": key[1],
                    "step": f"{key[0]}.{key[1]}",
                    "reason": "",
                    "count": 0,
                    "lsrs": 0,
                    "other": True,
                }
                rows.append(last)
            last["count"] += g["count"]
            last["lsrs"] += g["lsrs"]  # an upper bound: an LSR may give several reasons
            continue
        rows.append(
            {
                "number": key[0],
                "position": key[1],
                "step": f"{key[0]}.{key[1]}",
                "reason": g["not_applicable_reason"].strip(),
                "count": g["count"],
                "lsrs": g["lsrs"],
                "other": False,
            }
        )
    return rows


def card_titles() -> dict[int, str]:
    return dict(CardTemplate.objects.filter(is_current=True).values_list("number", "title"))


def breakdowns(networks: QuerySet[Network]) -> dict:
    """Card completion and critical conditions by gmina kind and by county (two queries)."""
    by_kind, total = summarise_by(networks, F("gmina__kind"))
    by_county, _total = summarise_by(networks, Substr("teryt_code", 1, 4))
    counties = {c.code: c for c in County.objects.filter(code__in=list(by_county)).order_by("code")}
    return {
        "total": total,
        "kinds": [
            {"kind": kind, "label": kind.label, "summary": by_kind[kind.value]}
            for kind in GminaKind
            if kind.value in by_kind
        ],
        "counties": [
            {"county": counties[code], "summary": by_county[code]}
            for code in sorted(by_county)
            if code in counties
        ],
    }
