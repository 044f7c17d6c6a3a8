"""iCalendar (RFC 5545) with the `icalendar` library: a person's feed and one meeting's .ics.

Times are in Europe/Warsaw (with its VTIMEZONE); dates (monitoring terms, activity and deficiency
deadlines) are all-day events. The feed holds what lies in the person's scope, from 60 days back
to a year ahead."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ksr_portal.core.notifications.email import absolute
from ksr_portal.evaluations.models import Deficiency
from procedures.models import Activity, Meeting, MonitoringTerm

WARSAW = ZoneInfo("Europe/Warsaw")
MEETING_LENGTH = timedelta(hours=2)
PAST = timedelta(days=60)
AHEAD = timedelta(days=365)
UID_DOMAIN = "portal-ksr"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Portal KSR//Kalendarz//PL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Warsaw")
    return calendar


def _event(uid: str, summary: str, start: date | datetime, url: str, description: str = ""):
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("summary", summary)
    if isinstance(start, datetime):
        local = start.astimezone(WARSAW)
        event.add("dtstart", local)
        event.add("dtend", local + MEETING_LENGTH)
    else:
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(days=1))
    if description:
        event.add("description", description)
    if url:
        event.add("url", absolute(url))
    return event


def meeting_event(meeting: Meeting, *, cancelled: bool = False) -> Event:
    event = _event(
        f"meeting-{meeting.pk}",
        _("LSR meeting: %(network)s") % {"network": meeting.network.name},
        meeting.held_at,
        reverse("procedures:meeting_detail", args=[meeting.network_id, meeting.pk]),
        meeting.agenda,
    )
    if meeting.place:
        event.add("location", meeting.place)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def meeting_ics(meeting: Meeting) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        calendar = _calendar(str(meeting.network.name))
        calendar.add("method", "PUBLISH")
        calendar.add_component(meeting_event(meeting))
        calendar.add_missing_timezones()
        return calendar.to_ical()


def feed_events(user: Any, today: date | None = None) -> list[Event]:
    today = today or timezone.localdate()
    start, end = today - PAST, today + AHEAD
    start_dt = datetime.combine(start, datetime.min.time(), tzinfo=WARSAW)
    end_dt = datetime.combine(end, datetime.min.time(), tzinfo=WARSAW)
    events = [
        meeting_event(m)
        for m in Meeting.objects.for_user(user)
        .filter(held_at__gte=start_dt, held_at__lt=end_dt)
        .select_related("network")
    ]
    for term in (
        MonitoringTerm.objects.for_user(user)
        .filter(due_date__range=(start, end))
        .select_related("network")
    ):
        events.append(
            _event(
                f"monitoring-{term.pk}",
                _("Monitoring term: %(network)s") % {"network": term.network.name},
                term.due_date,
                reverse("procedures:monitoring", args=[term.network_id]),
                term.scope,
            )
        )
    for activity in (
        Activity.objects.for_user(user)
        .open()
        .filter(planned_date__range=(start, end))
        .select_related("card__network")
    ):
        card = activity.card
        events.append(
            _event(
                f"activity-{activity.pk}",
                _("Card %(card)s, activity %(position)s: %(network)s")
                % {
                    "card": card.number,
                    "position": activity.position,
                    "network": card.network.name,
                },
                activity.planned_date,
                reverse("procedures:card_detail", args=[card.network_id, card.pk]),
                activity.text,
            )
        )
    for deficiency in (
        Deficiency.objects.for_user(user)
        .open()
        .filter(deadline__range=(start, end))
        .select_related("evaluation__network", "obliged")
    ):
        evaluation = deficiency.evaluation
        events.append(
            _event(
                f"deficiency-{deficiency.pk}",
                _("Deficiency deadline: %(organisation)s")
                % {"organisation": deficiency.obliged.name},
                deficiency.deadline,
                reverse(
                    "evaluations:evaluation_detail", args=[evaluation.network_id, evaluation.pk]
                ),
                deficiency.text,
            )
        )
    return events


def feed_ics(user: Any) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        calendar = _calendar(_("KSR Portal – %(name)s") % {"name": user.get_full_name() or user})
        for event in feed_events(user):
            calendar.add_component(event)
        calendar.add_missing_timezones()
        return calendar.to_ical()
