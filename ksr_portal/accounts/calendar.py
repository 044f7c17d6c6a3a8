"""A person's calendar feed: meetings, monitoring terms, activity deadlines and deficiency
deadlines in their scope, from 60 days back to a year ahead (Europe/Warsaw)."""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ksr_portal.core import ical
from ksr_portal.evaluations.models import Deficiency
from procedures.calendar import meeting_event
from procedures.models import Activity, Meeting, MonitoringTerm

PAST = timedelta(days=60)
AHEAD = timedelta(days=365)


def feed_events(user: Any, today: date | None = None) -> list:
    today = today or timezone.localdate()
    start, end = today - PAST, today + AHEAD
    start_dt = datetime.combine(start, datetime.min.time(), tzinfo=ical.WARSAW)
    end_dt = datetime.combine(end, datetime.min.time(), tzinfo=ical.WARSAW)
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
            ical.event(
                f"monitoring-{term.pk}",
                _("Monitoring term: %(network)s") % {"network": term.network.name},
                term.due_date,
                url=reverse("procedures:monitoring", args=[term.network_id]),
                description=term.scope,
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
            ical.event(
                f"activity-{activity.pk}",
                _("Card %(card)s, activity %(position)s: %(network)s")
                % {
                    "card": card.number,
                    "position": activity.position,
                    "network": card.network.name,
                },
                activity.planned_date,
                url=reverse("procedures:card_detail", args=[card.network_id, card.pk]),
                description=activity.text,
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
            ical.event(
                f"deficiency-{deficiency.pk}",
                _("Deficiency deadline: %(organisation)s")
                % {"organisation": deficiency.obliged.name},
                deficiency.deadline,
                url=reverse(
                    "evaluations:evaluation_detail", args=[evaluation.network_id, evaluation.pk]
                ),
                description=deficiency.text,
            )
        )
    return events


def feed_ics(user: Any) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        name = _("KSR Portal – %(name)s") % {"name": user.get_full_name() or user.username}
        return ical.to_ics(ical.calendar(name), feed_events(user))
