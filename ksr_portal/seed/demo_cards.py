"""Demo states of the Żmudź LSR's procedure cards (some done, some in progress, some overdue) and
its needs, read from `data/demo_cards.yaml`. Applied once (when every activity of the LSR is still
untouched); written through the services, so the audit history shows them too."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ksr_portal.seed.datafiles import load_yaml
from networks.models import Network
from procedures.models import Activity, ActivityStatus, Card
from procedures.services import cards as services

DONE = "done"
PROGRESS = "in_progress"
NA = "not_applicable"

DATA = load_yaml("demo_cards.yaml")
# card number -> list of (position, final status, done date or planned offset in days from today)
MAIN_NODE_STATES = DATA["main_node"]
TYPE_B_STATES = DATA["type_b"]
TYPE_C_STATES = DATA["type_c"]
TYPE_C_OTHERS_STATES = DATA["type_c_others"]  # type C members but the demo partner's organisation


def _plan(spec_days: int) -> date:
    return timezone.localdate() + timedelta(days=spec_days)


def _apply(card: Card, states) -> None:
    activities = {a.position: a for a in card.activities.all()}
    for position, status, when in states:
        activity = activities.get(position)
        if activity is None:
            continue
        if status == DONE and isinstance(when, int):
            when = _plan(when)  # done `when` days ago
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
    _date_from_activities(card)


def _date_from_activities(card: Card) -> None:
    """The card was opened when its first activity was done and completed when its last one was
    (the services stamp both with the moment the demo is loaded)."""
    done = sorted(d for d in card.activities.values_list("done_date", flat=True) if d)
    if not done:
        return
    fields = {"opened_at": _moment(done[0], hour=9)}
    card.refresh_from_db()
    if card.completed_at is not None:
        fields["completed_at"] = _moment(done[-1], hour=16)
    Card.objects.filter(pk=card.pk).update(**fields)
    card.history.filter(completed_at__isnull=False).update(completed_at=fields.get("completed_at"))
    card.history.update(opened_at=fields["opened_at"])


def _moment(day: date, *, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


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
            if card.organisation_id != partner_organisation_id:
                states = TYPE_C_OTHERS_STATES.get(card.number, states)
            _apply(card, states)
    return True


def load_demo_needs(network: Network, *, users) -> bool:
    """The needs of the main node (the KIS), addressed to members or to a demo user's
    organisation, with their responses."""
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

    def addressee(entry: dict) -> Organisation:
        if "user" in entry:
            return Organisation.objects.get(pk=users[entry["user"]].organisation_id)
        return members[entry["member"]]

    for entry in DATA["needs"]:
        need = need_post(
            network=network,
            posted_by=kis,
            need=Need(
                kind=NeedKind(entry["kind"]),
                description=entry["description"],
                needed_when=entry["needed_when"],
                for_classes=entry["for_classes"],
            ),
            addressees=[addressee(a) for a in entry["addressees"]],
            addressed_to_all=False,
        )
        if response := entry.get("response"):
            need_respond(
                need=need,
                organisation=members[response["organisation"]],
                kind=ResponseKind(response["kind"]),
                text=response["text"],
                user=users[response["user"]],
            )
    return True
