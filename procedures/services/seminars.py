"""Participants of the animation-information seminar: every write."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from networks.selectors import require

from ..models import Meeting, SeminarParticipant


def _check_seminar(user: Any, meeting: Meeting) -> None:
    require(user, "run_meetings", meeting.network)
    if not meeting.is_seminar:
        raise Http404
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting cannot be edited."))


@transaction.atomic
def seminar_participant_add(
    *, user: Any, meeting: Meeting, participant: SeminarParticipant
) -> SeminarParticipant:
    _check_seminar(user, meeting)
    participant.meeting = meeting
    participant.name = (participant.name or "").strip()
    participant.organisation = (participant.organisation or "").strip()
    if participant.candidate is not None:
        if participant.candidate.network_id != meeting.network_id:
            raise ValidationError({"candidate": _("Choose a potential stakeholder of this LSR.")})
        participant.organisation = participant.organisation or participant.candidate.name
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def seminar_participant_remove(*, user: Any, participant: SeminarParticipant) -> None:
    _check_seminar(user, participant.meeting)
    participant.delete()
