"""Every state change of procedure cards: templates, instantiation per LSR, the activity workflow."""

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from networks.events import figures_changed
from networks.models import MemberRole, Membership, Network, Tier
from stakeholders.models import ContactPerson, InstitutionKind, Organisation, StakeholderType, User
from stakeholders.recipients import representatives

from .. import notifications
from ..models import (
    CLOSED_ACTIVITY,
    Activity,
    ActivityStatus,
    ActivityTemplate,
    Card,
    CardStatus,
    CardTemplate,
    Evidence,
    EvidenceKind,
)

CARDS_FILE = Path(__file__).resolve().parents[1] / "data" / "procedure_cards.yaml"
MAIN_NODE_CARDS = range(1, 6)
TYPE_B_CARDS = range(6, 11)
TYPE_C_CARDS = range(11, 14)


class ConflictError(ValidationError):
    """Someone else changed the record since the user loaded it."""


# --- templates -------------------------------------------------------------------------------


@transaction.atomic
def card_templates_load(*, path: Path = CARDS_FILE) -> int:
    """Load the 13 default templates; idempotent (a template whose content is unchanged stays)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = 0
    for card in data["cards"]:
        current = CardTemplate.objects.filter(number=card["number"], is_current=True).first()
        texts = [a.strip() for a in card["activities"]]
        if (
            current
            and current.title == card["title"]
            and current.institution == card["institution"]
            and [a.text for a in current.activities.all()] == texts
        ):
            continue
        card_template_new_version(
            number=card["number"],
            title=card["title"],
            institution=card["institution"],
            audience=card["audience"],
            activities=texts,
        )
        created += 1
    return created


@transaction.atomic
def card_template_new_version(
    *, number: int, title: str, institution: str, audience: str, activities: list[str]
) -> CardTemplate:
    """Editing a template makes a new version; running cards keep theirs."""
    if not activities:
        raise ValidationError(_("A procedure card needs at least one activity."))
    previous = (
        CardTemplate.objects.select_for_update().filter(number=number).order_by("-version").first()
    )
    CardTemplate.objects.filter(number=number, is_current=True).update(is_current=False)
    template = CardTemplate.objects.create(
        number=number,
        version=(previous.version + 1) if previous else 1,
        title=title,
        institution=institution,
        audience=audience,
        is_current=True,
    )
    ActivityTemplate.objects.bulk_create(
        [
            ActivityTemplate(card_template=template, position=i, text=text)
            for i, text in enumerate(activities, 1)
        ]
    )
    return template


def _current_templates(numbers: Iterable[int]) -> dict[int, CardTemplate]:
    templates = CardTemplate.objects.filter(
        number__in=list(numbers), is_current=True
    ).prefetch_related("activities")
    return {t.number: t for t in templates}


def _open_card(network: Network, template: CardTemplate, organisation: Organisation | None) -> Card:
    return _open_cards(network, [(template, organisation)])[0]


def _open_cards(network: Network, plans: list[tuple[CardTemplate, Organisation | None]]) -> list:
    """Open several cards with their activities in three queries (a membership change can bring
    hundreds of type C members at once: an import)."""
    if not plans:
        return []
    cards = bulk_create_with_history(
        [
            Card(
                network=network,
                template=template,
                number=template.number,
                title=template.title,
                organisation=organisation,
            )
            for template, organisation in plans
        ],
        Card,
    )
    Activity.objects.bulk_create(
        [
            Activity(card=card, position=a.position, text=a.text)
            for card, (template, _organisation) in zip(cards, plans, strict=True)
            for a in template.activities.all()
        ]
    )
    _tell_assigned(cards)
    return cards


def _tell_assigned(cards: list[Card]) -> None:
    """Tell the organisations' representatives of their new cards: one query finds which of the
    organisations have any (a bulk import's new organisations have none yet), so opening
    hundreds of cards costs no query per card."""
    organisation_ids = {card.organisation_id for card in cards if card.organisation_id}
    if not organisation_ids:
        return
    with_people = set(
        representatives(organisation_ids).values_list("organisation_id", flat=True).distinct()
    )
    for card in cards:
        if card.organisation_id in with_people:
            notifications.card_assigned(card)


# --- instantiation per LSR --------------------------------------------------------------------


def _active_memberships(network: Network) -> list[Membership]:
    return list(Membership.objects.filter(network=network).active().select_related("organisation"))


@transaction.atomic
def cards_sync(*, network: Network) -> None:
    """Bring an LSR's cards in line with its members (called on every membership change):
    cards 1-5 for the main node, 6-10 for the assigned type B institution (default: the OPS),
    11-13 for every active type C member; a type C member's open cards close as not applicable
    when it leaves."""
    if network.tier != Tier.LSR:
        return
    templates = _current_templates(range(1, 14))
    if len(templates) < 13:
        card_templates_load()
        templates = _current_templates(range(1, 14))
    active = _active_memberships(network)
    existing = list(Card.objects.filter(network=network))
    by_key = {(c.number, c.organisation_id): c for c in existing}
    main = next((m.organisation for m in active if m.role == MemberRole.MAIN_NODE), None)

    to_open: list[tuple[CardTemplate, Organisation | None]] = []
    # cards 1-5: one set per LSR, run by the main node (attached once there is one)
    for number in MAIN_NODE_CARDS:
        cards = [c for c in existing if c.number == number]
        if not cards:
            to_open.append((templates[number], main))
        elif main and cards[0].organisation_id is None:
            Card.objects.filter(pk=cards[0].pk).update(organisation=main)

    # cards 6-10: the assigned type B institution; by default the first OPS to join
    if not any(c.number in TYPE_B_CARDS for c in existing):
        ops = next(
            (
                m.organisation
                for m in active
                if m.organisation.stakeholder_type == StakeholderType.B
                and m.organisation.institution_kind == InstitutionKind.SOCIAL_ASSISTANCE
            ),
            None,
        )
        if ops:
            for number in TYPE_B_CARDS:
                to_open.append((templates[number], ops))

    # cards 11-13: each active type C member
    active_c = {
        m.organisation_id: m.organisation
        for m in active
        if m.organisation.stakeholder_type == StakeholderType.C
    }
    for org_id, organisation in active_c.items():
        for number in TYPE_C_CARDS:
            if (number, org_id) not in by_key:
                to_open.append((templates[number], organisation))
            elif by_key[(number, org_id)].status == CardStatus.NOT_APPLICABLE:
                _card_reactivate(by_key[(number, org_id)])
    _open_cards(network, to_open)
    for card in existing:
        if (
            card.number in TYPE_C_CARDS
            and card.organisation_id not in active_c
            and card.status != CardStatus.NOT_APPLICABLE
            and card.status != CardStatus.DONE
        ):
            _card_close_not_applicable(card, _("The institution left the LSR."))


@transaction.atomic
def cards_assign_type_b(*, network: Network, organisation: Organisation) -> list[Card]:
    """Open cards 6-10 for a type B member the animator assigns."""
    if organisation.stakeholder_type != StakeholderType.B:
        raise ValidationError(
            {"organisation": _("Cards 6–10 are run by type B institutions (OPS / NGO).")}
        )
    if not Membership.objects.filter(network=network, organisation=organisation).active().exists():
        raise ValidationError(
            {"organisation": _("The institution must be an active member of the LSR.")}
        )
    templates = _current_templates(TYPE_B_CARDS)
    cards = []
    for number in TYPE_B_CARDS:
        if not Card.objects.filter(
            network=network, number=number, organisation=organisation
        ).exists():
            cards.append(_open_card(network, templates[number], organisation))
    figures_changed(network.pk)
    return cards


def _card_close_not_applicable(card: Card, reason: str) -> None:
    for activity in card.activities.exclude(status__in=CLOSED_ACTIVITY):
        activity.status = ActivityStatus.NOT_APPLICABLE
        activity.not_applicable_reason = reason
        activity.version += 1
        activity._change_reason = reason
        activity.save()
    card.status = CardStatus.NOT_APPLICABLE
    card._change_reason = reason
    card.save(update_fields=["status"])


def _card_reactivate(card: Card) -> None:
    reason = _("The institution re-joined the LSR.")
    for activity in card.activities.filter(status=ActivityStatus.NOT_APPLICABLE):
        activity.status = ActivityStatus.TODO
        activity.not_applicable_reason = ""
        activity.version += 1
        activity._change_reason = reason
        activity.save()
    _card_refresh(card)


# --- the card MLW fields ----------------------------------------------------------------------


@transaction.atomic
def card_update_fields(
    *,
    card: Card,
    responsible: ContactPerson | None,
    cooperating: Iterable[Organisation],
    informed: Iterable[Organisation],
) -> Card:
    """Responsible person, cooperating and informed institutions, chosen among the LSR's members."""
    member_ids = set(
        Membership.objects.filter(network=card.network)
        .active()
        .values_list("organisation_id", flat=True)
    )
    errors = {}
    if responsible is not None and responsible.organisation_id not in member_ids:
        errors["responsible"] = _(
            "The responsible person must work for a member institution of this LSR."
        )
    outside = [o.name for o in list(cooperating) + list(informed) if o.pk not in member_ids]
    if outside:
        errors["cooperating"] = _(
            "Only members of the LSR can be chosen; not members: %(names)s."
        ) % {"names": ", ".join(outside)}
    if errors:
        raise ValidationError(errors)
    card.responsible = responsible
    card.save(update_fields=["responsible"])
    card.cooperating.set(cooperating)
    card.informed.set(informed)
    return card


# --- the activity workflow --------------------------------------------------------------------

TRANSITIONS: dict[str, set[str]] = {
    ActivityStatus.TODO: {
        ActivityStatus.IN_PROGRESS,
        ActivityStatus.DONE,
        ActivityStatus.NOT_APPLICABLE,
    },
    ActivityStatus.IN_PROGRESS: {
        ActivityStatus.TODO,
        ActivityStatus.DONE,
        ActivityStatus.NOT_APPLICABLE,
    },
    ActivityStatus.DONE: {ActivityStatus.IN_PROGRESS},  # reopening
    ActivityStatus.NOT_APPLICABLE: {ActivityStatus.TODO},  # reopening
}
REOPENING = {
    (ActivityStatus.DONE, ActivityStatus.IN_PROGRESS),
    (ActivityStatus.NOT_APPLICABLE, ActivityStatus.TODO),
}


def _status_label(value: str) -> str:
    return str(ActivityStatus(value).label)


def derive_card_status(statuses: list[str], completed: bool) -> str:
    if statuses and all(s == ActivityStatus.NOT_APPLICABLE for s in statuses):
        return CardStatus.NOT_APPLICABLE
    if completed:
        return CardStatus.DONE
    if any(s != ActivityStatus.TODO for s in statuses):
        return CardStatus.IN_PROGRESS
    return CardStatus.TODO


def _card_refresh(card: Card) -> Card:
    statuses = list(card.activities.values_list("status", flat=True))
    completed = card.completed_at is not None and all(s in CLOSED_ACTIVITY for s in statuses)
    if card.completed_at is not None and not completed:
        card.completed_at = None
    card.status = derive_card_status(statuses, completed)
    card.save(update_fields=["status", "completed_at"])
    return card


@transaction.atomic
def activity_transition(
    *,
    activity: Activity,
    to: str,
    expected_version: int,
    reason: str = "",
    done_date: date | None = None,
    user: User | None = None,
) -> Activity:
    """Move an activity to another status, checking the transition and concurrent edits."""
    current = Activity.objects.select_for_update().select_related("card").get(pk=activity.pk)
    if current.version != expected_version:
        raise ConflictError(
            _(
                "Someone else changed this activity in the meantime. Reload the page to see the current state."
            )
        )
    if to not in TRANSITIONS.get(current.status, set()):
        raise ValidationError(
            _("An activity cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": _status_label(current.status),
                "to": _status_label(to) if to in ActivityStatus.values else to,
            }
        )
    if to == ActivityStatus.NOT_APPLICABLE and not reason.strip():
        raise ValidationError({"reason": _("Say why the activity does not apply.")})
    if to == ActivityStatus.DONE:
        done_date = done_date or timezone.localdate()
        if done_date > timezone.localdate():
            raise ValidationError({"done_date": _("The done date cannot be in the future.")})
    reopening = (current.status, to) in REOPENING
    current.status = to
    current.done_date = done_date if to == ActivityStatus.DONE else None
    current.not_applicable_reason = reason.strip() if to == ActivityStatus.NOT_APPLICABLE else ""
    current.version += 1
    current._change_reason = (
        _("Reopened: %(reason)s") % {"reason": reason.strip() or "—"}
        if reopening
        else (reason.strip() or "")
    )
    current.save()
    _card_refresh(current.card)
    figures_changed(current.card.network_id)
    return current


@transaction.atomic
def activity_mark_done(
    *,
    activity: Activity,
    expected_version: int,
    done_date: date | None = None,
    evidence_kind: str = "",
    upload: File | None = None,
    user: User | None = None,
) -> Activity:
    """Mark an activity done and attach its evidence (optional) in one transaction: both or
    neither, so a refused file never leaves a done activity without the evidence it was given."""
    from ..files import validate_document

    if upload is not None:
        validate_document(upload)  # checked before anything is written
        if evidence_kind not in EvidenceKind.values:
            raise ValidationError({"evidence_kind": _("Choose the kind of the attached evidence.")})
    done = activity_transition(
        activity=activity,
        to=ActivityStatus.DONE,
        expected_version=expected_version,
        done_date=done_date,
        user=user,
    )
    if upload is not None:
        evidence_add(activity=done, kind=evidence_kind, upload=upload, user=user)
    return done


@transaction.atomic
def activity_update(
    *, activity: Activity, expected_version: int, planned_date: date | None, notes: str
) -> Activity:
    """Edit the planning fields; refused when someone else saved the activity meanwhile."""
    updated = Activity.objects.filter(pk=activity.pk, version=expected_version).update(
        planned_date=planned_date, notes=notes, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ConflictError(
            _(
                "Someone else changed this activity in the meantime. Your text is kept below; reload to compare."
            )
        )
    fresh = Activity.objects.get(pk=activity.pk)
    fresh._change_reason = _("Planning updated")
    fresh.save()  # one history record with the new values
    figures_changed(fresh.card.network_id)
    return fresh


@transaction.atomic
def card_complete(*, card: Card) -> Card:
    card = Card.objects.select_for_update().get(pk=card.pk)
    open_positions = list(
        card.activities.exclude(status__in=CLOSED_ACTIVITY).values_list("position", flat=True)
    )
    if open_positions:
        raise ValidationError(
            _(
                "The card cannot be completed: activities %(positions)s are still open. "
                "Mark each one done or not applicable (with a reason)."
            )
            % {"positions": ", ".join(str(p) for p in open_positions)}
        )
    card.completed_at = timezone.now()
    card.status = derive_card_status(list(card.activities.values_list("status", flat=True)), True)
    card._change_reason = _("Card completed")
    card.save(update_fields=["completed_at", "status"])
    figures_changed(card.network_id)
    return card


@transaction.atomic
def card_reopen(*, card: Card, reason: str) -> Card:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the card is reopened.")})
    card = Card.objects.select_for_update().get(pk=card.pk)
    if card.completed_at is None:
        raise ValidationError(_("The card is not completed."))
    card.completed_at = None
    card.status = derive_card_status(list(card.activities.values_list("status", flat=True)), False)
    card._change_reason = _("Reopened: %(reason)s") % {"reason": reason.strip()}
    card.save(update_fields=["completed_at", "status"])
    figures_changed(card.network_id)
    return card


@transaction.atomic
def evidence_add(
    *, activity: Activity, kind: str, upload: File, user: User | None = None
) -> Evidence:
    """Attach a checked file (type and size checked by procedures.files) to an activity."""
    from ..files import validate_document
    from ..models import Evidence

    validate_document(upload)
    assert upload.name  # validate_document refuses a file without a name
    evidence = Evidence(
        activity=activity,
        kind=kind,
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=user,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    return evidence
