"""Events of networks told through the one notification mechanism (ksr_portal.core.notifications)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ksr_portal.core.notifications.models import Kind
from ksr_portal.core.notifications.services import notify, portal_language
from stakeholders.models import User
from stakeholders.recipients import representatives, territory_leads

from .models import Membership, Network, Partnership, SupportRequest


def network_people(network: Network) -> list[User]:
    """The network's leads and the representatives of its active members."""
    members = (
        Membership.objects.filter(network=network)
        .active()
        .values_list("organisation_id", flat=True)
    )
    people = {u.pk: u for u in territory_leads(network.teryt_code)}
    people.update({u.pk: u for u in representatives(members)})
    return list(people.values())


@portal_language
def agreement_in_consultation(partnership: Partnership) -> None:
    """The partners of a task partnership are asked to look at the agreement."""
    partner_ids = partnership.partners.values_list("organisation_id", flat=True)
    notify(
        recipients=representatives(partner_ids),
        kind=Kind.AGREEMENT_CONSULTATION,
        title=_("The agreement of “%(name)s” is put to consultation") % {"name": partnership.name},
        body=_("%(network)s asks the partners to read the agreement and send their remarks.")
        % {"network": partnership.network.name},
        url=reverse("networks:partnership_detail", args=[partnership.network_id, partnership.pk]),
        about=partnership,
    )


def _support_url(request: SupportRequest) -> str:
    return reverse("networks:support_detail", args=[request.lsr_id, request.pk])


@portal_language
def support_requested(request: SupportRequest) -> None:
    """The RSR's ROPS coordinators are told of a new request in their queue."""
    notify(
        recipients=territory_leads(request.rsr.teryt_code),
        kind=Kind.QUEUE_ITEM,
        title=_("%(lsr)s asks for support: %(subject)s")
        % {"lsr": request.lsr.name, "subject": request.subject},
        body=request.get_kind_display(),
        url=reverse("networks:support_work", args=[request.rsr_id, request.pk]),
        about=request,
    )


@portal_language
def support_answered(request: SupportRequest) -> None:
    """The LSR's animators are told when the RSR accepts, declines or completes a request."""
    notify(
        recipients=territory_leads(request.lsr.teryt_code),
        kind=Kind.QUEUE_ITEM,
        title=_("Support request “%(subject)s”: %(status)s")
        % {"subject": request.subject, "status": request.get_status_display()},
        body=request.decline_reason or request.outcome,
        url=_support_url(request),
        about=request,
    )
