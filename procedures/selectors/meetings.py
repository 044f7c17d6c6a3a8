"""Meetings (posiedzenia) and monitoring of a network of any tier (card 4 in an LSR): scoped
reads.

Who may do what (the gate is ``networks.selectors.network_get_for_user``; the roles are in
``stakeholders.roles``, the rule in ``networks.selectors.may``):
- everyone in the network's scope (its territory, or a partner representative of an active
  member) reads meetings, the monitoring schedule and the information supplied; so do the users
  of the networks below (openness: an animator reads its RSR's and the KSR's meetings);
- ``run_meetings`` (the animator in an LSR, the ROPS coordinator in an RSR, the KSR coordinator
  in the KSR) records meetings, sets monitoring terms and links a term to the meeting where its
  information was presented;
- ``supply_monitoring`` inside the user's reach: the animator for any active member, a partner
  representative for its own organisation (once per term; it may edit it).
"""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from ksr_portal.core.scoping import get_for_user_or_404, scope_of
from networks.models import MemberRole, Membership, Network
from networks.selectors import may
from stakeholders.models import ContactPerson, Organisation

from ..models import Meeting, MonitoringReport, MonitoringTerm


def can_report_for(user: Any, network: Network, organisation: Organisation) -> bool:
    """``supply_monitoring`` for this organisation: inside the territory for any member, a
    partner representative for its own organisation only."""
    return may(user, "supply_monitoring", network, organisation.pk)


def reports_for_any_member(user: Any, network: Network) -> bool:
    """The territorial user (the animator) chooses the organisation it reports for."""
    return may(user, "supply_monitoring", network) and scope_of(user).covers(network.teryt_code)


def eligible_attendees(network: Network, meeting: Meeting | None = None) -> QuerySet[ContactPerson]:
    """Representatives / contact persons of the network's active member organisations (of an RSR
    or the KSR also of the main nodes of its member networks: the KIS of each LSR); for a
    recorded meeting also the people already on its attendance list (their organisation may have
    left)."""
    condition = Q(organisation_id__in=network.memberships.active().values("organisation_id"))
    if not network.is_lsr:
        main_nodes = Membership.objects.active().filter(
            network__parent=network, role=MemberRole.MAIN_NODE
        )
        condition |= Q(organisation_id__in=main_nodes.values("organisation_id"))
    if meeting is not None and meeting.pk:
        condition |= Q(pk__in=meeting.attendees.values("pk"))
    return (
        ContactPerson.objects.filter(condition)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


# --- meetings --------------------------------------------------------------------------


def meetings_for_lsr(*, user: Any, network: Network) -> QuerySet[Meeting]:
    """Meetings with attendance and presented-term counts (a constant number of queries)."""
    return (
        Meeting.objects.for_user(user)
        .filter(network=network)
        .annotate(
            attendee_count=Count("attendees", distinct=True),
            presented_count=Count("monitoring_presented", distinct=True),
        )
        .order_by("-held_at")
    )


def meeting_get_for_user(*, user: Any, network: Network, pk: int) -> Meeting:
    return get_for_user_or_404(
        Meeting.objects.select_related("network").prefetch_related(
            Prefetch(
                "attendees",
                queryset=ContactPerson.objects.select_related("organisation").order_by(
                    "organisation__name", "name"
                ),
            ),
            Prefetch(
                "monitoring_presented",
                queryset=MonitoringTerm.objects.annotate(report_count=Count("reports")).order_by(
                    "due_date"
                ),
            ),
        ),
        user,
        pk=pk,
        network=network,
    )


# --- monitoring ------------------------------------------------------------------------


def monitoring_terms_for_lsr(*, user: Any, network: Network) -> QuerySet[MonitoringTerm]:
    """The schedule with the information supplied for each term (a constant number of queries)."""
    return (
        MonitoringTerm.objects.for_user(user)
        .filter(network=network)
        .select_related("presented_at")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=MonitoringReport.objects.select_related(
                    "organisation", "submitted_by"
                ).order_by("organisation__name"),
            )
        )
        .order_by("due_date", "pk")
    )


def monitoring_term_get_for_user(*, user: Any, network: Network, pk: int) -> MonitoringTerm:
    return get_for_user_or_404(
        MonitoringTerm.objects.select_related("network", "presented_at"),
        user,
        pk=pk,
        network=network,
    )
