"""What the animator's home says to do next, per LSR: a constant number of queries whatever the
number of LSRs, activities or needs (one per kind of thing, grouped in Python)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from networks.models import Network
from networks.selectors import Condition, critical_conditions, network_list_for_user
from procedures.models import Activity, Meeting, MonitoringTerm, Need
from procedures.selectors.needs import with_status
from procedures.services.needs import NeedStatus

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from networks.selectors import ConditionFlags

DUE_SOON_DAYS = 14
SHOWN_PER_LIST = 8  # per LSR and list; the rest is counted and reached from the LSR's pages


@dataclass
class LsrNextSteps:
    """One LSR's to-do: what is missing, late, due, waiting; the next dates."""

    network: Network
    unmet: list[Condition]
    overdue: list[Activity] = field(default_factory=list)
    due_soon: list[Activity] = field(default_factory=list)
    waiting_answers: list[Need] = field(default_factory=list)
    waiting_acceptance: list[Need] = field(default_factory=list)
    next_meeting: datetime.datetime | None = None
    next_monitoring: datetime.date | None = None
    overdue_count: int = 0
    due_soon_count: int = 0

    @property
    def nothing_waits(self) -> bool:
        return not (
            self.unmet
            or self.overdue
            or self.due_soon
            or self.waiting_answers
            or self.waiting_acceptance
        )


def next_steps_for_user(*, user: Any) -> list[LsrNextSteps]:
    """Per LSR in the user's scope: unmet critical conditions (with their fix links), overdue
    activities and those due in the next 14 days (named by card and institution), needs waiting
    for answers, offers waiting for acceptance, the next meeting and monitoring term."""
    today = timezone.localdate()
    now = timezone.now()
    networks = list(
        network_list_for_user(user=user).annotate(
            next_meeting=Subquery(
                Meeting.objects.filter(
                    network=OuterRef("pk"), held_at__gte=now, cancelled_at__isnull=True
                )
                .order_by("held_at")
                .values("held_at")[:1]
            ),
            next_monitoring=Subquery(
                MonitoringTerm.objects.filter(network=OuterRef("pk"), due_date__gte=today)
                .order_by("due_date")
                .values("due_date")[:1]
            ),
        )
    )
    if not networks:
        return []
    steps = {
        n.pk: LsrNextSteps(
            network=n,
            unmet=[
                c
                for c in critical_conditions(cast("WithAnnotations[Network, ConditionFlags]", n))
                if not c.ok
            ],
            next_meeting=n.next_meeting,
            next_monitoring=n.next_monitoring,
        )
        for n in networks
    }
    activities = (
        Activity.objects.for_user(user)
        .open()
        .filter(
            card__network__in=list(steps),
            planned_date__isnull=False,
            planned_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("card__organisation")
        .order_by("planned_date", "card__number", "position")
    )
    for activity in activities:
        lsr = steps[activity.card.network_id]
        if activity.planned_date < today:
            lsr.overdue_count += 1
            if len(lsr.overdue) < SHOWN_PER_LIST:
                lsr.overdue.append(activity)
        else:
            lsr.due_soon_count += 1
            if len(lsr.due_soon) < SHOWN_PER_LIST:
                lsr.due_soon.append(activity)
    needs = with_status(
        Need.objects.for_user(user).filter(network__in=list(steps)).order_by("created_at", "pk")
    ).filter(status__in=[NeedStatus.OPEN, NeedStatus.MATCHED])
    for need in needs:
        lsr = steps[need.network_id]
        target = (
            lsr.waiting_acceptance if need.status == NeedStatus.MATCHED else lsr.waiting_answers
        )
        if len(target) < SHOWN_PER_LIST:
            target.append(need)
    return list(steps.values())
