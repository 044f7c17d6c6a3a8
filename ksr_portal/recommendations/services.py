"""Writes of experience items and recommendations: every check before the first write, one
transaction each; the status history is the models' simple-history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ksr_portal.evaluations.models import Deficiency, Finding
from networks.models import Network, Tier
from networks.selectors import require
from procedures.models import Card, LibraryDocument

from .models import (
    OPEN_STATUSES,
    ExperienceItem,
    ItemStatus,
    Recommendation,
    RecommendationStatus,
    Theme,
)
from .selectors import EXPERIENCE_TIERS, evidence_choices


def _check_evidence(
    *,
    user: Any,
    network: Network,
    findings: Iterable[Finding],
    deficiencies: Iterable[Deficiency],
    cards: Iterable[Card],
    documents: Iterable[LibraryDocument],
) -> None:
    """Evidence must be the network's own (an RSR: its region's LSRs') and in the user's scope."""
    allowed = evidence_choices(user=user, network=network)
    for field, chosen, qs in (
        ("findings", findings, allowed.findings),
        ("deficiencies", deficiencies, allowed.deficiencies),
        ("cards", cards, allowed.cards),
        ("documents", documents, allowed.documents),
    ):
        ids = {obj.pk for obj in chosen}
        if ids and qs.filter(pk__in=ids).count() != len(ids):
            raise ValidationError(
                {field: _("Link only evidence of this network's own LSRs in your scope.")}
            )


@transaction.atomic
def experience_submit(
    *,
    user: Any,
    network: Network,
    item: ExperienceItem,
    themes: Iterable[Theme],
    findings: Iterable[Finding] = (),
    deficiencies: Iterable[Deficiency] = (),
    cards: Iterable[Card] = (),
    documents: Iterable[LibraryDocument] = (),
) -> ExperienceItem:
    """An animator (for an LSR) or a ROPS coordinator (for the RSR or an LSR of the region)
    submits an experience item with its themes and evidence."""
    require(user, "submit_experience", network)
    if network.tier not in EXPERIENCE_TIERS:
        raise ValidationError(_("Experience items come from an LSR or an RSR."))
    themes, findings, deficiencies = list(themes), list(findings), list(deficiencies)
    cards, documents = list(cards), list(documents)
    if not themes:
        raise ValidationError({"themes": _("Choose at least one theme.")})
    _check_evidence(
        user=user,
        network=network,
        findings=findings,
        deficiencies=deficiencies,
        cards=cards,
        documents=documents,
    )
    item.network = network
    item.submitted_by = user
    item.status = ItemStatus.SUBMITTED
    item.full_clean(exclude=["submitted_by"])
    item.save()
    item.themes.set(themes)
    item.findings.set(findings)
    item.deficiencies.set(deficiencies)
    item.cards.set(cards)
    item.documents.set(documents)
    return item


def _review(user: Any, item: ExperienceItem, allowed_from: Iterable[str]) -> None:
    require(user, "review_experience", item.network)
    if item.status not in allowed_from:
        raise ValidationError(
            _("The item is %(status)s: this step is not possible.")
            % {"status": item.get_status_display()}
        )


def _reviewed(user: Any, item: ExperienceItem, status: str) -> ExperienceItem:
    item.status = status
    item.reviewed_by = user
    item.reviewed_at = timezone.now()
    item.save()
    return item


@transaction.atomic
def experience_review_start(*, user: Any, item: ExperienceItem) -> ExperienceItem:
    _review(user, item, [ItemStatus.SUBMITTED])
    return _reviewed(user, item, ItemStatus.REVIEW)


@transaction.atomic
def experience_forward(*, user: Any, item: ExperienceItem) -> ExperienceItem:
    """The ROPS coordinator forwards the item to the KSR."""
    _review(user, item, OPEN_STATUSES)
    return _reviewed(user, item, ItemStatus.FORWARDED)


@transaction.atomic
def experience_return(*, user: Any, item: ExperienceItem, reason: str) -> ExperienceItem:
    """Back to the submitter, with the reason (to improve and submit again as a new item)."""
    _review(user, item, OPEN_STATUSES)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the item is returned.")})
    item.return_reason = reason.strip()
    return _reviewed(user, item, ItemStatus.RETURNED)


@transaction.atomic
def experience_merge(*, user: Any, item: ExperienceItem, into: ExperienceItem) -> ExperienceItem:
    """Merge an item into another of the same voivodeship: it takes the item's themes and
    evidence; the item keeps its text and points to the one it was merged into."""
    _review(user, item, OPEN_STATUSES)
    require(user, "review_experience", into.network)
    if into.pk == item.pk:
        raise ValidationError({"into": _("An item cannot be merged into itself.")})
    if into.network.teryt_code[:2] != item.network.teryt_code[:2]:
        raise ValidationError({"into": _("Merge only items of the same voivodeship.")})
    if into.status not in (*OPEN_STATUSES, ItemStatus.FORWARDED):
        raise ValidationError({"into": _("The chosen item is merged or returned itself.")})
    into.themes.add(*item.themes.all())
    into.findings.add(*item.findings.all())
    into.deficiencies.add(*item.deficiencies.all())
    into.cards.add(*item.cards.all())
    into.documents.add(*item.documents.all())
    item.merged_into = into
    return _reviewed(user, item, ItemStatus.MERGED)


def _check_recommendation(
    user: Any, ksr: Network, recommendation: Recommendation, items: list[ExperienceItem]
) -> None:
    require(user, "compose_recommendations", ksr)
    if ksr.tier != Tier.KSR:
        raise ValidationError(_("Recommendations belong to the KSR."))
    if recommendation.pk and recommendation.status != RecommendationStatus.DRAFT:
        raise ValidationError(_("An adopted recommendation can no longer be changed."))
    if not items:
        raise ValidationError(
            {"items": _("A recommendation rests on at least one experience item: choose one.")}
        )
    if any(i.status != ItemStatus.FORWARDED for i in items):
        raise ValidationError({"items": _("Choose only items forwarded to the KSR.")})


@transaction.atomic
def recommendation_save(
    *,
    user: Any,
    ksr: Network,
    recommendation: Recommendation,
    items: Iterable[ExperienceItem],
) -> Recommendation:
    """Create or change a draft recommendation; its LSRs are those its items come from."""
    items = list(items)
    _check_recommendation(user, ksr, recommendation, items)
    recommendation.network = ksr
    if recommendation.pk is None:
        recommendation.created_by = user
    recommendation.full_clean(exclude=["created_by", "adopted_by"])
    recommendation.save()
    recommendation.items.set(items)
    recommendation.refresh_lsrs()
    return recommendation


@transaction.atomic
def recommendation_adopt(*, user: Any, recommendation: Recommendation) -> Recommendation:
    require(user, "compose_recommendations", recommendation.network)
    if recommendation.status != RecommendationStatus.DRAFT:
        raise ValidationError(_("The recommendation has already been adopted."))
    if not recommendation.items.exists():
        raise ValidationError(
            _("A recommendation rests on at least one experience item: choose one.")
        )
    recommendation.status = RecommendationStatus.ADOPTED
    recommendation.adopted_at = timezone.now()
    recommendation.adopted_by = user
    recommendation.save()
    return recommendation
