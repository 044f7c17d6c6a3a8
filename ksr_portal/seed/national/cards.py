"""Steps: procedure cards of the members and their activities, in consistent states."""

from datetime import timedelta

from django.utils import timezone

from ksr_portal.seed.national.bulk import _bulk, _bulk_keep, _clamp
from ksr_portal.seed.national.plans import MemberPlan, State
from ksr_portal.seed.national.vocabulary import ACTIVITY_NOTES, LEFT_REASON, NA_REASONS
from procedures.models import CLOSED_ACTIVITY, Activity, ActivityStatus, Card, CardStatus
from procedures.services.cards import (
    MAIN_NODE_CARDS,
    TYPE_B_CARDS,
    TYPE_C_CARDS,
    derive_card_status,
)
from stakeholders.models import StakeholderType


class CardSteps(State):
    def cards(self) -> int:
        """Cards 1–5 (main node), 6–10 (the OPS), 11–13 (each type C member)."""
        cards = []
        for plan in self.plans:
            wanted: list[tuple[int, MemberPlan]] = [(n, plan.main) for n in MAIN_NODE_CARDS]
            if plan.ops is not None:
                wanted += [(n, plan.ops) for n in TYPE_B_CARDS]
            for member in plan.members:
                if member.org.stakeholder_type == StakeholderType.C:
                    wanted += [(n, member) for n in TYPE_C_CARDS]
            for number, member in wanted:
                template = self.templates[number]
                opened = plan.founded_on if number in MAIN_NODE_CARDS else member.joined_on
                card = Card(
                    network_id=plan.network.pk,
                    template_id=template.pk,
                    number=number,
                    title=template.title,
                    organisation_id=member.org.pk,
                    responsible_id=member.contact.pk if plan.rng.random() < 0.7 else None,
                    opened_at=self._at(opened, 9, 0),
                )
                cards.append(card)
                self.card_rows.append((card, plan, member))
        self._card_states()
        _bulk_keep(Card, cards)
        return len(cards)

    def _card_states(self) -> None:
        """Decide each card's activities (kept on the card object until the activities phase)
        and set the card's status and completion consistently with them."""
        for card, plan, member in self.card_rows:
            rng = plan.rng
            steps = self.template_activities[card.number]
            if card.number in MAIN_NODE_CARDS:
                order = card.number - 1
            elif card.number in TYPE_B_CARDS:
                order = card.number - 5
            else:
                order = card.number - 10 + rng.uniform(0, 2)
            progress = _clamp(plan.maturity * 1.7 - order * 0.17 + rng.uniform(-0.3, 0.3))
            done_count = round(progress * len(steps))
            start = timezone.localdate(card.opened_at)
            limit = member.left_on or self.today
            day = start
            activities = []
            for position, text in steps:
                status, done_date, planned, reason = ActivityStatus.TODO, None, None, ""
                if position <= done_count:
                    if rng.random() < 0.05:
                        status, reason = ActivityStatus.NOT_APPLICABLE, rng.choice(NA_REASONS)
                    else:
                        day = min(day + timedelta(days=rng.randint(3, 45)), limit)
                        status, done_date = ActivityStatus.DONE, day
                        if rng.random() < 0.5:
                            planned = done_date - timedelta(days=rng.randint(-10, 20))
                elif position == done_count + 1 and rng.random() < 0.6:
                    status = ActivityStatus.IN_PROGRESS
                if status in (ActivityStatus.TODO, ActivityStatus.IN_PROGRESS):
                    if rng.random() < 0.7:
                        planned = self.today + timedelta(days=rng.randint(-90, 120))
                    if rng.random() < 0.03:
                        status, reason = ActivityStatus.NOT_APPLICABLE, rng.choice(NA_REASONS)
                activities.append([position, text, status, reason, planned, done_date])
            closed = all(a[2] in CLOSED_ACTIVITY for a in activities)
            completed = closed and rng.random() < 0.85
            if member.left_on is not None and card.number in TYPE_C_CARDS and not completed:
                # the member left: the service closes the card's open activities as not
                # applicable and sets the card not applicable (a completed card stays done)
                for activity in activities:
                    if activity[2] not in CLOSED_ACTIVITY:
                        activity[2], activity[3] = ActivityStatus.NOT_APPLICABLE, LEFT_REASON
                card.status = CardStatus.NOT_APPLICABLE
            else:
                card.status = derive_card_status([a[2] for a in activities], completed)
            if completed:
                last = max((a[5] for a in activities if a[5]), default=start)
                card.completed_at = self._at(last, 15, rng.randint(0, 59))
            card._planned_activities = activities

    def activities(self) -> int:
        def rows():
            for card, plan, _member in self.card_rows:
                rng = plan.rng
                for position, text, status, reason, planned, done_date in card._planned_activities:
                    version = 1 + (status != ActivityStatus.TODO) + (planned is not None)
                    yield Activity(
                        card_id=card.pk,
                        position=position,
                        text=text,
                        status=status,
                        not_applicable_reason=reason,
                        planned_date=planned,
                        done_date=done_date,
                        notes=rng.choice(ACTIVITY_NOTES) if rng.random() < 0.1 else "",
                        version=version,
                    )
                del card._planned_activities

        return _bulk(Activity, rows())
