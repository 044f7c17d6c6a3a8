"""Every state change of the needs of the KIS/OPS (cards 9, 10) and the partners' answers (card 13)."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ksr_portal.core.scoping import has_capability, scope_of
from networks.models import MemberRole, Membership, Network, Tier
from networks.selectors import require
from stakeholders.models import Organisation, StakeholderType, User

from .. import notifications
from ..models import Need, NeedEvent, NeedEventKind, NeedOutcome, NeedResponse, ResponseKind


class NeedStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("open")
    MATCHED = "matched", gettext_lazy("matched")
    DECLINED = "declined", gettext_lazy("declined by all")
    CLOSED = "closed", gettext_lazy("closed")
    MET = "met", gettext_lazy("offer accepted")


def status_from_counts(
    *, closed: bool, offers: int, declines: int, addressees: int, accepted: int = 0
) -> str:
    """The one rule of a need's status; ``selectors_needs.with_status`` is its SQL twin.

    closed (the poster closed it) > met (an offer accepted) > matched (at least one offer) >
    declined (every addressee declined) > open (no offer yet, and someone may still answer)."""
    if closed:
        return NeedStatus.CLOSED
    if accepted:
        return NeedStatus.MET
    if offers:
        return NeedStatus.MATCHED
    if addressees and declines >= addressees:
        return NeedStatus.DECLINED
    return NeedStatus.OPEN


def need_status(need: Need) -> str:
    """The status of a need; uses the annotations of ``with_status`` when present."""
    if hasattr(need, "status"):
        return need.status
    if all(hasattr(need, a) for a in ("offer_count", "decline_count", "addressee_count")):
        # present when annotated by with_status(), checked above
        offers, declines, addressees = need.offer_count, need.decline_count, need.addressee_count  # type: ignore[attr-defined]
        accepted = getattr(need, "accepted_count", 0)
    else:
        responses = list(need.responses.all())
        kinds = [r.kind for r in responses]
        offers = kinds.count(ResponseKind.OFFER)
        declines = kinds.count(ResponseKind.DECLINE)
        accepted = sum(1 for r in responses if r.accepted_at is not None)
        addressees = len(need.addressees.all())
    return status_from_counts(
        closed=need.closed_at is not None,
        offers=offers,
        declines=declines,
        addressees=addressees,
        accepted=accepted,
    )


def _event(
    need: Need,
    kind: str,
    *,
    user: User | None = None,
    organisation: Organisation | None = None,
    text: str = "",
) -> NeedEvent:
    return NeedEvent.objects.create(
        need=need,
        kind=kind,
        user=user if user is not None and user.pk else None,
        organisation=organisation,
        text=text,
    )


def _active_memberships(network: Network) -> models.QuerySet[Membership]:
    return Membership.objects.filter(network=network).active()


def can_post_needs(network: Network, organisation: Organisation | None) -> bool:
    """The LSR's main node (the KIS) or a type B member (the OPS) posts needs."""
    if organisation is None:
        return False
    return (
        _active_memberships(network)
        .filter(organisation=organisation)
        .filter(
            models.Q(role=MemberRole.MAIN_NODE)
            | models.Q(organisation__stakeholder_type=StakeholderType.B)
        )
        .exists()
    )


@transaction.atomic
def need_post(
    *,
    network: Network,
    posted_by: Organisation,
    need: Need,
    addressees: Iterable[Organisation],
    addressed_to_all: bool,
    user: User | None = None,
) -> Need:
    """Post a need of the KIS/OPS to chosen partners or to all active members of the LSR."""
    if not network.is_lsr:
        raise ValidationError(_("Needs are posted in a local network (LSR)."))
    if not can_post_needs(network, posted_by):
        raise ValidationError(
            {
                "posted_by": _(
                    "A need is posted by the LSR's main node (KIS) or a type B member (OPS) "
                    "that is an active member."
                )
            }
        )
    member_ids = set(
        _active_memberships(network)
        .exclude(organisation=posted_by)
        .values_list("organisation_id", flat=True)
    )
    if addressed_to_all:
        chosen_ids = member_ids
    else:
        chosen_ids = {org.pk for org in addressees}
        if posted_by.pk in chosen_ids:
            raise ValidationError(
                {"addressees": _("The posting organisation cannot address a need to itself.")}
            )
        if chosen_ids - member_ids:
            raise ValidationError(
                {"addressees": _("A need can be addressed only to active members of the LSR.")}
            )
    if not chosen_ids:
        raise ValidationError(
            {"addressees": _("Choose at least one addressee, or address the need to all members.")}
        )
    need.network = network
    need.posted_by = posted_by
    need.addressed_to_all = addressed_to_all
    need.closed_at = None
    need.full_clean()
    need.save()
    need.addressees.set(sorted(chosen_ids))
    _event(need, NeedEventKind.POSTED, user=user, organisation=posted_by)
    notifications.need_addressed(need)
    return need


