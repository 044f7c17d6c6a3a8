"""Scoped reads of interviews (IDI/FGI), their guides and the IDI coverage of stakeholders.

Interviews are research material scoped by territory only (``InterviewQuerySet`` has no
organisation path): views open the LSR with ``lsr_get_for_user(..., territorial=True)``, so a
partner representative, who sees the LSR itself, gets 404 on these pages.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from ksr_portal.core.scoping import get_for_user_or_404, has_capability
from networks.models import Membership, Network
from networks.selectors import member_organisations
from stakeholders.models import Organisation

from ..models import Interview, InterviewGuide, InterviewKind, Participant, ParticipantRole


def can_see_names(user: Any) -> bool:
    """Participants' names are for the research team (``run_interviews``)."""
    return has_capability(user, "run_interviews")


def interviews_for_lsr(*, user, network: Network) -> QuerySet[Interview]:
    return (
        Interview.objects.for_user(user)
        .filter(network=network)
        .select_related("organisation", "guide")
        .annotate(participant_count=Count("participants"))
        .order_by("-held_on", "-pk")
    )


def interview_get_for_user(*, user, network: Network, pk: int) -> Interview:
    return get_for_user_or_404(
        Interview.objects.select_related("organisation", "guide", "network").prefetch_related(
            Prefetch("participants", queryset=Participant.objects.order_by("pk"))
        ),
        user,
        pk=pk,
        network=network,
    )


def guides_for_lsr(network: Network) -> QuerySet[InterviewGuide]:
    """The portal's default guides and the LSR's own ones."""
    return InterviewGuide.objects.filter(Q(network__isnull=True) | Q(network=network)).order_by(
        "-is_default", "kind", "title", "pk"
    )


def guide_get(*, network: Network, pk: int) -> InterviewGuide:
    return get_object_or_404(guides_for_lsr(network), pk=pk)


def interview_organisations(network: Network, current: Organisation | None = None):
    """Organisations an interview may be about: active members (and the one already chosen)."""
    members = member_organisations(network)
    if current is None:
        return members
    return Organisation.objects.filter(Q(pk__in=members.values("pk")) | Q(pk=current.pk)).order_by(
        "name"
    )


@dataclass
class CoverageRow:
    organisation: Organisation
    persons: int
    has_manager: bool
    has_substantive: bool

    @property
    def met(self) -> bool:
        return self.persons >= 2 and self.has_manager and self.has_substantive


def idi_coverage(network: Network) -> list[CoverageRow]:
    """For each active member: IDI persons interviewed and whether a manager and a substantive
    worker were among them. Two queries, whatever the number of members and interviews."""
    memberships = (
        Membership.objects.filter(network=network)
        .active()
        .select_related("organisation")
        .order_by("organisation__name")
    )
    counts = {
        row["interview__organisation"]: row
        for row in Participant.objects.filter(
            interview__network=network,
            interview__kind=InterviewKind.IDI,
            interview__organisation__isnull=False,
        )
        .values("interview__organisation")
        .annotate(
            persons=Count("pk"),
            managers=Count("pk", filter=Q(role=ParticipantRole.MANAGER)),
            substantive=Count("pk", filter=Q(role=ParticipantRole.SUBSTANTIVE)),
        )
    }
    rows, seen = [], set()
    for membership in memberships:
        organisation = membership.organisation
        if organisation.pk in seen:
            continue
        seen.add(organisation.pk)
        row = counts.get(organisation.pk, {})
        rows.append(
            CoverageRow(
                organisation=organisation,
                persons=row.get("persons", 0),
                has_manager=row.get("managers", 0) > 0,
                has_substantive=row.get("substantive", 0) > 0,
            )
        )
    return rows
