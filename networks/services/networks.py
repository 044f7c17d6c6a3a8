"""Every state change of networks, memberships, partnerships and hub tasks."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ksr_portal.core.scoping import scope_of
from stakeholders.models import (
    ContactPerson,
    Gmina,
    InstitutionKind,
    OperatingScope,
    Organisation,
    StakeholderType,
    User,
    Voivodeship,
)

from .. import notifications
from ..events import NETWORK_CHANGED, figures_changed, network_figures_changed, publish
from ..models import (
    AgreementStatus,
    HubTask,
    HubTaskKind,
    MemberRole,
    Membership,
    Network,
    Partnership,
    PartnershipMember,
    Stage,
    Tier,
    Variant,
)
from ..selectors import require


@dataclass
class Outcome:
    obj: object
    warnings: list[str] = field(default_factory=list)


def ksr_ensure() -> Network:
    ksr, _created = Network.objects.get_or_create(
        tier=Tier.KSR, defaults={"name": "Krajowa Sieć Reintegracji", "teryt_code": ""}
    )
    return ksr


def rsr_ensure(*, voivodeship: Voivodeship) -> Network:
    rsr, _created = Network.objects.get_or_create(
        tier=Tier.RSR,
        voivodeship=voivodeship,
        defaults={
            "name": f"Regionalna Sieć Reintegracji – województwo {voivodeship.name}",
            "teryt_code": voivodeship.code,
            "parent": ksr_ensure(),
        },
    )
    return rsr


def _check_founding_act(network: Network) -> None:
    errors = {}
    if network.variant == Variant.ADMINISTRATIVE:
        for name in ("act_kind", "act_number", "act_date"):
            if not getattr(network, name):
                errors[name] = _("The administrative variant needs the founding act recorded.")
    elif network.variant == Variant.CIVIC and not network.initiators.strip():
        errors["initiators"] = _("The civic variant needs its initiating leaders named.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def lsr_create(*, user: User, gmina: Gmina, network: Network) -> Network:
    """Found an LSR in a gmina of the user's scope; it joins its voivodeship's RSR."""
    if not scope_of(user).covers(gmina.code):
        raise ValidationError({"gmina": _("You can found an LSR only in your own gmina.")})
    if Network.objects.filter(tier=Tier.LSR, gmina=gmina).exists():
        raise ValidationError({"gmina": _("This gmina already has an LSR.")})
    network.tier = Tier.LSR
    network.gmina = gmina
    network.teryt_code = gmina.code
    network.parent = rsr_ensure(voivodeship=gmina.county.voivodeship)
    _check_founding_act(network)
    network.full_clean()
    network.save()
    HubTask.objects.bulk_create([HubTask(network=network, kind=kind) for kind in HubTaskKind])
    publish(NETWORK_CHANGED, network=network)
    figures_changed(network.pk)
    return network


@transaction.atomic
def network_update(*, network: Network) -> Network:
    _check_founding_act(network)
    network.full_clean()
    network.save()
    return network


def main_node_warning(network: Network, organisation: Organisation) -> str | None:
    if network.tier == Tier.LSR and not organisation.is_kis:
        return _(
            "The main node of an LSR should be a KIS (type A, kind KIS); %(name)s is not. "
            "The critical conditions panel will show it."
        ) % {"name": organisation.name}
    expected: dict[str, str] = {
        Tier.RSR: InstitutionKind.ROWR,
        Tier.KSR: InstitutionKind.NATIONAL_CENTRE,
    }
    if network.tier in expected and organisation.institution_kind != expected[network.tier]:
        return _("The main node of an RSR is the ROWR team, of the KSR the national centre.")
    return None


def membership_check_may_join(*, network: Network, organisation: Organisation) -> None:
    """Refuse an organisation that may not join this network (before anything is written): an
    LSR takes its gmina's organisations and supra-local ones; an RSR supra-local organisations
    of its voivodeship; the KSR national ones."""
    if network.tier == Tier.RSR and not (
        organisation.is_supra_local and organisation.gmina.code.startswith(network.teryt_code)
    ):
        raise ValidationError(
            {
                "organisation": _(
                    "%(name)s cannot join the RSR: its members are supra-local organisations "
                    "(county or regional scope) of the voivodeship %(voivodeship)s."
                )
                % {
                    "name": organisation.name,
                    "voivodeship": network.voivodeship.name if network.voivodeship else "",
                }
            }
        )
    if network.tier == Tier.KSR and organisation.operating_scope != OperatingScope.NATIONAL:
        raise ValidationError(
            {
                "organisation": _(
                    "%(name)s cannot join the KSR: its members are organisations of national "
                    "scope (and the RSRs)."
                )
                % {"name": organisation.name}
            }
        )
    if (
        network.tier == Tier.LSR
        and organisation.gmina_id != network.gmina_id
        and not organisation.is_supra_local
    ):
        raise ValidationError(
            {
                "organisation": _(
                    "%(name)s is from another gmina. Only organisations marked as supra-local "
                    "(county, regional or national scope) can join an LSR of another gmina."
                )
                % {"name": organisation.name}
            }
        )


@transaction.atomic
def organisation_create_member(*, network: Network, organisation: Organisation) -> Outcome:
    """A new organisation that joins the network at once: checked first, saved only together
    with its membership, so a refused join leaves no organisation behind."""
    membership_check_may_join(network=network, organisation=organisation)
    organisation.full_clean()
    organisation.save()
    return membership_add(network=network, organisation=organisation)


@transaction.atomic
def membership_add(
    *,
    network: Network,
    organisation: Organisation,
    role: str = MemberRole.MEMBER,
    joined_on: date | None = None,
    representatives: Iterable[ContactPerson] = (),
    notes: str = "",
) -> Outcome:
    """Add an organisation to a network (a new period if it was a member before)."""
    joined_on = joined_on or timezone.localdate()
    membership_check_may_join(network=network, organisation=organisation)
    if Membership.objects.filter(network=network, organisation=organisation).open().exists():
        raise ValidationError({"organisation": _("This organisation is already an active member.")})
    if (
        role == MemberRole.MAIN_NODE
        and network.memberships.open().filter(role=MemberRole.MAIN_NODE).exists()
    ):
        raise ValidationError(
            {"role": _("This network already has an active main node. End its role first.")}
        )
    if network.memberships.filter(organisation=organisation, left_on__gt=joined_on).exists():
        raise ValidationError(
            {"joined_on": _("A new period cannot start before the previous one ended.")}
        )
    membership = Membership(
        network=network, organisation=organisation, role=role, joined_on=joined_on, notes=notes
    )
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("This membership conflicts with another one; reload the page.")
        ) from exc
    if representatives:
        membership.representatives.set(representatives)
    warnings = []
    if role == MemberRole.MAIN_NODE:
        warning = main_node_warning(network, organisation)
        if warning:
            warnings.append(warning)
    publish(NETWORK_CHANGED, network=network)
    network_figures_changed(network)
    return Outcome(membership, warnings)


@transaction.atomic
def membership_end(*, membership: Membership, left_on: date) -> Membership:
    """The organisation leaves: the period is closed, the history stays."""
    if membership.left_on is not None:
        raise ValidationError(_("This membership has already ended."))
    if left_on < membership.joined_on:
        raise ValidationError(
            {
                "left_on": _("An organisation cannot leave before it joined (%(date)s).")
                % {"date": membership.joined_on.strftime("%d.%m.%Y")}
            }
        )
    membership.left_on = left_on
    membership.full_clean(validate_constraints=False)
    membership.save(update_fields=["left_on"])
    publish(NETWORK_CHANGED, network=membership.network)
    network_figures_changed(membership.network)
    return membership


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str) -> Outcome:
    if membership.left_on is not None:
        raise ValidationError(_("A former member cannot take a role."))
    if role == MemberRole.MAIN_NODE:
        other = (
            membership.network.memberships.open()
            .filter(role=MemberRole.MAIN_NODE)
            .exclude(pk=membership.pk)
        )
        if other.exists():
            raise ValidationError(
                {"role": _("This network already has an active main node. End its role first.")}
            )
    membership.role = role
    membership.save(update_fields=["role"])
    publish(NETWORK_CHANGED, network=membership.network)
    network_figures_changed(membership.network)
    warning = (
        main_node_warning(membership.network, membership.organisation)
        if role == MemberRole.MAIN_NODE
        else None
    )
    return Outcome(membership, [warning] if warning else [])


@transaction.atomic
def membership_set_representatives(
    *, membership: Membership, representatives: list[ContactPerson]
) -> Membership:
    if any(c.organisation_id != membership.organisation_id for c in representatives):
        raise ValidationError(
            _("Representatives must be contact persons of the member organisation.")
        )
    membership.representatives.set(representatives)
    return membership


@transaction.atomic
def network_set_participation(
    *,
    user: User,
    network: Network,
    takes_part: bool,
    left_on: date | None = None,
    reason: str = "",
) -> Network:
    """Mark a member network (an LSR in its RSR, an RSR in the KSR) as not taking part since a
    day, with a reason, or as taking part again. The runner of the network above decides; the
    history keeps every change."""
    parent = network.parent
    if parent is None:
        raise ValidationError(_("This network is not a member of another network."))
    require(user, "manage_networks", parent)
    network = Network.objects.select_for_update().get(pk=network.pk)
    if takes_part:
        network.parent_left_on = None
        network.parent_left_reason = ""
    else:
        errors = {}
        if left_on is None:
            errors["left_on"] = _("Give the day since which the network does not take part.")
        elif left_on < network.joined_parent_on:
            errors["left_on"] = _(
                "The network cannot stop taking part before it joined (%(date)s)."
            ) % {"date": network.joined_parent_on.strftime("%d.%m.%Y")}
        if not reason.strip():
            errors["reason"] = _("Give the reason why the network does not take part.")
        if errors:
            raise ValidationError(errors)
        network.parent_left_on = left_on
        network.parent_left_reason = reason.strip()
    network.full_clean()
    network.save(update_fields=["parent_left_on", "parent_left_reason"])
    return network


def main_node(network: Network) -> Organisation | None:
    membership = (
        network.memberships.active()
        .filter(role=MemberRole.MAIN_NODE)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


@transaction.atomic
def partnership_create(*, network: Network, partnership: Partnership) -> Partnership:
    """A task partnership inside a network of any tier, led by its main node by default."""
    partnership.network = network
    if partnership.leader_id is None:
        leader = main_node(network)
        if leader is None:
            raise ValidationError(
                {
                    "leader": _("Choose a leader: the LSR has no main node (KIS) yet.")
                    if network.is_lsr
                    else _("Choose a leader: the network has no main node yet.")
                }
            )
        partnership.leader = leader
    elif not network.memberships.active().filter(organisation_id=partnership.leader_id).exists():
        raise ValidationError({"leader": _("The leader must be an active member of the network.")})
    partnership.agreement_status = AgreementStatus.DRAFT
    partnership.signed_on = None
    partnership.full_clean()
    partnership.save()
    return partnership


@transaction.atomic
def partnership_add_partner(
    *, partnership: Partnership, partner: PartnershipMember
) -> PartnershipMember:
    network = partnership.network
    if not network.memberships.active().filter(organisation_id=partner.organisation_id).exists():
        raise ValidationError(
            {"organisation": _("A partner must be an active member of the network.")}
        )
    if partnership.partners.filter(organisation_id=partner.organisation_id).exists():
        raise ValidationError({"organisation": _("This organisation is already a partner.")})
    partner.partnership = partnership
    partner.full_clean()
    partner.save()
    return partner


AGREEMENT_TRANSITIONS: dict[str, set[str]] = {
    AgreementStatus.DRAFT: {AgreementStatus.CONSULTATION},
    AgreementStatus.CONSULTATION: {AgreementStatus.DRAFT, AgreementStatus.SIGNED},
    AgreementStatus.SIGNED: set(),
}


@transaction.atomic
def partnership_set_status(
    *, partnership: Partnership, status: str, signed_on: date | None = None
) -> Partnership:
    """draft → consultation → signed (consultation may go back to draft); signing needs a date."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if status not in AGREEMENT_TRANSITIONS[partnership.agreement_status]:
        raise ValidationError(
            _("The agreement cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": partnership.get_agreement_status_display(),
                "to": AgreementStatus(status).label,
            }
        )
    if status == AgreementStatus.SIGNED:
        if signed_on is None:
            raise ValidationError({"signed_on": _("Give the date the agreement was signed.")})
        if signed_on > timezone.localdate():
            raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
        if not partnership.partners.exists():
            raise ValidationError(
                _("Add the partners with their roles and contributions before signing.")
            )
    partnership.agreement_status = status
    partnership.signed_on = signed_on if status == AgreementStatus.SIGNED else None
    partnership.save(update_fields=["agreement_status", "signed_on"])
    if status == AgreementStatus.CONSULTATION:
        notifications.agreement_in_consultation(partnership)
    if status == AgreementStatus.SIGNED and partnership.network.stage in (
        Stage.INITIATION,
        Stage.WORKING_GROUP,
    ):
        Network.objects.filter(pk=partnership.network_id).update(stage=Stage.AGREEMENT)
    network_figures_changed(partnership.network)
    return partnership


@transaction.atomic
def hub_task_update(*, task: HubTask, status: str, notes: str) -> HubTask:
    task.status = status
    task.notes = notes
    task.full_clean()
    task.save()
    return task


def kis_candidates(network: Network) -> QuerySet[Membership]:
    return network.memberships.active().filter(
        organisation__stakeholder_type=StakeholderType.A,
        organisation__institution_kind=InstitutionKind.KIS,
    )
