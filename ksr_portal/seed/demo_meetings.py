"""Meetings and monitoring terms of the showcase LSR (Żmudź), read from
`data/demo_meetings.yaml`: past meetings one quarter apart (the LSR's rhythm is "raz na
kwartał") with minutes, decisions and attendance, the next meeting planned, and a monitoring
term two weeks before each meeting, presented at it, with the institutions' information.

Dates are counted from today, so the demo never shows an LSR that stopped meeting. The records
are written directly (no notification is sent for meetings that took place long ago); the
dashboards' rows are recomputed by ``load_demo`` afterwards."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ksr_portal.seed.datafiles import load_yaml
from networks.models import Network
from procedures.models import Meeting, MonitoringReport, MonitoringTerm
from stakeholders.models import ContactPerson

DATA = load_yaml("demo_meetings.yaml")
QUARTER_MONTHS = 3
NEXT_MEETING_IN_DAYS = 35  # the next meeting: about a month from today
TERM_BEFORE_MEETING = timedelta(days=14)  # monitoring information is due two weeks before
MEETING_WEEKDAY = 3  # Thursday


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, 28))


def _on_weekday(day: date) -> date:
    return day + timedelta(days=(MEETING_WEEKDAY - day.weekday()) % 7)


def meeting_days(today: date, past: int) -> tuple[list[date], date]:
    """The days of the `past` meetings (oldest first) and of the next one, a quarter apart."""
    upcoming = _on_weekday(today + timedelta(days=NEXT_MEETING_IN_DAYS))
    days = [_on_weekday(_months_before(upcoming, QUARTER_MONTHS * k)) for k in range(past, 0, -1)]
    return days, upcoming


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(DATA["hour"], 0)))


def load_demo_meetings(network: Network, *, submitted_by) -> bool:
    """Returns True when the meetings were written (False: the LSR has meetings already)."""
    if Meeting.objects.filter(network=network).exists():
        return False
    today = timezone.localdate()
    days, upcoming = meeting_days(today, len(DATA["past"]))
    members = network.memberships.active().select_related("organisation")
    people = {
        m.organisation.name: list(ContactPerson.objects.filter(organisation=m.organisation))
        for m in members
    }
    organisations = {m.organisation.name: m.organisation for m in members}
    scope = " ".join(DATA["monitoring_scope"].split())
    for index, (day, entry) in enumerate(zip(days, DATA["past"], strict=True)):
        meeting = Meeting.objects.create(
            network=network,
            held_at=_at(day),
            place=DATA["place"],
            agenda=entry["agenda"],
            minutes=" ".join(entry["minutes"].split()),
            decisions=entry["decisions"],
        )
        absent = set(entry["absent"])
        meeting.attendees.set(
            [p for name, persons in people.items() if name not in absent for p in persons]
        )
        term = MonitoringTerm.objects.create(
            network=network, due_date=day - TERM_BEFORE_MEETING, scope=scope, presented_at=meeting
        )
        figures = {
            "people": 30 + 4 * index,
            "jobs": 2 + index % 3,
            "referrals": 6 + index % 4,
            "contracts": 3 + index % 2,
            "trainees": 2 + index % 2,
            "guests": 120 + 15 * index,
        }
        for name, text in DATA["reports"].items():
            if name in organisations:
                report = MonitoringReport.objects.create(
                    term=term,
                    organisation=organisations[name],
                    information=" ".join(text.split()).format(**figures),
                    submitted_by=submitted_by,
                )
                # supplied a few days before the term, not on the day the demo was loaded
                MonitoringReport.objects.filter(pk=report.pk).update(
                    submitted_at=_at(term.due_date - timedelta(days=3))
                )
    Meeting.objects.create(
        network=network, held_at=_at(upcoming), place=DATA["place"], agenda=DATA["next"]["agenda"]
    )
    after_next = _on_weekday(_months_before(upcoming, -QUARTER_MONTHS))
    for due in (upcoming - TERM_BEFORE_MEETING, after_next - TERM_BEFORE_MEETING):
        MonitoringTerm.objects.create(network=network, due_date=due, scope=scope)
    return True
