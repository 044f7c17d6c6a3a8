"""Events of procedures told through the one notification mechanism
(ksr_portal.core.notifications): needs and answers, cards assigned, overdue activities,
meetings (with an .ics attachment) and monitoring terms due. Called by the services inside
their transactions, and by the daily sweep (``send_reminders``)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ksr_portal.core.notifications.models import Kind
from ksr_portal.core.notifications.services import notify, portal_language
from networks.models import Network, Tier
from networks.notifications import network_people
from stakeholders.recipients import representatives, territory_leads

from .calendar import meeting_ics
from .models import Activity, Card, Meeting, MonitoringTerm, Need, NeedResponse, ResponseKind

MONITORING_NOTICE = timedelta(days=7)


@portal_language
def need_addressed(need: Need, *, organisation_ids: list[int] | None = None) -> None:
    """The representatives of the addressees hear of the need (of the new ones only when the
    need is addressed to more partners)."""
    if organisation_ids is None:
        organisation_ids = list(need.addressees.values_list("pk", flat=True))
    notify(
        recipients=representatives(organisation_ids),
        kind=Kind.NEED_ADDRESSED,
        title=_("A need addressed to your organisation: %(kind)s")
        % {"kind": need.get_kind_display()},
        body=_("%(poster)s (%(network)s) needs: %(text)s. When: %(when)s.")
        % {
            "poster": need.posted_by.name,
            "network": need.network.name,
            "text": need.description,
            "when": need.needed_when,
        },
        url=reverse("procedures:need_detail", args=[need.network_id, need.pk]),
        about=need,
        event_key=f"need:{need.pk}:addressed",
    )


@portal_language
def need_answered(response: NeedResponse) -> None:
    """The poster's representatives and the LSR's animators hear of the answer; the answering
    organisation is named, its people's addresses are not. An offer made in the RSR or the KSR
    says where it comes from."""
    need = response.need
    recipients = list(representatives([need.posted_by_id])) + list(
        territory_leads(need.network.teryt_code)
    )
    if response.kind != ResponseKind.OFFER:
        title = _("%(organisation)s cannot fulfil your need")
    elif response.tier == Tier.RSR:
        title = _("%(organisation)s offers a resource for your need escalated to the RSR")
    elif response.tier == Tier.KSR:
        title = _("%(organisation)s offers a resource for your need escalated to the KSR")
    else:
        title = _("%(organisation)s offers a resource for your need")
    notify(
        recipients=recipients,
        kind=Kind.NEED_ANSWERED,
        title=title % {"organisation": response.organisation.name},
        body=response.text,
        url=reverse("procedures:need_detail", args=[need.network_id, need.pk]),
        about=need,
        event_key=f"need-response:{response.pk}",
    )


@portal_language
def need_offer_accepted(response: NeedResponse) -> None:
    """The offering organisation's representatives (and the coordinator who recorded the offer
    for it) hear that the animator accepted it."""
    need = response.need
    recipients = list(representatives([response.organisation_id]))
    if response.responded_by is not None:
        recipients.append(response.responded_by)
    rsr = need.network.parent
    tier_network = rsr if response.tier == Tier.RSR or rsr is None else rsr.parent
    if response.tier == Tier.LSR or tier_network is None:
        url = reverse("procedures:need_detail", args=[need.network_id, need.pk])
    else:
        url = reverse("procedures:escalated_need", args=[tier_network.pk, need.pk])
    notify(
        recipients=recipients,
        kind=Kind.NEED_ANSWERED,
        title=_("%(network)s accepted the offer of %(organisation)s")
        % {"network": need.network.name, "organisation": response.organisation.name},
        body=_("Need: %(text)s. Offer: %(offer)s")
        % {"text": need.description, "offer": response.text},
        url=url,
        # the response, not the need: an organisation of the RSR or the KSR is no addressee
        about=response,
        event_key=f"need-response:{response.pk}:accepted",
    )


@portal_language
def need_escalated(need: Need, network: Network) -> None:
    """The ROPS coordinators (for an RSR) and the representatives of the tier's member
    organisations find the need in the tier's queue."""
    recipients = list(territory_leads(network.teryt_code)) + list(
        representatives(network.memberships.active().values_list("organisation_id", flat=True))
    )
    notify(
        recipients=recipients,
        kind=Kind.QUEUE_ITEM,
        title=_("A need escalated to %(network)s: %(kind)s")
        % {"network": network.name, "kind": need.get_kind_display()},
        body=_("%(lsr)s cannot meet this need: %(text)s. When: %(when)s.")
        % {"lsr": need.network.name, "text": need.description, "when": need.needed_when},
        url=reverse("procedures:escalated_need", args=[network.pk, need.pk]),
        event_key=f"need:{need.pk}:escalated:{network.tier}",
    )


