"""Demo support to LSRs (issue 12 §4, §7): a request of the Żmudź LSR answered by the ROWR at
ROPS Lublin, one still waiting in the queue, a training for KIS teams, and potential
stakeholders of Żmudź. Written through the services; loaded once (idempotent)."""

from datetime import timedelta

from django.utils import timezone

from .datafiles import load_yaml

DATA = load_yaml("demo_support.yaml")


def load_demo_support(*, users) -> bool:
    from networks.models import Network, PotentialStakeholder, SupportEvent, SupportRequest, Tier
    from networks.selectors_support import eligible_participants
    from networks.services import candidates, support

    gminas = {entry["gmina"] for entry in DATA["requests"]} | {
        entry["gmina"] for entry in DATA["candidates"]
    }
    lsrs = {n.gmina.code: n for n in Network.objects.filter(tier=Tier.LSR, gmina__code__in=gminas)}
    if SupportRequest.objects.filter(lsr__in=lsrs.values()).exists():
        return False
    animator, rops = users["animator"], users["rops"]
    today = timezone.localdate()
    answered = []
    for entry in DATA["requests"]:
        request = support.support_request_submit(
            user=users[entry.get("by", "animator")],
            lsr=lsrs[entry["gmina"]],
            kind=entry["kind"],
            subject=entry["subject"],
            description=entry["description"],
        )
        if done := entry.get("done"):
            support.support_request_accept(user=rops, request=request)
            request = support.support_request_done(
                user=rops,
                request=request,
                helpers=done["helpers"],
                given_on=today - timedelta(days=done["days_ago"]),
                outcome=done["outcome"],
            )
            answered.append(request)
    spec = DATA["event"]
    rsr = lsrs[spec["participants_of"]].parent
    participants = eligible_participants(rsr=rsr).filter(
        organisation__memberships__network=lsrs[spec["participants_of"]]
    )
    support.support_event_save(
        user=rops,
        rsr=rsr,
        event=SupportEvent(
            kind=spec["kind"],
            title=spec["title"],
            held_on=today - timedelta(days=spec["days_ago"]),
            place=spec["place"],
            trainers=spec["trainers"],
            notes=spec["notes"],
        ),
        participants=list(participants.distinct()[:3]),
        requests=answered,
    )
    for entry in DATA["candidates"]:
        candidate = candidates.candidate_add(
            user=animator,
            network=lsrs[entry["gmina"]],
            candidate=PotentialStakeholder(
                name=entry["name"],
                stakeholder_type=entry["type"],
                institution_kind=entry["kind"],
                sector=entry["sector"],
                contact_note=entry["contact_note"],
            ),
        )
        if entry["status"] != candidate.status:
            candidates.candidate_set_status(
                user=animator, candidate=candidate, status=entry["status"]
            )
    _seminar(lsrs[DATA["seminar"]["gmina"]], animator, today)
    return True


def _seminar(lsr, animator, today) -> None:
    """Card 1's information meeting: the seminar with the seed's agenda and its participants."""
    import datetime

    from procedures.models import Meeting, MeetingKind, SeminarParticipant
    from procedures.selectors.seminars import seminar_agenda_text
    from procedures.services.meetings import meeting_save
    from procedures.services.seminars import seminar_participant_add

    spec = DATA["seminar"]
    day = today - timedelta(days=spec["days_ago"])
    meeting = meeting_save(
        user=animator,
        network=lsr,
        meeting=Meeting(
            kind=MeetingKind.SEMINAR,
            held_at=timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(spec["hour"]))
            ),
            place=spec["place"],
            agenda=seminar_agenda_text(),
            minutes=spec["minutes"],
        ),
        attendees=[],
    )
    candidates = {c.name: c for c in lsr.potential_stakeholders.all()}
    for entry in spec["participants"]:
        seminar_participant_add(
            user=animator,
            meeting=meeting,
            participant=SeminarParticipant(
                name=entry["name"],
                organisation=entry.get("organisation", ""),
                role=entry["role"],
                candidate=candidates.get(entry.get("candidate", "")),
            ),
        )
