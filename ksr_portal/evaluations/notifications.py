"""Deficiencies told through the one notification mechanism: when a partner is obliged, and
seven days before the deadline (the daily sweep, ``send_reminders``)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ksr_portal.core.notifications.models import Kind
from ksr_portal.core.notifications.services import notify, portal_language
from stakeholders.recipients import representatives

from .models import Deficiency

REMINDER = timedelta(days=7)


def _url(deficiency: Deficiency) -> str:
    evaluation = deficiency.evaluation
    return reverse("evaluations:evaluation_detail", args=[evaluation.network_id, evaluation.pk])


@portal_language
def deficiency_obliged(deficiency: Deficiency) -> None:
    notify(
        recipients=representatives([deficiency.obliged_id]),
        kind=Kind.DEFICIENCY_OBLIGED,
        title=_("A deficiency to remove by %(date)s") % {"date": f"{deficiency.deadline:%d.%m.%Y}"},
        body=deficiency.text,
        url=_url(deficiency),
        about=deficiency,
        event_key=(
            f"deficiency:{deficiency.pk}:{deficiency.obliged_id}:{deficiency.deadline.isoformat()}"
        ),
    )


@portal_language
def remind_deficiencies(today: date | None = None) -> int:
    """Open deficiencies whose deadline is seven days away (or closer, if the sweep missed a day)."""
    today = today or timezone.localdate()
    told = 0
    due = (
        Deficiency.objects.open()
        .filter(deadline__gte=today, deadline__lte=today + REMINDER)
        .select_related("evaluation")
    )
    for deficiency in due:
        told += len(
            notify(
                recipients=representatives([deficiency.obliged_id]),
                kind=Kind.DEFICIENCY_REMINDER,
                title=_("Reminder: a deficiency to remove by %(date)s")
                % {"date": f"{deficiency.deadline:%d.%m.%Y}"},
                body=deficiency.text,
                url=_url(deficiency),
                about=deficiency,
                event_key=f"deficiency-reminder:{deficiency.pk}:{deficiency.deadline.isoformat()}",
            )
        )
    return told
