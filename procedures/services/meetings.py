"""Meetings (posiedzenia) and monitoring of a network of any tier (card 4 in an LSR): every
state change.

Who may do what is told in ``procedures.selectors.meetings``; the reads live there too.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.events import network_figures_changed
from networks.models import Membership, Network
from networks.selectors import require
from stakeholders.models import ContactPerson, Organisation

from .. import notifications
from ..models import Meeting, MonitoringReport, MonitoringTerm
from ..selectors.meetings import can_report_for, eligible_attendees

# --- meetings: writes -------------------------------------------------------------------------


@transaction.atomic
def meeting_save(
    *, user: Any, network: Network, meeting: Meeting, attendees: Iterable[ContactPerson]
) -> Meeting:
    """Record a new meeting or save an edited one. Attendance is chosen among the contact persons
    of active members; people already recorded as present stay allowed (their organisation may
    have left since)."""
    require(user, "run_meetings", network)
    if meeting.pk and meeting.network_id != network.pk:
        raise Http404
    if meeting.cancelled_at is not None:
        raise ValidationError(_("A cancelled meeting cannot be edited."))
    meeting.network = network
    allowed = set(eligible_attendees(network, meeting).values_list("pk", flat=True))
    attendees = list(attendees)
    outside = [person for person in attendees if person.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                "attendees": _(
                    "Only representatives of the network's active members can be recorded as "
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
    network_figures_changed(network)
    moved = previous if previous is not None and previous != meeting.held_at else None
    notifications.meeting_saved(meeting, created=previous is None, moved_from=moved)
    return meeting


@transaction.atomic
def meeting_cancel(*, user: Any, network: Network, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting that has not taken place yet: everyone in the network is told, with an
    .ics that takes it out of their calendars. The record stays, marked as cancelled."""
    require(user, "run_meetings", network)
    if meeting.network_id != network.pk:
        raise Http404
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.cancelled_at is not None:
        raise ValidationError(_("This meeting has already been cancelled."))
    if meeting.held_at <= timezone.now():
        raise ValidationError(_("A meeting that has already taken place cannot be cancelled."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    meeting.cancelled_at = timezone.now()
    meeting.cancel_reason = reason
    meeting.save(update_fields=["cancelled_at", "cancel_reason"])
    network_figures_changed(network)
    notifications.meeting_cancelled(meeting)
    return meeting


# --- monitoring: writes -----------------------------------------------------------------------


@transaction.atomic
def monitoring_term_create(
    *, user: Any, network: Network, due_date: date, scope: str
) -> MonitoringTerm:
    require(user, "run_meetings", network)
    if not (scope or "").strip():
        raise ValidationError({"scope": _("Say what information the institutions report.")})
    term = MonitoringTerm.objects.create(network=network, due_date=due_date, scope=scope.strip())
    network_figures_changed(network)
    return term


def monitoring_term_present(
    *, user: Any, term: MonitoringTerm, meeting: Meeting | None
) -> MonitoringTerm:
    """Link a term to the meeting where its information was presented (None: unlink)."""
    require(user, "run_meetings", term.network)
    if meeting is not None and meeting.network_id != term.network_id:
        raise ValidationError({"meeting": _("Choose a meeting of this network.")})
    term.presented_at = meeting
    term.save(update_fields=["presented_at"])
    return term


def monitoring_report_submit(
    *, user: Any, term: MonitoringTerm, organisation: Organisation, information: str
) -> MonitoringReport:
    """An organisation's information for a term: once per term and organisation."""
    network = term.network
    if not can_report_for(user, network, organisation):
        raise PermissionDenied
    if not Membership.objects.filter(network=network, organisation=organisation).active().exists():
        raise ValidationError(
            {"organisation": _("The institution must be an active member of the network.")}
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


def monitoring_report_update(
    *, user: Any, report: MonitoringReport, information: str
) -> MonitoringReport:
    """Edit supplied information: the organisation's own representative or the animator."""
    if not can_report_for(user, report.term.network, report.organisation):
        raise PermissionDenied
    if not (information or "").strip():
        raise ValidationError({"information": _("Write the information for this term.")})
    report.information = information.strip()
    report.submitted_by = user
    report.save(update_fields=["information", "submitted_by"])
    return report
