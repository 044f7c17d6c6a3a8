"""Every state change of the needs of the KIS/OPS (cards 9, 10) and the partners' answers (card 13)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.models import MemberRole, Membership, Network
from stakeholders.models import Organisation, StakeholderType, User

from .. import notifications
from ..models import Need, NeedResponse, ResponseKind


class NeedStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("open")
    MATCHED = "matched", gettext_lazy("matched")
    DECLINED = "declined", gettext_lazy("declined by all")
    CLOSED = "closed", gettext_lazy("closed")


def status_from_counts(*, closed: bool, offers: int, declines: int, addressees: int) -> str:
    """The one rule of a need's status; ``selectors_needs.with_status`` is its SQL twin.

    closed (the poster closed it) > matched (at least one offer) > declined (every addressee
    declined) > open (no offer yet, and someone may still answer)."""
    if closed:
        return NeedStatus.CLOSED
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
    else:
        kinds = [r.kind for r in need.responses.all()]
        offers = kinds.count(ResponseKind.OFFER)
        declines = kinds.count(ResponseKind.DECLINE)
        addressees = len(need.addressees.all())
    return status_from_counts(
        closed=need.closed_at is not None, offers=offers, declines=declines, addressees=addressees
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
    notifications.need_answered(response)
    return response


@transaction.atomic
def need_close(*, need: Need) -> Need:
    """Close a need: it stays on the record but takes no more answers."""
    locked = Need.objects.select_for_update().get(pk=need.pk)
    if locked.closed_at is not None:
        raise ValidationError(_("This need is already closed."), code="closed")
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at"])
    need.closed_at = locked.closed_at
    return locked
