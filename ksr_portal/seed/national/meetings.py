"""Steps: LSR meetings with attendance, and monitoring terms presented at them."""

from datetime import datetime, timedelta
from datetime import time as dtime

from ksr_portal.seed.national.bulk import _bulk, _bulk_keep, _random_day
from ksr_portal.seed.national.plans import State
from ksr_portal.seed.national.vocabulary import MEETING_TOPICS
from procedures.models import Meeting, MonitoringTerm


class MeetingSteps(State):
    def meetings(self) -> int:
        meetings = []
        for plan in self.plans:
            rng = plan.rng
            count = min(6, int(plan.maturity * 5 + rng.random() * 1.5))
            for _ in range(count):
                future = rng.random() < 0.12
                day = (
                    self.today + timedelta(days=rng.randint(3, 60))
                    if future
                    else _random_day(rng, plan.founded_on, self.today - timedelta(days=1))
                )
                topics = rng.sample(MEETING_TOPICS, 3)
                meeting = Meeting(
                    network_id=plan.network.pk,
                    held_at=datetime.combine(day, dtime(rng.choice([10, 12, 15]), 0), self.tz),
                    place=f"sala konferencyjna – {plan.gmina.name}",
                    agenda="\n".join(f"{i}. {t}" for i, t in enumerate(topics, 1)),
                    minutes="" if future else f"Omówiono: {topics[0].lower()}.",
                    decisions="" if future else f"Przyjęto: {topics[1].lower()}.",
                )
                plan.meetings.append(meeting)
                meetings.append(meeting)
        _bulk_keep(Meeting, meetings)
        through = Meeting.attendees.through

        def attendance():
            for plan in self.plans:
                present = [m.contact.pk for m in plan.members if m.left_on is None]
                for meeting in plan.meetings:
                    if meeting.minutes:
                        for contact_id in plan.rng.sample(present, min(len(present), 6)):
                            yield through(meeting_id=meeting.pk, contactperson_id=contact_id)

        _bulk(through, attendance())
        return len(meetings)

    def monitoring_terms(self) -> int:
        def rows():
            for plan in self.plans:
                rng = plan.rng
                count = rng.randint(0, 4) if plan.maturity > 0.2 else rng.randint(0, 1)
                due = plan.founded_on + timedelta(days=rng.randint(60, 120))
                past_meetings = sorted(
                    (m for m in plan.meetings if m.minutes), key=lambda m: m.held_at
                )
                for _ in range(count):
                    presented = None
                    if due < self.today and rng.random() < 0.4:
                        presented = next(
                            (m for m in past_meetings if m.held_at.date() >= due), None
                        )
                    yield MonitoringTerm(
                        network_id=plan.network.pk,
                        due_date=due,
                        scope="Liczba uczestników zajęć, zrealizowane działania, potrzeby.",
                        presented_at_id=presented.pk if presented else None,
                    )
                    due += timedelta(days=rng.randint(80, 190))

        return _bulk(MonitoringTerm, rows())
