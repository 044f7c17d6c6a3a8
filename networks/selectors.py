"""Scoped reads of the networks app: the first line of every view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    When,
)
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ksr_portal.core.scoping import (
    get_for_user_or_404,
    require_capability,
    scope_of,
)
from ksr_portal.core.subqueries import count_of
from stakeholders.models import Organisation, User

from .filters import MembershipFilter
from .models import HubTask, Membership, Network, Partnership, PartnershipMember, Tier

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations


def network_list_for_user(*, user: User) -> QuerySet[Network]:
    """The LSRs the user reaches (the home pages' tables)."""
    require_capability(user, "view_networks")
    return (
        Network.objects.for_user(user)
        .lsrs()
        .with_conditions()
        .select_related("gmina__county__voivodeship")
        .order_by("gmina__name")
    )


def networks_of_every_tier_for_user(*, user: User, tier: str | None = None) -> QuerySet[Network]:
    """The networks of every tier the user reaches or that are opened to it (KSR, RSRs, LSRs),
    optionally of one tier, with the LSRs' critical conditions and the member counts."""
    require_capability(user, "view_networks")
    qs = Network.objects.for_user(user)
    if tier in Tier.values:
        qs = qs.filter(tier=tier)
    return (
        qs.with_conditions()
        .annotate(
            member_count=F("active_a") + F("active_b") + F("active_c"),
            child_count=count_of(Network.objects.filter(parent=OuterRef("pk")), "parent"),
        )
        .select_related("gmina__county__voivodeship", "voivodeship")
        .order_by(Case(*[When(tier=t, then=i) for i, t in enumerate(TIER_ORDER)]), "name")
    )


TIER_ORDER = (Tier.KSR, Tier.RSR, Tier.LSR)


def network_get_for_user(
    *,
    user: Any,
    pk: int,
    tier: str | None = None,
    capability: str | None = None,
    territorial: bool = False,
) -> Network:
    """The one gate of every page that works on a network (LSR, RSR or KSR).

    404 when the network lies outside the user's scope, when it is not of the ``tier`` the page
    needs, or — with ``territorial`` (research material: interviews, evaluations) — when the user
    reaches it only through an organisation's membership; then 403 when the user's role lacks
    ``capability``. Outsiders never learn more than "not found"."""
    require_capability(user, "view_networks")
    network = get_for_user_or_404(
        Network.objects.with_conditions().select_related(
            "gmina__county__voivodeship", "voivodeship", "parent"
        ),
        user,
        pk=pk,
    )
    if tier is not None and network.tier != tier:
        raise Http404
    if territorial and not scope_of(user).covers(network.teryt_code):
        raise Http404
    if capability is not None:
        require(user, capability, network)
    return network


def lsr_get_for_user(
    *, user: Any, pk: int, capability: str | None = None, territorial: bool = False
) -> Network:
    """The gate of the LSR's own pages: cards, needs, meetings, library, surveys, interviews,
    evaluations, printing (an RSR or the KSR answers 404 there)."""
    return network_get_for_user(
        user=user, pk=pk, tier=Tier.LSR, capability=capability, territorial=territorial
    )


def in_reach(user: Any, network: Network, organisation_id: int | None = None) -> bool:
    """Inside the user's reach (``stakeholders.roles.ROLE_SCOPE``): a network of its territory,
    for any organisation; for a partner representative, its own organisation while that is an
    active member of the network."""
    scope = scope_of(user)
    if scope.covers(network.teryt_code):
        return True
    ids = [i for i in scope.organisation_ids if organisation_id in (None, i)]
    return bool(ids) and network.memberships.filter(organisation_id__in=ids).active().exists()


def may(user: Any, capability: str, network: Network, organisation_id: int | None = None) -> bool:
    """The one rule of every capability: the role has it at the network's tier (the tools of an
    RSR are the ROPS coordinator's, of the KSR the KSR coordinator's:
    ``stakeholders.roles.roles_at_tier``), and it is used inside the reach. A network opened to
    the user only for reading (the RSR above an animator's LSR) is outside the reach."""
    return bool(
        user
        and user.is_authenticated
        and user.has_capability(capability, tier=network.tier)
        and in_reach(user, network, organisation_id)
    )


def require(
    user: Any, capability: str, network: Network, organisation_id: int | None = None
) -> None:
    """403 unless ``may`` (services call it before they write)."""
    if not may(user, capability, network, organisation_id):
        raise PermissionDenied


def membership_get_for_user(*, user: User, network: Network, pk: int) -> Membership:
    require(user, "manage_networks", network)
    return get_for_user_or_404(
        Membership.objects.select_related("organisation", "network"), user, pk=pk, network=network
    )


def partnership_get_for_user(*, user: User, network: Network, pk: int) -> Partnership:
    return get_for_user_or_404(
        Partnership.objects.select_related("leader", "network").prefetch_related(
            Prefetch("partners", queryset=PartnershipMember.objects.select_related("organisation"))
        ),
        user,
        pk=pk,
        network=network,
    )


def hub_task_get_for_user(*, user: User, network: Network, pk: int) -> HubTask:
    require(user, "manage_networks", network)
    return get_for_user_or_404(
        HubTask.objects.select_related("network"), user, pk=pk, network=network
    )


def member_filter(*, network: Network, data: Any = None) -> MembershipFilter:
    """Members of a network filtered by type, sector, kind and active/left (default: active)."""
    qs = (
        network.memberships.select_related("organisation__gmina")
        .prefetch_related("representatives")
        .order_by("role", "organisation__name", "joined_on")
    )
    data = data.copy() if data is not None else {}
    if not data.get("status"):
        data["status"] = "active"
    return MembershipFilter(data, queryset=qs)


def member_networks(*, user: Any, network: Network) -> list[Network]:
    """The networks one tier down that are members of this one (an RSR's LSRs, the KSR's
    RSRs), with their dates; ``reachable`` says whether the user may open each (two queries,
    whatever their number)."""
    children = list(
        network.children.select_related("gmina__county", "voivodeship").order_by("name")
    )
    reachable = set(
        Network.objects.for_user(user).filter(parent=network).values_list("pk", flat=True)
    )
    for child in children:
        child.reachable = child.pk in reachable
    return children


def member_organisations(network: Network, *, on: date | None = None) -> QuerySet[Organisation]:
    """The organisations that are active members of the network on a day (today by default)."""
    return Organisation.objects.filter(
        pk__in=network.memberships.active(on).values("organisation_id")
    ).order_by("name")


def active_members(network: Network) -> QuerySet[Membership]:
    return (
        network.memberships.active()
        .select_related("organisation")
        .order_by("role", "organisation__name")
    )


def partnerships_of(network: Network) -> QuerySet[Partnership]:
    return network.partnerships.select_related("leader").prefetch_related(
        Prefetch("partners", queryset=PartnershipMember.objects.select_related("organisation"))
    )


class ConditionFlags(TypedDict):
    """What ``Network.objects.with_conditions()`` annotates."""

    has_kis_main: bool
    has_main_node: bool
    has_signed_partnership: bool
    has_public: bool
    has_ngo: bool
    has_business: bool
    active_c: int


@dataclass
class Condition:
    key: str
    label: StrOrPromise
    ok: bool
    missing: StrOrPromise
    fix_url: str
    fix_label: StrOrPromise


def critical_conditions(network: WithAnnotations[Network, ConditionFlags]) -> list[Condition]:
    """The model's critical conditions, from the annotations of ``with_conditions()``."""
    if network.tier != Tier.LSR:
        return []
    members_url = reverse("networks:member_add", args=[network.pk])
    partnerships_url = reverse("networks:partnership_create", args=[network.pk])
    sectors_missing = [
        str(label)
        for flag, label in (
            (network.has_public, _("public")),
            (network.has_ngo, _("non-governmental")),
            (network.has_business, _("business")),
        )
        if not flag
    ]
    return [
        Condition(
            "kis_main",
            _("A KIS is the active main node"),
            network.has_kis_main,
            _("No active main node is a KIS (type A, kind KIS).")
            if network.has_main_node
            else _("The LSR has no main node yet."),
            members_url,
            _("Add the KIS as the main node"),
        ),
        Condition(
            "type_c",
            _("At least one active type C member"),
            network.active_c > 0,
            _("Without type C members the LSR cannot offer new services."),
            members_url + "?stakeholder_type=C",
            _("Add a type C member"),
        ),
        Condition(
            "signed_partnership",
            _("At least one task partnership with an agreement in force"),
            network.has_signed_partnership,
            _("No task partnership has an agreement in force today (signed, started, not ended)."),
            partnerships_url,
            _("Create or sign a task partnership"),
        ),
        Condition(
            "sectors",
            _("All three basic sectors present (public, non-governmental, business)"),
            not sectors_missing,
            _("Missing sectors: %(sectors)s.") % {"sectors": ", ".join(sectors_missing)},
            members_url,
            _("Add members from the missing sectors"),
        ),
    ]


def conditions_met(network: WithAnnotations[Network, ConditionFlags]) -> bool:
    return all(c.ok for c in critical_conditions(network))


def member_organisation_get(*, network: Network, pk: int) -> Organisation:
    """An organisation that is or was a member of the network (404 otherwise)."""
    from django.http import Http404

    if not Membership.objects.filter(network=network, organisation_id=pk).exists():
        raise Http404
    return (
        Organisation.objects.select_related("gmina__county").prefetch_related("contacts").get(pk=pk)
    )
