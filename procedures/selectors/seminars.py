"""The animation-information seminar (card 1): its default agenda and its participants.

Participants need not be contact persons of members (residents, representatives of potential
stakeholders). Minimised as for interviews: names only for those who run the LSR's meetings
(``run_meetings``, inside the LSR's territory); everyone else sees how many came, by role."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import Count, QuerySet

from networks.models import PotentialStakeholder
from networks.selectors import may

from ..models import Meeting, SeminarParticipant, SeminarRole

SEMINAR_FILE = Path(__file__).resolve().parents[1] / "data" / "seminar.yaml"


@cache
def seminar_plan() -> dict[str, Any]:
    """The seed's seminar plan (aim, form, agenda), shipped with the app."""
    data: dict[str, Any] = yaml.safe_load(SEMINAR_FILE.read_text(encoding="utf-8"))
    return data


def seminar_agenda_text() -> str:
    plan = seminar_plan()
    lines = [f"{i}. {item}" for i, item in enumerate(plan["agenda"], start=1)]
    return "\n".join([f"{plan['title']} ({plan['form']})", *lines])


def sees_participant_names(user: Any, meeting: Meeting) -> bool:
    return may(user, "run_meetings", meeting.network)


def participants_of(meeting: Meeting) -> QuerySet[SeminarParticipant]:
    return meeting.seminar_participants.select_related("candidate").order_by("role", "name", "pk")


def participant_counts(meeting: Meeting) -> list[tuple[str, int]]:
    """How many came, by role (what everyone may see)."""
    rows = dict(
        meeting.seminar_participants.order_by()
        .values("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    return [(str(role.label), rows.get(role.value, 0)) for role in SeminarRole]


def seminar_candidates(meeting: Meeting) -> QuerySet[PotentialStakeholder]:
    """The LSR's potential stakeholders, to link a participant to the one they represent."""
    return PotentialStakeholder.objects.filter(network_id=meeting.network_id).order_by("name")


def seminar_context(user: Any, meeting: Meeting) -> dict[str, Any]:
    """What the meeting page shows of a seminar (nothing for an ordinary meeting)."""
    if not meeting.is_seminar:
        return {}
    sees_names = sees_participant_names(user, meeting)
    return {
        "seminar_aim": seminar_plan()["aim"],
        "participant_counts": participant_counts(meeting),
        "participants": list(participants_of(meeting)) if sees_names else None,
    }
