"""The demo looks real (issue 14 §11): Żmudź meets quarterly as its rhythm says, with minutes,
attendance and monitoring; cards are opened and closed when their activities were done; the
pact has every party the Żmudź 2017 evaluation (seed 000) names."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from ksr_portal.seed.demo import ZMUDZ_CODE, ZMUDZ_PACT
from ksr_portal.seed.demo_meetings import meeting_days
from networks.models import Network, Partnership, Tier
from procedures.models import Card, Meeting, MeetingKind, MonitoringTerm
from tests.builders import demo_load

pytestmark = pytest.mark.django_db

# Seed 000, "Gmina Żmudź 2016 r.": the Wójt and "Stella" (running the KIS) initiated the pact;
# these joined it.
PACT_PARTIES = {
    "Klub Integracji Społecznej w Żmudzi",  # the leader, a party of its own agreement
    "Urząd Gminy Żmudź",
    "Stowarzyszenie Wspierania Aktywności Społecznej „Stella”",
    "Spółdzielnia Socjalna „Dębowy Las”",
    "Szkoła Podstawowa w Żmudzi",
    "Gimnazjum Publiczne w Żmudzi",
    "Środowiskowy Dom Samopomocy „Wrzos” w Żmudzi",
    "Gminne Centrum Kultury w Żmudzi",
    "Stowarzyszenie Gospodyń Wiejskich „Dziarskie Wólczanki”",
}


@pytest.fixture(scope="module")
def zmudz(django_db_setup, django_db_blocker):
    """The demo alone (without what tests.builders.demo_site adds), once per module, rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield Network.objects.get(tier=Tier.LSR, gmina__code=ZMUDZ_CODE)
        transaction.set_rollback(True)


def test_meetings_follow_the_quarterly_rhythm(zmudz):
    assert zmudz.meeting_rhythm == "raz na kwartał"
    now = timezone.now()
    meetings = list(
        Meeting.objects.filter(network=zmudz, kind=MeetingKind.MEETING).order_by("held_at")
    )
    past = [m for m in meetings if m.held_at <= now]
    future = [m for m in meetings if m.held_at > now]
    assert len(past) >= 6 and len(future) == 1
    gaps = [(b.held_at - a.held_at).days for a, b in zip(meetings, meetings[1:], strict=False)]
    assert all(80 <= gap <= 100 for gap in gaps), gaps
    assert (now - past[-1].held_at).days < 100  # the LSR has not stopped meeting
    assert (future[0].held_at - now).days < 100
    active = set(zmudz.memberships.active().values_list("organisation_id", flat=True))
    for meeting in past:
        assert meeting.minutes and meeting.decisions and meeting.agenda
        present = list(meeting.attendees.all())
        assert len(present) >= 6
        assert {p.organisation_id for p in present} <= active
    assert not future[0].minutes and not future[0].attendees.exists()


def test_monitoring_terms_precede_the_meetings_that_present_them(zmudz):
    today = timezone.localdate()
    terms = list(MonitoringTerm.objects.filter(network=zmudz).order_by("due_date"))
    past = [t for t in terms if t.due_date <= today]
    assert len(past) >= 6 and any(t.due_date > today for t in terms)
    for term in past:
        assert term.presented_at is not None
        meeting_day = timezone.localdate(term.presented_at.held_at)
        assert timedelta(0) < meeting_day - term.due_date <= timedelta(days=21)
        reports = list(term.reports.all())
        assert len(reports) >= 3
        assert all(timezone.localdate(r.submitted_at) <= term.due_date for r in reports)
    gaps = [(b.due_date - a.due_date).days for a, b in zip(terms, terms[1:], strict=False)]
    assert all(80 <= gap <= 100 for gap in gaps), gaps


def test_card_dates_come_from_their_activities(zmudz):
    today = timezone.localdate()
    cards = list(Card.objects.filter(network=zmudz).prefetch_related("activities"))
    completed = [c for c in cards if c.completed_at]
    assert completed and len(completed) < len(cards)
    for card in cards:
        done = sorted(a.done_date for a in card.activities.all() if a.done_date)
        if not done:
            continue
        assert all(day <= today for day in done)
        assert timezone.localdate(card.opened_at) <= done[0]
        if card.completed_at:  # closed the day its last activity was done, not when loaded
            assert timezone.localdate(card.completed_at) == done[-1]
            assert all(
                h.completed_at is None or h.completed_at == card.completed_at
                for h in card.history.all()
            )
        else:  # an open card was worked on recently, not ten years ago
            assert (today - done[0]).days <= 2 * 365, (card.number, done)


def test_the_pact_has_every_party_the_seed_names(zmudz):
    pact = Partnership.objects.get(network=zmudz, name=ZMUDZ_PACT)
    parties = set(pact.partners.values_list("organisation__name", flat=True))
    assert parties == PACT_PARTIES
    assert pact.leader.name == "Klub Integracji Społecznej w Żmudzi"
    assert pact.signed_on and pact.signed_on.year == 2016


def test_meeting_days_are_a_quarter_apart_from_any_day():
    for offset in range(0, 366, 17):
        day = timezone.localdate() + timedelta(days=offset)
        past, upcoming = meeting_days(day, 8)
        days = [*past, upcoming]
        assert all(d.weekday() == 3 for d in days)
        assert all(80 <= (b - a).days <= 100 for a, b in zip(days, days[1:], strict=False)), days
        assert upcoming > day > past[-1]
