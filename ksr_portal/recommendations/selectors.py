"""Scoped reads of experience items, recommendations and the findings search."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ksr_portal.core.scoping import (
    get_for_user_or_404,
    has_capability,
    require_capability,
    scope_of,
)
from ksr_portal.evaluations.models import Deficiency, Finding
from ksr_portal.printing.documents import Printable
from networks.models import Network, Tier
from networks.selectors import network_get_for_user
from procedures.models import Card, LibraryDocument

from .models import (
    OPEN_STATUSES,
    ExperienceItem,
    ExperienceItemQuerySet,
    ItemStatus,
    Recommendation,
    Theme,
)

EXPERIENCE_TIERS = (Tier.LSR, Tier.RSR)


def experience_network_get(*, user: Any, pk: int, capability: str | None = None) -> Network:
    """The gate of the experience pages: an LSR or an RSR of the user's territory (partners
    and the KSR tier answer 404), then 403 without ``capability``."""
    network = network_get_for_user(user=user, pk=pk, territorial=True)
    if network.tier not in EXPERIENCE_TIERS:
        raise Http404
    if capability is not None:
        require_capability(user, capability)
    return network


def experience_networks_for_user(*, user: Any) -> QuerySet[Network]:
    """Where the user works on experience items: a reviewer's RSRs, a submitter's LSRs (of
    their territory; partner representatives none)."""
    if has_capability(user, "review_experience"):
        tier = Tier.RSR
    elif has_capability(user, "submit_experience"):
        tier = Tier.LSR
    else:
        return Network.objects.none()
    return (
        Network.objects.filter(tier=tier)
        .filter(scope_of(user).q("teryt_code"))
        .order_by("teryt_code", "name")
    )


def ksr_get_for_user(*, user: Any, capability: str | None = None) -> Network:
    """The KSR network through the gate: 403 without ``capability`` (the KSR is everyone's
    network: no scope hides it), 404 when there is none or it is out of scope."""
    if capability is not None:
        require_capability(user, capability)
    ksr = Network.objects.filter(tier=Tier.KSR).only("pk").first()
    if ksr is None:
        raise Http404
    return network_get_for_user(user=user, pk=ksr.pk, tier=Tier.KSR, capability=capability)


def _items() -> ExperienceItemQuerySet:
    return ExperienceItem.objects.select_related("network", "submitted_by", "merged_into")


def experience_items_of(*, user: Any, network: Network) -> QuerySet[ExperienceItem]:
    """An LSR's items; an RSR's and those of its region's LSRs (the review queue first)."""
    return (
        _items()
        .for_user(user)
        .in_region_of(network)
        .prefetch_related("themes")
        .alias(
            queue=Case(
                When(status__in=OPEN_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("queue", "-submitted_at", "-pk")
    )


def experience_item_get(*, user: Any, network: Network, pk: int) -> ExperienceItem:
    """An item of the network (an RSR: of its region) in the user's scope, else 404."""
    qs = (
        _items()
        .in_region_of(network)
        .prefetch_related(
            "themes",
            Prefetch("findings", queryset=Finding.objects.select_related("evaluation__network")),
            Prefetch(
                "deficiencies",
                queryset=Deficiency.objects.select_related("evaluation__network", "obliged"),
            ),
            Prefetch("cards", queryset=Card.objects.select_related("network")),
            Prefetch("documents", queryset=LibraryDocument.objects.select_related("network")),
            Prefetch("merged_items", queryset=ExperienceItem.objects.select_related("network")),
        )
    )
    item: ExperienceItem = get_for_user_or_404(qs, user, pk=pk)
    return item


def evidence_networks(network: Network) -> QuerySet[Network]:
    """Whose evidence an item may link: an LSR's own; an RSR's, its region's LSRs'."""
    if network.tier == Tier.LSR:
        return Network.objects.filter(pk=network.pk)
    return Network.objects.filter(tier=Tier.LSR, teryt_code__startswith=network.teryt_code)


@dataclass
class EvidenceChoices:
    findings: QuerySet[Finding]
    deficiencies: QuerySet[Deficiency]
    cards: QuerySet[Card]
    documents: QuerySet[LibraryDocument]


def evidence_choices(*, user: Any, network: Network) -> EvidenceChoices:
    """What an item of this network may link, inside the user's scope."""
    networks = evidence_networks(network)
    scope = scope_of(user)
    return EvidenceChoices(
        findings=Finding.objects.filter(evaluation__network__in=networks)
        .filter(scope.q("evaluation__network__teryt_code"))
        .select_related("evaluation__network")
        .order_by("evaluation__network__name", "-evaluation__period_end", "kind", "pk"),
        deficiencies=Deficiency.objects.filter(evaluation__network__in=networks)
        .filter(scope.q("evaluation__network__teryt_code"))
        .select_related("evaluation__network")
        .order_by("evaluation__network__name", "deadline", "pk"),
        cards=Card.objects.filter(network__in=networks)
        .filter(scope.q("network__teryt_code"))
        .select_related("network", "organisation")
        .order_by("network__name", "number", "pk"),
        documents=LibraryDocument.objects.filter(network__in=networks)
        .filter(scope.q("network__teryt_code"))
        .select_related("network")
        .order_by("network__name", "title", "pk"),
    )


def merge_targets(*, user: Any, item: ExperienceItem) -> QuerySet[ExperienceItem]:
    """Items of the same voivodeship an item may be merged into (still open or forwarded)."""
    region = item.network.teryt_code[:2]
    return (
        _items()
        .for_user(user)
        .filter(network__teryt_code__startswith=region)
        .filter(status__in=[*OPEN_STATUSES, ItemStatus.FORWARDED])
        .exclude(pk=item.pk)
        .order_by("title", "pk")
    )


def themes() -> QuerySet[Theme]:
    return Theme.objects.order_by("position", "pk")


def themes_for_search(*, user: Any) -> QuerySet[Theme]:
    """The gate of the findings search (403 without the capability), then the themes."""
    require_capability(user, "search_findings")
    return themes()


@dataclass
class ThemeCounts:
    theme: Theme | None
    by_status: dict[str, int]
    total: int

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(status, count) in the order of ``ItemStatus``."""
        return [(s.value, self.by_status.get(s.value, 0)) for s in ItemStatus]


def item_counts_by_theme(*, user: Any) -> tuple[list[ThemeCounts], ThemeCounts]:
    """Items in scope per theme and status, and all items per status: two queries."""
    scope_q = scope_of(user).q("items__network__teryt_code")
    statuses = [s.value for s in ItemStatus]
    annotations = {
        f"n_{status}": Count("items", filter=scope_q & Q(items__status=status), distinct=True)
        for status in statuses
    }
    rows = [
        ThemeCounts(
            theme=theme,
            by_status={s: getattr(theme, f"n_{s}") for s in statuses},
            total=sum(getattr(theme, f"n_{s}") for s in statuses),
        )
        for theme in themes().annotate(**annotations)
    ]
    totals = dict.fromkeys(statuses, 0)
    for status, n in (
        ExperienceItem.objects.for_user(user)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        totals[status] = n
    return rows, ThemeCounts(theme=None, by_status=totals, total=sum(totals.values()))


def items_for_ksr(
    *, user: Any, theme: Theme | None = None, status: str = ""
) -> QuerySet[ExperienceItem]:
    """Every item in scope, filtered by theme and status, newest first."""
    qs = _items().for_user(user).prefetch_related("themes")
    if theme is not None:
        qs = qs.filter(themes=theme)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-pk")


def composable_items(*, user: Any) -> QuerySet[ExperienceItem]:
    """Items a recommendation may rest on: forwarded to the KSR."""
    return (
        _items()
        .for_user(user)
        .filter(status=ItemStatus.FORWARDED)
        .prefetch_related("themes")
        .order_by("network__teryt_code", "title", "pk")
    )


def _with_evidence(qs: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    return qs.select_related("created_by", "adopted_by").prefetch_related(
        Prefetch(
            "items",
            queryset=ExperienceItem.objects.select_related("network")
            .prefetch_related(
                "themes",
                Prefetch(
                    "findings", queryset=Finding.objects.select_related("evaluation__network")
                ),
                Prefetch(
                    "deficiencies",
                    queryset=Deficiency.objects.select_related("evaluation__network"),
                ),
            )
            .order_by("network__teryt_code", "title", "pk"),
        ),
        Prefetch("lsrs", queryset=Network.objects.order_by("teryt_code")),
    )


def adopted_recommendations() -> QuerySet[Recommendation]:
    """Adopted recommendations: open to every user at every tier (for the KSR network page:
    ``{% include "recommendations/_adopted.html" %}`` with ``adopted_recommendations``)."""
    return _with_evidence(Recommendation.objects.adopted()).order_by("-adopted_at", "-pk")


def recommendation_list_for_user(*, user: Any) -> QuerySet[Recommendation]:
    """Adopted ones for everyone who sees networks; drafts too for those who compose."""
    require_capability(user, "view_networks")
    qs = Recommendation.objects.all()
    if not has_capability(user, "compose_recommendations"):
        qs = qs.adopted()
    return (
        qs.select_related("created_by")
        .annotate(item_count=Count("items", distinct=True), lsr_count=Count("lsrs", distinct=True))
        .order_by("status", "-adopted_at", "-created_at", "-pk")
    )


def recommendation_printables(user: Any) -> Iterable[Printable]:
    """The report "Rekomendacje KSR" on the documents page (printing.documents registry): for
    whoever may open it (``report_pdf``), once a recommendation has been adopted."""
    if has_capability(user, "view_networks") and Recommendation.objects.adopted().exists():
        yield Printable(
            _("KSR recommendations"),
            _("Report “KSR recommendations” (PDF)"),
            reverse("recommendations:report_pdf"),
        )


def recommendation_get_for_user(*, user: Any, pk: int) -> Recommendation:
    """An adopted recommendation for anyone; a draft only for those who compose (else 404)."""
    require_capability(user, "view_networks")
    qs = Recommendation.objects.all()
    if not has_capability(user, "compose_recommendations"):
        qs = qs.adopted()
    recommendation = _with_evidence(qs).filter(pk=pk).first()
    if recommendation is None:
        raise Http404
    return recommendation


# --- the findings search ------------------------------------------------------------------------

_ROW = ("r_source", "r_pk", "r_text", "r_label", "r_network_id", "r_network", "r_evaluation")


def _rows(qs: QuerySet[Any], source: str, label: Any) -> QuerySet[Any]:
    return qs.annotate(
        r_source=Value(source, output_field=CharField()),
        r_pk=F("pk"),
        r_text=F("text"),
        r_label=label,
        r_network_id=F("evaluation__network_id"),
        r_network=F("evaluation__network__name"),
        r_evaluation=F("evaluation__title"),
        r_period_end=F("evaluation__period_end"),
        r_order=Value(0 if source == "finding" else 1, output_field=IntegerField()),
    ).values(*_ROW, "r_period_end", "r_order")


def findings_search(
    *, user: Any, theme: Theme | None = None, text: str = "", source: str = ""
) -> QuerySet[Any]:
    """Evaluation findings and deficiencies of every LSR in the user's territory, by theme
    (its keywords) and text, as rows of one union ordered uniquely (newest period first)."""
    require_capability(user, "search_findings")
    scope_q = scope_of(user).q("evaluation__network__teryt_code")
    condition = Q()
    if theme is not None:
        keywords = [k for k in theme.keywords if k]
        if keywords:
            any_keyword = Q()
            for keyword in keywords:
                any_keyword |= Q(text__icontains=keyword)
            condition &= any_keyword
    if text:
        condition &= Q(text__icontains=text)
    findings = _rows(Finding.objects.filter(scope_q, condition), "finding", F("kind"))
    deficiencies = _rows(
        Deficiency.objects.filter(scope_q, condition), "deficiency", F("obliged__name")
    )
    if source == "finding":
        rows = findings
    elif source == "deficiency":
        rows = deficiencies
    else:
        rows = findings.union(deficiencies, all=True)
    return rows.order_by("-r_period_end", "r_order", "-r_pk")


def is_composer(user: Any) -> bool:
    return has_capability(user, "compose_recommendations")