def _already_answered(organisation: Organisation) -> ValidationError:
    return ValidationError(
        _(
            "%(name)s has already answered this need. One answer per partner: "
            "ask the animator if it has to change."
        )
        % {"name": organisation.name},
        code="already_answered",
    )


@transaction.atomic
def need_respond(
    *, need: Need, organisation: Organisation | None, kind: str, text: str, user: User
) -> NeedResponse:
    """A partner offers a resource or declines with a reason (card 13, activities 2–3)."""
    locked = Need.objects.select_for_update().get(pk=need.pk)
    if locked.closed_at is not None:
        raise ValidationError(_("This need is closed; it no longer takes answers."), code="closed")
    if _accepted(locked):
        raise _already_met()
    if organisation is None or not locked.addressees.filter(pk=organisation.pk).exists():
        raise ValidationError(
            _("This need is not addressed to your organisation."), code="not_addressee"
        )
    if NeedResponse.objects.filter(need=locked, organisation=organisation).exists():
        raise _already_answered(organisation)
    if kind not in ResponseKind.values:
        raise ValidationError(
            {"kind": _("Choose whether you offer a resource or cannot fulfil the need.")}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            {
                "text": _("Give the reason why you cannot fulfil the need.")
                if kind == ResponseKind.DECLINE
                else _("Describe the resource you offer: what, when and on what terms.")
            }
        )
    try:
        with transaction.atomic():
            response = NeedResponse.objects.create(
                need=locked, organisation=organisation, kind=kind, text=text, responded_by=user
            )
    except IntegrityError:
        raise _already_answered(organisation) from None
    _event(
        locked,
        NeedEventKind.OFFERED if kind == ResponseKind.OFFER else NeedEventKind.DECLINED,
        user=user,
        organisation=organisation,
        text=text,
    )
    notifications.need_answered(response)
    return response


def _accepted(need: Need) -> bool:
    return NeedResponse.objects.filter(need=need, accepted_at__isnull=False).exists()


def _already_met() -> ValidationError:
    return ValidationError(
        _("An offer has already been accepted: the need is met and takes no more answers."),
        code="met",
    )


def _lock_open(need: Need) -> Need:
    # lock the need row only (the network's parents are nullable outer joins)
    locked = (
        Need.objects.select_for_update(of=("self",))
        .select_related("network__parent__parent")
        .get(pk=need.pk)
    )
    if locked.closed_at is not None:
        raise ValidationError(_("This need is closed."), code="closed")
    return locked


@transaction.atomic
def need_accept_offer(*, need: Need, response: NeedResponse, user: User) -> NeedResponse:
    """The animator accepts an offer (local, regional or national): the need is met and the
    offering organisation is told."""
    require(user, "post_needs", need.network)
    locked = _lock_open(need)
    if response.need_id != locked.pk or response.kind != ResponseKind.OFFER:
        raise ValidationError(_("Choose one of the offers made for this need."), code="no_offer")
    if _accepted(locked):
        raise ValidationError(_("An offer of this need has already been accepted."), code="met")
    response.accepted_at = timezone.now()
    response.save(update_fields=["accepted_at"])
    _event(
        locked,
        NeedEventKind.ACCEPTED,
        user=user,
        organisation=response.organisation,
        text=response.text,
    )
    notifications.need_offer_accepted(response)
    return response


@transaction.atomic
def need_readdress(*, need: Need, addressees: Iterable[Organisation], user: User) -> list[int]:
    """Address a need no partner could meet to more active members of the LSR."""
    require(user, "post_needs", need.network)
    locked = _lock_open(need)
    if _accepted(locked):
        raise _already_met()
    chosen_ids = {org.pk for org in addressees}
    if not chosen_ids:
        raise ValidationError({"addressees": _("Choose at least one more partner.")})
    member_ids = set(
        _active_memberships(locked.network)
        .exclude(organisation=locked.posted_by_id)
        .values_list("organisation_id", flat=True)
    )
    if chosen_ids - member_ids:
        raise ValidationError(
            {"addressees": _("A need can be addressed only to active members of the LSR.")}
        )
    already = set(locked.addressees.values_list("pk", flat=True)) & chosen_ids
    if already:
        raise ValidationError(
            {"addressees": _("Choose partners the need has not been addressed to yet.")}
        )
    new_ids = sorted(chosen_ids)
    locked.addressees.add(*new_ids)
    names = Organisation.objects.filter(pk__in=new_ids).order_by("name")
    _event(
        locked,
        NeedEventKind.READDRESSED,
        user=user,
        text=", ".join(org.name for org in names),
    )
    notifications.need_addressed(locked, organisation_ids=new_ids)
    return new_ids


