"""LSR meetings (posiedzenia) and local monitoring (card 4): scoped reads and the rules of writes.

Who may do what:
- everyone in the LSR's scope (its territory, or a partner representative of an active member)
  reads meetings, the monitoring schedule and the information supplied;
- the animator (``manage_networks``) records meetings, sets monitoring terms and links a term to
  the meeting where its information was presented;
- a partner representative of an active member supplies its own organisation's information for a
  term (once per term; it may edit it); the animator may enter it for any active member.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ksr_portal.core.scoping import get_for_user_or_404, has_capability, scope_of
from networks.models import Membership, Network
from stakeholders.models import ContactPerson, Organisation

from .. import notifications
from ..models import Meeting, MonitoringReport, MonitoringTerm
from ..selectors.cards import can_manage_lsr, is_member_representative, lsr_for_user

# --- access -----------------------------------------------------------------------------------


def in_territory(user, network: Network) -> bool:
    """The LSR lies in the user's territorial scope (animator's gmina, ROPS region, country)."""
    return scope_of(user).covers_code(network.teryt_code)


def lsr_for_tools(*, user, pk: int) -> Network:
    """The LSR for its working tools (meetings, monitoring, library): 404 unless it is an LSR in
    the user's scope (territory, or an active member organisation: see ScopedQuerySet)."""
    network = lsr_for_user(user=user, pk=pk)
    if not network.is_lsr:
        raise Http404
    return network


def can_manage(user, network: Network) -> bool:
    return can_manage_lsr(user, network) and in_territory(user, network)


def require_manage(user, network: Network) -> None:
    """403 for those who may only read (ROPS, KSR, partners)."""
    if not can_manage(user, network):
        raise PermissionDenied


def can_report_for(user, network: Network, organisation: Organisation) -> bool:
    """The animator for any member; a partner representative for its own organisation only."""
    if can_manage(user, network):
        return True
    return bool(
        has_capability(user, "work_own_tasks")
        and user.organisation_id
        and user.organisation_id == organisation.pk
        and is_member_representative(user, network)
    )


def can_report(user, network: Network) -> bool:
    """May the user supply monitoring information at all (for some organisation)?"""
    if can_manage(user, network):
        return True
    return bool(has_capability(user, "work_own_tasks") and is_member_representative(user, network))


def _active_member_ids(network: Network):
    return Membership.objects.filter(network=network).active().values("organisation_id")


def member_organisations(network: Network) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=_active_member_ids(network)).order_by("name")


def eligible_attendees(network: Network, meeting: Meeting | None = None) -> QuerySet[ContactPerson]:
    """Representatives / contact persons of the LSR's active member organisations; for a recorded
    meeting also the people already on its attendance list (their organisation may have left)."""
    condition = Q(organisation_id__in=_active_member_ids(network))
    if meeting is not None and meeting.pk:
        condition |= Q(pk__in=meeting.attendees.values("pk"))
    return (
        ContactPerson.objects.filter(condition)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


# --- meetings: reads --------------------------------------------------------------------------


def meetings_for_lsr(*, user, network: Network) -> QuerySet[Meeting]:
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


def meeting_get_for_user(*, user, network: Network, pk: int) -> Meeting:
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


# --- meetings: writes -------------------------------------------------------------------------


@transaction.atomic
def meeting_save(*, user, network: Network, meeting: Meeting, attendees) -> Meeting:
    """Record a new meeting or save an edited one. Attendance is chosen among the contact persons
    of active members; people already recorded as present stay allowed (their organisation may
    have left since)."""
    require_manage(user, network)
    if meeting.pk and meeting.network_id != network.pk:
        raise Http404
    meeting.network = network
    allowed = set(eligible_attendees(network, meeting).values_list("pk", flat=True))
    attendees = list(attendees)
    outside = [person for person in attendees if person.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                "attendees": _(
                    "Only representatives of the LSR's active members can be recorded as "
                    "present; not allowed: %(names)s."
                )
                % {"names": ", ".join(person.name for person in outside)}
            }
        )
    if not (meeting.agenda or "").strip():
        raise ValidationError({"agenda": _("Give the agenda of the meeting.")})
    previous = Meeting.objects.filter(pk=meeting.pk).values_list("held_at", flat=True).first()
    meeting.save()
    meeting.attendees.set(attendees)
    moved = previous if previous is not None and previous != meeting.held_at else None
    notifications.meeting_saved(meeting, created=previous is None, moved_from=moved)
    return meeting


# --- monitoring: reads ------------------------------------------------------------------------


def monitoring_terms_for_lsr(*, user, network: Network) -> QuerySet[MonitoringTerm]:
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


def monitoring_term_get_for_user(*, user, network: Network, pk: int) -> MonitoringTerm:
    return get_for_user_or_404(
        MonitoringTerm.objects.select_related("network", "presented_at"),
        user,
        pk=pk,
        network=network,
    )


# --- monitoring: writes -----------------------------------------------------------------------


def monitoring_term_create(*, user, network: Network, due_date, scope: str) -> MonitoringTerm:
    require_manage(user, network)
    if not (scope or "").strip():
        raise ValidationError({"scope": _("Say what information the institutions report.")})
    return MonitoringTerm.objects.create(network=network, due_date=due_date, scope=scope.strip())


def monitoring_term_present(*, user, term: MonitoringTerm, meeting: Meeting | None):
    """Link a term to the meeting where its information was presented (None: unlink)."""
    require_manage(user, term.network)
    if meeting is not None and meeting.network_id != term.network_id:
        raise ValidationError({"meeting": _("Choose a meeting of this LSR.")})
    term.presented_at = meeting
    term.save(update_fields=["presented_at"])
    return term


def monitoring_report_submit(
    *, user, term: MonitoringTerm, organisation: Organisation, information: str
) -> MonitoringReport:
    """An organisation's information for a term: once per term and organisation."""
    network = term.network
    if not can_report_for(user, network, organisation):
        raise PermissionDenied
    if not Membership.objects.filter(network=network, organisation=organisation).active().exists():
        raise ValidationError(
            {"organisation": _("The institution must be an active member of the LSR.")}
        )
    if not (information or "").strip():
        raise ValidationError({"information": _("Write the information for this term.")})
    already = _("%(name)s has already supplied information for this term; edit it instead.") % {
        "name": organisation.name
    }
    if MonitoringReport.objects.filter(term=term, organisation=organisation).exists():
        raise ValidationError({"organisation": already})
    try:
        with transaction.atomic():
            return MonitoringReport.objects.create(
                term=term,
                organisation=organisation,
                information=information.strip(),
                submitted_by=user,
            )
    except IntegrityError as exc:  # a concurrent submission won the race
        raise ValidationError({"organisation": already}) from exc


def monitoring_report_update(*, user, report: MonitoringReport, information: str):
    """Edit supplied information: the organisation's own representative or the animator."""
    if not can_report_for(user, report.term.network, report.organisation):
        raise PermissionDenied
    if not (information or "").strip():
        raise ValidationError({"information": _("Write the information for this term.")})
    report.information = information.strip()
    report.submitted_by = user
    report.save(update_fields=["information", "submitted_by"])
    return report
