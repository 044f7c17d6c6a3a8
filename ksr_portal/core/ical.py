"""iCalendar (RFC 5545) building blocks with the `icalendar` library; imports no app model.

Times are written in Europe/Warsaw with its VTIMEZONE; a date becomes an all-day event."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

WARSAW = ZoneInfo("Europe/Warsaw")
DEFAULT_LENGTH = timedelta(hours=2)
UID_DOMAIN = "portal-ksr"


def absolute(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.PORTAL_URL.rstrip("/") + path


def calendar(name: str, *, method: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Portal KSR//Kalendarz//PL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Warsaw")
    return cal


def event(
    uid: str,
    summary: str,
    start: date | datetime,
    *,
    url: str = "",
    description: str = "",
    location: str = "",
    cancelled: bool = False,
    length: timedelta = DEFAULT_LENGTH,
) -> Event:
    item = Event()
    item.add("uid", f"{uid}@{UID_DOMAIN}")
    item.add("dtstamp", timezone.now())
    item.add("summary", summary)
    if isinstance(start, datetime):
        local = start.astimezone(WARSAW)
        item.add("dtstart", local)
        item.add("dtend", local + length)
    else:
        item.add("dtstart", start)
        item.add("dtend", start + timedelta(days=1))
    if description:
        item.add("description", description)
    if location:
        item.add("location", location)
    if url:
        item.add("url", absolute(url))
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def to_ics(cal: Calendar, events: list[Event]) -> bytes:
    for item in events:
        cal.add_component(item)
    cal.add_missing_timezones()
    return cal.to_ical()
