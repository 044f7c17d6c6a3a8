"""Calendar feeds (secret, revocable) and the .ics of a meeting, parsed back with icalendar."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ksr_portal.evaluations.models import Deficiency, Evaluation
from ksr_portal.evaluations.services import evaluation_save
from procedures.models import Activity, Card, Meeting
from procedures.services.meetings import meeting_save, monitoring_term_create
from stakeholders.models import Organisation
from stakeholders.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def dated_lsr(full_lsr, personas):
    """A meeting, a monitoring term, an activity deadline and a deficiency deadline."""
    today = timezone.localdate()
    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    meeting = meeting_save(
        user=personas["animator"],
        network=full_lsr,
        meeting=Meeting(
            held_at=datetime.combine(
                today + timedelta(days=10), datetime.min.time(), WARSAW
            ).replace(hour=17, minute=30),
            agenda="1. Otwarcie",
            place="Urząd Gminy",
        ),
        attendees=[],
    )
    monitoring_term_create(
        user=personas["animator"],
        network=full_lsr,
        due_date=today + timedelta(days=20),
        scope="Liczba uczestników",
    )
    card = Card.objects.get(network=full_lsr, number=11, organisation=culture)
    activity = Activity.objects.filter(card=card).order_by("position").first()
    activity.planned_date = today + timedelta(days=30)
    activity.save()
    evaluation_save(
        network=full_lsr,
        evaluation=Evaluation(
            title="E", period_start=date(2026, 1, 1), period_end=date(2026, 6, 1), evaluators="Z"
        ),
        campaigns=[],
        interviews=[],
        deficiencies=[
            Deficiency(text="Brak regulaminu", obliged=culture, deadline=today + timedelta(days=40))
        ],
    )
    return {"lsr": full_lsr, "meeting": meeting, "culture": culture, "today": today}


def feed_of(client, user) -> tuple[str, Calendar]:
    client.force_login(user)
    client.post(reverse("accounts:calendar_reset"))
    url = client.get(reverse("accounts:calendar")).context["feed_url"]
    path = url.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    response = client.get("/" + path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return "/" + path, Calendar.from_ical(response.content)


def test_the_animators_feed_has_every_kind_of_date_with_warsaw_times(client, personas, dated_lsr):
    _path, calendar = feed_of(client, personas["animator"])
    events = list(calendar.walk("VEVENT"))
    uids = sorted(str(e["UID"]).split("-")[0] for e in events)
    assert uids == ["activity", "deficiency", "meeting", "monitoring"]
    meeting = next(e for e in events if str(e["UID"]).startswith("meeting-"))
    start = meeting.decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Warsaw"
    assert (start.hour, start.minute) == (17, 30)
    assert meeting.decoded("DTEND") - start == timedelta(hours=2)
    assert str(meeting["LOCATION"]) == "Urząd Gminy"
    assert calendar.walk("VTIMEZONE")
    deficiency = next(e for e in events if str(e["UID"]).startswith("deficiency-"))
    assert deficiency.decoded("DTSTART") == dated_lsr["today"] + timedelta(days=40)


def test_a_partners_feed_holds_only_their_organisations_dates(client, dated_lsr, territory):
    partner = UserFactory(username="gck1", role=Role.PARTNER, organisation=dated_lsr["culture"])
    firm = Organisation.objects.get(name="Firma Lokalna")
    other = UserFactory(username="firm1", role=Role.PARTNER, organisation=firm)
    _p, calendar = feed_of(client, partner)
    kinds = sorted(str(e["UID"]).split("-")[0] for e in calendar.walk("VEVENT"))
    assert kinds == ["activity", "deficiency", "meeting", "monitoring"]
    _p, calendar = feed_of(client, other)
    kinds = sorted(str(e["UID"]).split("-")[0] for e in calendar.walk("VEVENT"))
    assert kinds == ["meeting", "monitoring"]  # the LSR's dates, not another member's duties


def test_an_outsiders_feed_is_empty(client, personas, dated_lsr):
    _p, calendar = feed_of(client, personas["other_animator"])
    assert list(calendar.walk("VEVENT")) == []


def test_the_feed_address_is_revocable(client, personas, dated_lsr):
    old_path, _calendar = feed_of(client, personas["animator"])
    client.force_login(personas["animator"])
    client.post(reverse("accounts:calendar_reset"))
    client.logout()
    assert client.get(old_path).status_code == 404
    client.force_login(personas["animator"])
    client.post(reverse("accounts:calendar_revoke"))
    assert client.get(reverse("accounts:calendar")).context["feed_url"] == ""
    assert client.get("/kalendarz/nieznany.ics").status_code == 404


def test_every_meeting_has_an_ics_download(client, personas, dated_lsr):
    meeting = dated_lsr["meeting"]
    url = reverse("accounts:meeting_ics", args=[meeting.network_id, meeting.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(personas["animator"])
    detail = client.get(reverse("procedures:meeting_detail", args=[meeting.network_id, meeting.pk]))
    assert url.encode() in detail.content
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(WARSAW).hour == 17
    client.force_login(personas["other_animator"])
    assert client.get(url).status_code == 404