@transaction.atomic
def need_close(*, need: Need, outcome: str, outcome_text: str, user: User | None = None) -> Need:
    """Close a need with its outcome: it stays on the record but takes no more answers."""
    locked = Need.objects.select_for_update().get(pk=need.pk)
    if locked.closed_at is not None:
        raise ValidationError(_("This need is already closed."), code="closed")
    errors = {}
    if outcome not in NeedOutcome.values:
        errors["outcome"] = _("Choose whether the need was met, partly met or not met.")
    outcome_text = (outcome_text or "").strip()
    if not outcome_text:
        errors["outcome_text"] = _("Say in a sentence what came of the need.")
    if errors:
        raise ValidationError(errors)
    locked.closed_at = timezone.now()
    locked.outcome = outcome
    locked.outcome_text = outcome_text
    locked.save(update_fields=["closed_at", "outcome", "outcome_text"])
    _event(
        locked,
        NeedEventKind.CLOSED,
        user=user,
        text=f"{locked.get_outcome_display()}: {outcome_text}",
    )
    need.closed_at, need.outcome, need.outcome_text = locked.closed_at, outcome, outcome_text
    return locked


# --- escalation: LSR -> RSR -> KSR (issue 12 §5) -------------------------------------------------


def escalation_refusal(need: Need, *, to: str, today: date | None = None) -> str | None:
    """Why the need cannot be escalated to the tier ``to`` (None: it can).

    Only an unmet need escalates: not closed, no offer, and — to the RSR — every addressee
    declined or no offer came by its deadline; to the KSR, once the RSR has had it."""
    if need.closed_at is not None:
        return _("A closed need is not escalated.")
    responses = list(need.responses.all())
    if any(r.kind == ResponseKind.OFFER for r in responses):
        return _(
            "Only unmet needs are escalated: this need has an offer. Accept it, or close the "
            "need if the offer does not fit."
        )
    rsr = need.network.parent
    if to == Tier.RSR:
        if need.escalated_at is not None:
            return _("This need has already been escalated to the RSR.")
        if rsr is None or rsr.tier != Tier.RSR:
            return _("This LSR is not a member of an RSR: its needs cannot be escalated.")
        addressees = len(need.addressees.all())
        declines = sum(1 for r in responses if r.kind == ResponseKind.DECLINE)
        all_declined = bool(addressees) and declines >= addressees
        overdue = need.answer_by is not None and need.answer_by < (today or timezone.localdate())
        if not (all_declined or overdue):
            return _(
                "A need is escalated when every addressed partner has declined it, or when no "
                "offer came by the day answers were awaited."
            )
        return None
    if need.escalated_at is None:
        return _("A need goes to the KSR after its RSR: escalate it to the RSR first.")
    if need.escalated_to_ksr_at is not None:
        return _("This need has already been escalated to the KSR.")
    if rsr is None or rsr.parent is None or rsr.parent.tier != Tier.KSR:
        return _("This RSR is not a member of the KSR: the need cannot go further.")
    return None


def _lock_for_escalation(need: Need) -> Need:
    locked = _lock_open(need)
    # the refusal rule reads the addressees and answers: fresh, after the lock
    return (
        Need.objects.select_related("network__parent__parent")
        .prefetch_related("addressees", "responses")
        .get(pk=locked.pk)
    )


@transaction.atomic
def need_escalate(*, need: Need, user: User, today: date | None = None) -> Need:
    """The animator hands a need its LSR cannot meet to the LSR's RSR."""
    require(user, "post_needs", need.network)
    locked = _lock_for_escalation(need)
    refusal = escalation_refusal(locked, to=Tier.RSR, today=today)
    if refusal:
        raise ValidationError(refusal, code="not_escalated")
    locked.escalated_at = timezone.now()
    locked.save(update_fields=["escalated_at"])
    rsr = locked.network.parent
    assert rsr is not None  # escalation_refusal checked it
    _event(locked, NeedEventKind.ESCALATED_RSR, user=user, text=rsr.name)
    notifications.need_escalated(locked, rsr)
    return locked


