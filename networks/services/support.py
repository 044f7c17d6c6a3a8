"""Support to LSRs: an LSR asks its RSR, the ROWR at ROPS answers; trainings and consultations
for KIS teams. Every state change; the reads and who may do what are in
``networks.selectors_support``."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders.models import ContactPerson

from .. import notifications
from ..models import Network, SupportEvent, SupportRequest, SupportStatus, Tier
from ..selectors import require
from ..selectors_support import eligible_participants

TRANSITIONS: dict[str, set[str]] = {
    SupportStatus.SUBMITTED: {SupportStatus.ACCEPTED, SupportStatus.DECLINED},
    SupportStatus.ACCEPTED: {SupportStatus.DONE, SupportStatus.DECLINED},
    SupportStatus.DONE: set(),
    SupportStatus.DECLINED: set(),
}


def _check_transition(request: SupportRequest, status: str) -> None:
    if status not in TRANSITIONS[request.status]:
        raise ValidationError(
            _("The request cannot go from “%(from)s” to “%(to)s”.")
            % {"from": request.get_status_display(), "to": SupportStatus(status).label}
        )


@transaction.atomic
def support_request_submit(
    *, user: Any, lsr: Network, kind: str, subject: str, description: str
) -> SupportRequest:
    """The animator asks the LSR's RSR for support; the RSR's ROPS coordinators are told."""
    require(user, "request_support", lsr)
    if lsr.tier != Tier.LSR:
        raise Http404
    if lsr.parent_id is None:
        raise ValidationError(_("This LSR is not a member of an RSR yet."))
    request = SupportRequest(
        lsr=lsr,
        rsr_id=lsr.parent_id,
        kind=kind,
        subject=(subject or "").strip(),
        description=(description or "").strip(),
        requested_by=user,
    )
    request.full_clean()
    request.save()
    notifications.support_requested(request)
    return request


def _locked(request: SupportRequest, user: Any) -> SupportRequest:
    require(user, "give_support", request.rsr)
    return (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("lsr", "rsr")
        .get(pk=request.pk)
    )


@transaction.atomic
def support_request_accept(*, user: Any, request: SupportRequest) -> SupportRequest:
    request = _locked(request, user)
    _check_transition(request, SupportStatus.ACCEPTED)
    request.status = SupportStatus.ACCEPTED
    request.handled_by = user
    request.save(update_fields=["status", "handled_by"])
    notifications.support_answered(request)
    return request


@transaction.atomic
def support_request_decline(*, user: Any, request: SupportRequest, reason: str) -> SupportRequest:
    request = _locked(request, user)
    _check_transition(request, SupportStatus.DECLINED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decline_reason": _("Say why the request is declined.")})
    request.status = SupportStatus.DECLINED
    request.decline_reason = reason
    request.handled_by = user
    request.save(update_fields=["status", "decline_reason", "handled_by"])
    notifications.support_answered(request)
    return request


@transaction.atomic
def support_request_done(
    *, user: Any, request: SupportRequest, helpers: str, given_on: date | None, outcome: str
) -> SupportRequest:
    """Record the support given: who helped, when, with what outcome."""
    request = _locked(request, user)
    _check_transition(request, SupportStatus.DONE)
    errors = {}
    outcome = (outcome or "").strip()
    if not outcome:
        errors["outcome"] = _("Describe the outcome of the support.")
    if given_on is None:
        errors["given_on"] = _("Give the date the support was given.")
    elif given_on > timezone.localdate():
        errors["given_on"] = _("The date of the support cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    request.status = SupportStatus.DONE
    request.helpers = (helpers or "").strip()
    request.given_on = given_on
    request.outcome = outcome
    request.handled_by = user
    request.save(update_fields=["status", "helpers", "given_on", "outcome", "handled_by"])
    notifications.support_answered(request)
    return request


@transaction.atomic
def support_event_save(
    *,
    user: Any,
    rsr: Network,
    event: SupportEvent,
    participants: Iterable[ContactPerson],
    requests: Iterable[SupportRequest] = (),
) -> SupportEvent:
    """Record a training or consultation for KIS teams: participants among the people of the
    region's LSRs, optionally the support requests it answers (of this RSR)."""
    require(user, "give_support", rsr)
    if rsr.tier != Tier.RSR or (event.pk and event.rsr_id != rsr.pk):
        raise Http404
    participants = list(participants)
    allowed = set(eligible_participants(rsr=rsr).values_list("pk", flat=True))
    outside = [p for p in participants if p.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                "participants": _(
                    "Participants come from the region's LSRs; not allowed: %(names)s."
                )
                % {"names": ", ".join(p.name for p in outside)}
            }
        )
    requests = list(requests)
    if any(r.rsr_id != rsr.pk for r in requests):
        raise ValidationError({"requests": _("Choose support requests of this RSR.")})
    event.rsr = rsr
    event.full_clean()
    event.save()
    event.participants.set(participants)
    event.requests.set(requests)
    return event
