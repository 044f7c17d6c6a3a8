"""Support to LSRs (the ROWR's technical assistance) and potential stakeholders: scoped reads.

Who may do what (gates: ``networks.selectors.network_get_for_user`` with ``tier=Tier.RSR`` for the
regional queue, ``lsr_get_for_user`` for the LSR's own pages; roles in ``stakeholders.roles``):
- ``request_support`` (the animator): ask the LSR's RSR for support; everyone in the LSR's scope
  reads its requests;
- ``give_support`` (the ROPS coordinator, inside their voivodeship): work the RSR's queue
  (accept, decline with a reason, record the support given) and record trainings and
  consultations for KIS teams;
- ``manage_networks`` (the animator): keep the LSR's list of potential stakeholders, which only
  the LSR's territory reads (contact notes are not for the members).
"""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from ksr_portal.core.scoping import get_for_user_or_404
from stakeholders.models import ContactPerson

from .models import (
    Membership,
    Network,
    PotentialStakeholder,
    SupportEvent,
    SupportRequest,
    SupportStatus,
    Tier,
)

# --- support requests ---------------------------------------------------------------------------


def support_queue(
    *,
    rsr: Network,
    status: str | None = None,
    kind: str | None = None,
    lsr_id: int | None = None,
) -> QuerySet[SupportRequest]:
    """The RSR's regional queue, filtered, newest first (a unique ordering for pagination)."""
    qs = SupportRequest.objects.filter(rsr=rsr).select_related(
        "lsr__gmina", "requested_by", "handled_by"
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if lsr_id:
        qs = qs.filter(lsr_id=lsr_id)
    return qs.order_by("-submitted_at", "-pk")


def queue_status_counts(*, rsr: Network) -> dict[str, int]:
    rows = (
        SupportRequest.objects.filter(rsr=rsr)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = dict.fromkeys(SupportStatus.values, 0)
    counts.update(dict(rows))
    return counts


def region_lsrs(*, rsr: Network) -> QuerySet[Network]:
    return Network.objects.filter(parent=rsr, tier=Tier.LSR).order_by("name", "pk")


def support_per_lsr(*, rsr: Network) -> QuerySet[Network]:
    """Support requested and given per LSR of the region (one aggregated query): the regional
    dashboard's figure. LSRs that never asked are listed too."""
    return region_lsrs(rsr=rsr).annotate(
        support_requested=Count("support_requests", distinct=True),
        support_open=Count(
            "support_requests",
            filter=Q(
                support_requests__status__in=[SupportStatus.SUBMITTED, SupportStatus.ACCEPTED]
            ),
            distinct=True,
        ),
        support_given=Count(
            "support_requests",
            filter=Q(support_requests__status=SupportStatus.DONE),
            distinct=True,
        ),
        support_declined=Count(
            "support_requests",
            filter=Q(support_requests__status=SupportStatus.DECLINED),
            distinct=True,
        ),
    )


def support_requests_of_lsr(*, user: Any, lsr: Network) -> QuerySet[SupportRequest]:
    return (
        SupportRequest.objects.for_user(user)
        .filter(lsr=lsr)
        .select_related("handled_by", "requested_by")
        .order_by("-submitted_at", "-pk")
    )


def support_request_get_for_user(
    *, user: Any, pk: int, lsr: Network | None = None, rsr: Network | None = None
) -> SupportRequest:
    """A request of this LSR (or in this RSR's queue) inside the user's scope; 404 otherwise."""
    lookup: dict[str, Any] = {"pk": pk}
    if lsr is not None:
        lookup["lsr"] = lsr
    if rsr is not None:
        lookup["rsr"] = rsr
    return get_for_user_or_404(
        SupportRequest.objects.select_related(
            "lsr__gmina", "rsr", "requested_by", "handled_by"
        ).prefetch_related("events"),
        user,
        **lookup,
    )


# --- trainings and consultations for KIS teams ----------------------------------------------------


def eligible_participants(*, rsr: Network) -> QuerySet[ContactPerson]:
    """Contact persons of the active member organisations of the region's LSRs."""
    members = Membership.objects.active().filter(network__parent=rsr, network__tier=Tier.LSR)
    return (
        ContactPerson.objects.filter(organisation_id__in=members.values("organisation_id"))
        .select_related("organisation")
        .order_by("organisation__name", "name", "pk")
    )


def support_events_of_rsr(*, rsr: Network) -> QuerySet[SupportEvent]:
    return (
        SupportEvent.objects.filter(rsr=rsr)
        .annotate(participant_count=Count("participants", distinct=True))
        .prefetch_related(
            Prefetch("requests", queryset=SupportRequest.objects.select_related("lsr"))
        )
        .order_by("-held_on", "-pk")
    )


def support_event_get_for_user(*, user: Any, rsr: Network, pk: int) -> SupportEvent:
    return get_for_user_or_404(
        SupportEvent.objects.select_related("rsr").prefetch_related(
            Prefetch(
                "participants",
                queryset=ContactPerson.objects.select_related("organisation").order_by(
                    "organisation__name", "name"
                ),
            ),
            Prefetch("requests", queryset=SupportRequest.objects.select_related("lsr")),
        ),
        user,
        pk=pk,
        rsr=rsr,
    )


# --- potential stakeholders ------------------------------------------------------------------------


def candidates_of_lsr(*, user: Any, lsr: Network) -> QuerySet[PotentialStakeholder]:
    return (
        PotentialStakeholder.objects.for_user(user)
        .filter(network=lsr)
        .select_related("organisation")
        .order_by("status", "name", "pk")
    )


def candidate_get_for_user(*, user: Any, lsr: Network, pk: int) -> PotentialStakeholder:
    return get_for_user_or_404(
        PotentialStakeholder.objects.select_related("network", "organisation"),
        user,
        pk=pk,
        network=lsr,
    )