@portal_language
def card_assigned(card: Card) -> None:
    if card.organisation_id is None:
        return
    notify(
        recipients=representatives([card.organisation_id]),
        kind=Kind.ACTIVITY_ASSIGNED,
        title=_("Card %(number)s assigned to your organisation: %(title)s")
        % {"number": card.number, "title": card.title},
        body=_("%(network)s: the activities of this card are now yours to carry out.")
        % {"network": card.network.name},
        url=reverse("procedures:card_detail", args=[card.network_id, card.pk]),
        about=card,
        event_key=f"card:{card.pk}:assigned:{card.organisation_id}",
    )


@portal_language
def meeting_saved(meeting: Meeting, *, moved_from=None, created: bool = False) -> None:
    """A meeting scheduled (new) or moved (its time changed), with the .ics attached."""
    if not created and moved_from is None:
        return
    when = timezone.localtime(meeting.held_at)
    if created:
        title = _("Meeting of %(network)s scheduled for %(when)s")
    else:
        title = _("Meeting of %(network)s moved to %(when)s")
    notify(
        recipients=network_people(meeting.network),
        kind=Kind.MEETING,
        title=title % {"network": meeting.network.name, "when": f"{when:%d.%m.%Y %H:%M}"},
        body=_("Place: %(place)s. Agenda: %(agenda)s")
        % {"place": meeting.place or "—", "agenda": meeting.agenda},
        url=reverse("procedures:meeting_detail", args=[meeting.network_id, meeting.pk]),
        about=meeting,
        event_key=f"meeting:{meeting.pk}:{meeting.held_at.isoformat()}",
        ics=meeting_ics(meeting).decode(),
    )


@portal_language
def meeting_cancelled(meeting: Meeting) -> None:
    """A meeting called off, with an .ics (METHOD:CANCEL) that removes it from calendars."""
    when = timezone.localtime(meeting.held_at)
    notify(
        recipients=network_people(meeting.network),
        kind=Kind.MEETING,
        title=_("Meeting of %(network)s on %(when)s cancelled")
        % {"network": meeting.network.name, "when": f"{when:%d.%m.%Y %H:%M}"},
        body=_("Reason: %(reason)s") % {"reason": meeting.cancel_reason},
        url=reverse("procedures:meeting_detail", args=[meeting.network_id, meeting.pk]),
        about=meeting,
        event_key=f"meeting:{meeting.pk}:cancelled",
        ics=meeting_ics(meeting).decode(),
    )


@portal_language
def remind_overdue_activities(today: date | None = None) -> int:
    """Tell each organisation's representatives once about each overdue activity."""
    told = 0
    overdue = (
        Activity.objects.overdue(today)
        .filter(card__organisation__isnull=False)
        .select_related("card__network")
    )
    for activity in overdue:
        card = activity.card
        told += len(
            notify(
                recipients=representatives([card.organisation_id]),
                kind=Kind.ACTIVITY_OVERDUE,
                title=_("Overdue: card %(card)s, activity %(position)s (%(network)s)")
                % {
                    "card": card.number,
                    "position": activity.position,
                    "network": card.network.name,
                },
                body=_("Planned for %(date)s: %(text)s")
                % {"date": f"{activity.planned_date:%d.%m.%Y}", "text": activity.text},
                url=reverse("procedures:card_detail", args=[card.network_id, card.pk]),
                about=activity,
                event_key=f"activity:{activity.pk}:overdue:{activity.planned_date.isoformat()}",
            )
        )
    return told


@portal_language
def remind_monitoring_terms(today: date | None = None) -> int:
    """Seven days ahead, tell the LSR's people that a monitoring term is due."""
    today = today or timezone.localdate()
    told = 0
    terms = MonitoringTerm.objects.filter(
        due_date__gte=today, due_date__lte=today + MONITORING_NOTICE
    ).select_related("network")
    for term in terms:
        told += len(
            notify(
                recipients=network_people(term.network),
                kind=Kind.MONITORING_DUE,
                title=_("Monitoring term of %(network)s on %(date)s")
                % {"network": term.network.name, "date": f"{term.due_date:%d.%m.%Y}"},
                body=term.scope,
                url=reverse("procedures:monitoring", args=[term.network_id]),
                about=term,
                event_key=f"monitoring:{term.pk}:{term.due_date.isoformat()}",
            )
        )
    return told
