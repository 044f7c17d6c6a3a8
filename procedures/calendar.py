"""A meeting as an iCalendar event (.ics download, attachment of meeting notifications)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ksr_portal.core import ical

from .models import Meeting


def meeting_event(meeting: Meeting, *, cancelled: bool | None = None):
    return ical.event(
        f"meeting-{meeting.pk}",
        _("LSR meeting: %(network)s") % {"network": meeting.network.name},
        meeting.held_at,
        url=reverse("procedures:meeting_detail", args=[meeting.network_id, meeting.pk]),
        description=meeting.agenda,
        location=meeting.place,
        cancelled=meeting.is_cancelled if cancelled is None else cancelled,
    )


def meeting_ics(meeting: Meeting) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return ical.to_ics(
            ical.calendar(
                str(meeting.network.name), method="CANCEL" if meeting.is_cancelled else "PUBLISH"
            ),
            [meeting_event(meeting)],
        )
