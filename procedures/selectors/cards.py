"""Scoped reads of procedure cards and the LSR's working tools."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ksr_portal.core.scoping import get_for_user_or_404, has_capability, scope_of
from networks.models import Membership, Network
from networks.selectors import may

from ..models import CLOSED_ACTIVITY, Activity, Card, CardStatus, Evidence, Need


def is_member_representative(user, network: Network) -> bool:
    """A partner representative whose organisation is an active member of the network."""
    return bool(
        user.organisation_id
        and Membership.objects.filter(network=network, organisation_id=user.organisation_id)
        .active()
        .exists()
    )


def can_work_card(user: Any, card: Card) -> bool:
    """``work_cards`` inside the user's reach: every card of an LSR in the animator's territory;
    a partner representative only the cards of its own organisation."""
    if has_capability(user, "work_cards") and scope_of(user).covers(card.network.teryt_code):
        return True
    return card.organisation_id is not None and may(
        user, "work_cards", card.network, card.organisation_id
    )


def cards_for_lsr(*, user, network: Network) -> QuerySet[Card]:
    """The cards of an LSR the user may see, with activity counts (constant number of queries)."""
    return (
        Card.objects.for_user(user)
        .filter(network=network)
        .select_related("organisation")
        .annotate(
            activity_count=Count("activities"),
            closed_count=Count("activities", filter=Q(activities__status__in=CLOSED_ACTIVITY)),
            overdue_count=Count(
                "activities",
                filter=~Q(activities__status__in=CLOSED_ACTIVITY)
                & Q(activities__planned_date__lt=timezone.localdate()),
            ),
        )
        .order_by("number", "organisation__name")
    )


def card_get_for_user(*, user, network: Network, pk: int) -> Card:
    return get_for_user_or_404(
        Card.objects.select_related(
            "organisation", "responsible", "template", "network"
        ).prefetch_related(
            "cooperating",
            "informed",
            Prefetch(
                "activities",
                queryset=Activity.objects.order_by("position").prefetch_related(
                    Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at"))
                ),
            ),
        ),
        user,
        pk=pk,
        network=network,
    )


def card_get_for_work(*, user, network: Network, pk: int) -> Card:
    """The card for a change: 404 outside the scope, 403 for those who may only read it."""
    card = card_get_for_user(user=user, network=network, pk=pk)
    if not can_work_card(user, card):
        raise PermissionDenied
    return card


def lsr_progress(network: Network) -> dict:
    """Cards done X/13 (numbers whose every card is done) and activities done %."""
    cards = Card.objects.filter(network=network).exclude(status=CardStatus.NOT_APPLICABLE)
    per_number = cards.values("number").annotate(
        total=Count("id", distinct=True),
        done=Count("id", filter=Q(status=CardStatus.DONE), distinct=True),
    )
    numbers_done = sum(1 for row in per_number if row["total"] and row["total"] == row["done"])
    activities = Activity.objects.filter(card__network=network).aggregate(
        total=Count("id", filter=~Q(status="not_applicable")),
        done=Count("id", filter=Q(status="done")),
        overdue=Count(
            "id", filter=~Q(status__in=CLOSED_ACTIVITY) & Q(planned_date__lt=timezone.localdate())
        ),
    )
    total = activities["total"] or 0
    return {
        "cards_done": numbers_done,
        "cards_total": 13,
        "activities_done": activities["done"],
        "activities_total": total,
        "activities_pct": round(100 * activities["done"] / total) if total else 0,
        "overdue": activities["overdue"],
    }


def my_cards(*, user) -> QuerySet[Card]:
    """Open cards the user works on: a partner's own cards; an animator's cards in their LSRs."""
    qs = Card.objects.for_user(user).open()
    if not user.has_capability("manage_networks"):
        qs = qs.filter(organisation_id=user.organisation_id) if user.organisation_id else qs.none()
    return (
        qs.select_related("network", "organisation")
        .annotate(
            overdue_count=Count(
                "activities",
                filter=~Q(activities__status__in=CLOSED_ACTIVITY)
                & Q(activities__planned_date__lt=timezone.localdate()),
            )
        )
        .order_by("network__name", "number", "organisation__name")
    )


def my_overdue_activities(*, user) -> QuerySet[Activity]:
    qs = Activity.objects.for_user(user).overdue()
    if not user.has_capability("manage_networks"):
        qs = (
            qs.filter(card__organisation_id=user.organisation_id)
            if user.organisation_id
            else qs.none()
        )
    return qs.select_related("card__network").order_by("planned_date")


def my_needs(*, user):
    """Needs on the "my tasks" page: those addressed to a partner's organisation (with its own
    answer), or for an animator the needs of their LSRs."""
    from ..selectors.needs import needs_for_organisation, with_status

    if user.organisation_id and not user.has_capability("manage_networks"):
        return needs_for_organisation(organisation=user.organisation_id)
    if user.has_capability("manage_networks"):
        return with_status(
            Need.objects.for_user(user).select_related("network", "posted_by")
        ).order_by("-created_at")
    return Need.objects.none()
