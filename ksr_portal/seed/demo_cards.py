"""Demo states of the Żmudź LSR's procedure cards: some done, some in progress, some overdue.
Applied once (when every activity of the LSR is still untouched); written through the services,
so the audit history shows them too."""

from datetime import date, timedelta

from django.utils import timezone

from networks.models import Network
from procedures.models import Activity, ActivityStatus, Card
from procedures.services import cards as services

# card number -> list of (position, final status, done date or planned offset in days from today)
DONE = "done"
PROGRESS = "in_progress"
NA = "not_applicable"


def _plan(spec_days: int) -> date:
    return timezone.localdate() + timedelta(days=spec_days)


MAIN_NODE_STATES = {
    1: [
        (1, DONE, date(2016, 2, 15)),
        (2, DONE, date(2016, 2, 29)),
        (3, DONE, date(2016, 3, 10)),
        (4, DONE, date(2016, 3, 24)),
    ],
    2: [
        (1, DONE, date(2016, 3, 31)),
        (2, DONE, date(2016, 4, 7)),
        (3, DONE, date(2016, 4, 14)),
        (4, DONE, date(2016, 4, 21)),
    ],
    3: [(1, DONE, date(2016, 5, 5)), (2, DONE, date(2016, 5, 12)), (3, DONE, date(2016, 5, 19))],
    4: [(1, DONE, date(2016, 6, 30)), (2, DONE, date(2016, 7, 7)), (3, PROGRESS, -20)],
    5: [(1, DONE, date(2017, 1, 31)), (2, PROGRESS, -5), (3, None, 30)],
}
TYPE_B_STATES = {
    6: [
        (1, DONE, date(2016, 4, 30)),
        (2, DONE, date(2016, 5, 15)),
        (3, DONE, date(2016, 5, 20)),
        (4, DONE, date(2016, 6, 1)),
    ],
    7: [(1, PROGRESS, 14), (2, DONE, date(2017, 3, 1)), (3, None, 45)],
    8: [(1, DONE, date(2017, 2, 10)), (2, PROGRESS, -10), (3, None, 20), (4, None, 60)],
    9: [(1, None, 15)],
}
TYPE_C_STATES = {
    11: [(1, DONE, date(2016, 6, 15)), (2, DONE, date(2016, 6, 15)), (3, DONE, date(2016, 6, 30))],
    12: [(1, DONE, date(2016, 6, 15)), (2, None, 10), (3, None, 10)],
    13: [(1, PROGRESS, -3)],
}


def _apply(card: Card, states) -> None:
    activities = {a.position: a for a in card.activities.all()}
    for position, status, when in states:
        activity = activities.get(position)
        if activity is None:
            continue
        if isinstance(when, int):
            activity = services.activity_update(
                activity=activity,
                expected_version=activity.version,
                planned_date=_plan(when),
                notes="",
            )
        if status == PROGRESS:
            activity = services.activity_transition(
                activity=activity, to=ActivityStatus.IN_PROGRESS, expected_version=activity.version
            )
        elif status == DONE:
            activity = services.activity_transition(
                activity=activity,
                to=ActivityStatus.DONE,
                expected_version=activity.version,
                done_date=when,
            )
        elif status == NA:
            services.activity_transition(
                activity=activity,
                to=ActivityStatus.NOT_APPLICABLE,
                expected_version=activity.version,
                reason=when,
            )
    card.refresh_from_db()
    if all(a.status in (DONE, NA) for a in card.activities.all()):
        services.card_complete(card=card)


def load_demo_cards(network: Network, *, partner_organisation_id: int | None) -> bool:
    """Returns True when the states were applied (False: already there)."""
    if Activity.objects.filter(card__network=network).exclude(status=ActivityStatus.TODO).exists():
        return False
    cards = list(Card.objects.filter(network=network).select_related("organisation"))
    for card in cards:
        if card.number in MAIN_NODE_STATES:
            _apply(card, MAIN_NODE_STATES[card.number])
        elif card.number in TYPE_B_STATES:
            _apply(card, TYPE_B_STATES[card.number])
        elif card.number in TYPE_C_STATES:
            states = TYPE_C_STATES[card.number]
            if card.organisation_id != partner_organisation_id and card.number == 12:
                states = [
                    (1, DONE, date(2016, 6, 15)),
                    (2, DONE, date(2016, 6, 20)),
                    (3, DONE, date(2016, 6, 30)),
                ]
            _apply(card, states)
    return True


def load_demo_needs(network: Network, *, users) -> bool:
    """Two needs of the KIS: one declined with a reason by the school, one open for the partner."""
    from networks.models import MemberRole
    from procedures.models import Need, NeedKind, ResponseKind
    from procedures.services.needs import need_post, need_respond
    from stakeholders.models import Organisation

    if Need.objects.filter(network=network).exists():
        return False
    kis = network.memberships.active().get(role=MemberRole.MAIN_NODE).organisation
    members = {
        m.organisation.name: m.organisation
        for m in network.memberships.active().select_related("organisation")
    }
    school = members["Szkoła Podstawowa w Żmudzi"]
    partner_org = Organisation.objects.get(pk=users["partner"].organisation_id)
    declined = need_post(
        network=network,
        posted_by=kis,
        need=Need(
            kind=NeedKind.PERSONNEL,
            description="Instruktor zajęć plastycznych na 4 godziny tygodniowo dla uczestników KIS.",
            needed_when="luty–czerwiec 2027, wtorki",
            for_classes="warsztaty rękodzieła",
        ),
        addressees=[school],
        addressed_to_all=False,
    )
    need_respond(
        need=declined,
        organisation=school,
        kind=ResponseKind.DECLINE,
        text="W tym semestrze nie mamy wolnego nauczyciela plastyki; wrócimy do tematu we wrześniu.",
        user=users["admin"],
    )
    need_post(
        network=network,
        posted_by=kis,
        need=Need(
            kind=NeedKind.PREMISES,
            description="Sala na 20 osób na spotkanie informacyjne dla mieszkańców.",
            needed_when="marzec 2027, jedno popołudnie",
            for_classes="spotkanie informacyjne LSR",
        ),
        addressees=[partner_org, school],
        addressed_to_all=False,
    )
    return True