@transaction.atomic
def need_escalate_to_ksr(*, need: Need, user: User) -> Need:
    """The ROPS coordinator hands an escalated need the region cannot meet to the KSR."""
    rsr = need.network.parent
    if rsr is None:
        raise ValidationError(
            _("This LSR is not a member of an RSR: its needs cannot be escalated.")
        )
    require(user, "escalate_needs", rsr)
    locked = _lock_for_escalation(need)
    refusal = escalation_refusal(locked, to=Tier.KSR)
    if refusal:
        raise ValidationError(refusal, code="not_escalated")
    locked.escalated_to_ksr_at = timezone.now()
    locked.save(update_fields=["escalated_to_ksr_at"])
    ksr = rsr.parent
    assert ksr is not None
    _event(locked, NeedEventKind.ESCALATED_KSR, user=user, text=ksr.name)
    notifications.need_escalated(locked, ksr)
    return locked


def tier_network_of(need: Need, tier: str) -> Network | None:
    """The RSR or the KSR the need reaches when escalated to ``tier``."""
    rsr = need.network.parent
    if tier == Tier.RSR:
        return rsr
    return rsr.parent if rsr is not None else None


def offer_candidates(need: Need, network: Network) -> models.QuerySet[Organisation]:
    """Who may offer at the RSR (its supra-local members and the members of the region's other
    LSRs) or at the KSR (also the national members), minus those that have answered already."""
    rsr = need.network.parent
    networks = models.Q(network=rsr) | models.Q(network__parent=rsr, network__tier=Tier.LSR)
    if network.tier == Tier.KSR:
        networks |= models.Q(network=network)
    ids = (
        Membership.objects.active()
        .filter(networks)
        .exclude(network=need.network)
        .values("organisation_id")
    )
    return (
        Organisation.objects.filter(pk__in=ids)
        .exclude(pk__in=NeedResponse.objects.filter(need=need).values("organisation_id"))
        .exclude(pk=need.posted_by_id)
        .order_by("name")
    )


def may_offer_for_others(user: User, network: Network) -> bool:
    """The ROPS coordinator (in the RSR) or the KSR coordinator records an offer on behalf of
    an organisation of the tier."""
    return has_capability(user, "escalate_needs") and scope_of(user).covers(network.teryt_code)


@transaction.atomic
def need_offer(
    *, need: Need, network: Network, organisation: Organisation | None, text: str, user: User
) -> NeedResponse:
    """An organisation of the RSR or the KSR offers a resource for an escalated need; its
    representative, or the coordinator on its behalf, records it. The offer flows back to the
    LSR, where the animator accepts it."""
    for_others = may_offer_for_others(user, network)
    if not for_others and not has_capability(user, "offer_resources"):
        raise PermissionDenied
    locked = _lock_open(need)
    if _accepted(locked):
        raise _already_met()
    if (
        network.tier not in (Tier.RSR, Tier.KSR)
        or tier_network_of(locked, network.tier) != network
        or (network.tier == Tier.RSR and locked.escalated_at is None)
        or (network.tier == Tier.KSR and locked.escalated_to_ksr_at is None)
    ):
        raise ValidationError(
            _("This need has not been escalated to %(network)s.") % {"network": network.name},
            code="not_escalated",
        )
    if organisation is None:
        raise ValidationError({"organisation": _("Choose the organisation that offers.")})
    if not for_others and organisation.pk != user.organisation_id:
        raise PermissionDenied
    if NeedResponse.objects.filter(need=locked, organisation=organisation).exists():
        raise _already_answered(organisation)
    if not offer_candidates(locked, network).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {
                "organisation": _(
                    "%(name)s is not a member of %(network)s or of another LSR of the region, "
                    "so it cannot offer here."
                )
                % {"name": organisation.name, "network": network.name}
            }
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            {"text": _("Describe the resource you offer: what, when and on what terms.")}
        )
    try:
        with transaction.atomic():
            response = NeedResponse.objects.create(
                need=locked,
                organisation=organisation,
                kind=ResponseKind.OFFER,
                text=text,
                responded_by=user,
                tier=network.tier,
            )
    except IntegrityError:
        raise _already_answered(organisation) from None
    _event(locked, NeedEventKind.OFFERED, user=user, organisation=organisation, text=text)
    notifications.need_answered(response)
    return response
