"""Potential stakeholders of an LSR (card 2): candidates before they join, contacted →
interested → joined / declined. Joining goes through the membership services."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from stakeholders.models import Organisation

from ..models import CandidateStatus, Network, PotentialStakeholder, Tier
from ..selectors import require
from .networks import membership_add, organisation_create_member

TRANSITIONS: dict[str, set[str]] = {
    CandidateStatus.CONTACTED: {
        CandidateStatus.INTERESTED,
        CandidateStatus.JOINED,
        CandidateStatus.DECLINED,
    },
    CandidateStatus.INTERESTED: {CandidateStatus.JOINED, CandidateStatus.DECLINED},
    CandidateStatus.DECLINED: {CandidateStatus.CONTACTED},
    CandidateStatus.JOINED: set(),
}


@transaction.atomic
def candidate_add(
    *, user: Any, network: Network, candidate: PotentialStakeholder
) -> PotentialStakeholder:
    require(user, "manage_networks", network)
    if network.tier != Tier.LSR:
        raise Http404
    candidate.network = network
    candidate.status = CandidateStatus.CONTACTED
    candidate.organisation = None
    candidate.name = (candidate.name or "").strip()
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def candidate_update(*, user: Any, candidate: PotentialStakeholder) -> PotentialStakeholder:
    """Edit a candidate's name, type and contact note (the status moves only by
    ``candidate_set_status``)."""
    require(user, "manage_networks", candidate.network)
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def candidate_set_status(
    *,
    user: Any,
    candidate: PotentialStakeholder,
    status: str,
    organisation: Organisation | None = None,
) -> PotentialStakeholder:
    """Move a candidate on. "Joined" makes it a member: the chosen existing organisation (of the
    LSR's gmina, or supra-local) joins, or a new organisation is created from the candidate's
    name, type, kind and sector — checked first by the membership services, so a refused join
    writes nothing."""
    network = candidate.network
    require(user, "manage_networks", network)
    candidate = PotentialStakeholder.objects.select_for_update().get(pk=candidate.pk)
    if status not in TRANSITIONS[candidate.status]:
        raise ValidationError(
            _("The candidate cannot go from “%(from)s” to “%(to)s”.")
            % {"from": candidate.get_status_display(), "to": CandidateStatus(status).label}
        )
    if status == CandidateStatus.JOINED:
        if organisation is not None:
            membership_add(network=network, organisation=organisation)
        else:
            gmina_id = network.gmina_id
            if gmina_id is None:  # only an LSR keeps potential stakeholders
                raise Http404
            organisation = Organisation(
                name=candidate.name,
                stakeholder_type=candidate.stakeholder_type,
                institution_kind=candidate.institution_kind,
                sector=candidate.sector,
                gmina_id=gmina_id,
            )
            organisation._history_user = user
            organisation_create_member(network=network, organisation=organisation)
        candidate.organisation = organisation
    candidate.status = status
    candidate.save(update_fields=["status", "organisation", "updated_at"])
    return candidate
