"""What the printed documents of an LSR say: its partnership agreements and its letters.

Plain reads composed for ``templates/printing/``; the views and the ``print_documents``
command only add the scoping and the rendering. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ksr_portal.core.pdf import document_filename
from networks.models import (
    AgreementStatus,
    HubTaskKind,
    LegalForm,
    MemberRole,
    Membership,
    Network,
    Partnership,
    PartnershipMember,
    Tier,
)
from stakeholders.models import ContactPerson, Gmina, Organisation, Voivodeship

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- parties ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """One party of an agreement (or the sender/addressee of a letter)."""

    organisation: Organisation
    representatives: tuple[ContactPerson, ...] = ()
    is_main_node: bool = False
    # task partnerships only
    role: str = ""
    contribution_kind: str = ""
    contribution: str = ""
    amount: Decimal | None = None

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def street(self) -> str:
        return self.organisation.street

    @property
    def town(self) -> str:
        return " ".join(p for p in (self.organisation.postal_code, self.organisation.city) if p)

    @property
    def has_address(self) -> bool:
        return bool(self.street or self.town)

    @property
    def identifiers(self) -> list[tuple[str, str]]:
        org = self.organisation
        return [
            (label, value)
            for label, value in (("NIP", org.nip), ("REGON", org.regon), ("KRS", org.krs))
            if value
        ]

    @property
    def representative(self) -> ContactPerson | None:
        return self.representatives[0] if self.representatives else None


def _representatives_of(membership: Membership | None, organisation: Organisation):
    """The membership's representatives; else the organisation's contact persons."""
    if membership is not None:
        people = tuple(membership.representatives.all())
        if people:
            return people
    return tuple(organisation.contacts.all())


def _active_memberships(network: Network) -> list[Membership]:
    return list(
        Membership.objects.filter(network=network)
        .active()
        .select_related("organisation")
        .prefetch_related(
            Prefetch("representatives", queryset=ContactPerson.objects.order_by("name")),
            Prefetch("organisation__contacts", queryset=ContactPerson.objects.order_by("name")),
        )
        .order_by("role", "organisation__name", "pk")
    )


def member_parties(network: Network) -> list[Party]:
    """The active members of a network as parties, the main node first."""
    memberships = _active_memberships(network)
    memberships.sort(key=lambda m: (m.role != MemberRole.MAIN_NODE, m.organisation.name.lower()))
    return [
        Party(
            organisation=m.organisation,
            representatives=_representatives_of(m, m.organisation),
            is_main_node=m.role == MemberRole.MAIN_NODE,
        )
        for m in memberships
    ]


# --- agreements ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    """One gap of an agreement's data, with links to exactly the portal fields that fill it."""

    text: str
    links: tuple[tuple[str, str], ...] = ()  # (label, URL with the field's #anchor)

    def __str__(self) -> str:
        return self.text


def _organisation_field(network: Network, party: Party, field_id: str) -> tuple[str, str]:
    url = reverse("networks:organisation_edit", args=[network.pk, party.organisation.pk])
    return (party.name, f"{url}#{field_id}")


def _organisation_contacts(network: Network, party: Party) -> tuple[str, str]:
    url = reverse("networks:organisation_detail", args=[network.pk, party.organisation.pk])
    return (party.name, f"{url}#contacts-heading")


PRINCIPLES = (
    "openness",
    "democracy",
    "transparency",
    "subsidiarity",
    "neutrality",
)


@dataclass
class Agreement:
    """A partnership agreement: of the whole LSR, or of one task partnership nested in it."""

    network: Network
    parties: list[Party]
    main_node: Party | None
    partnership: Partnership | None = None
    missing: list[Missing] = field(default_factory=list)

    @property
    def is_partnership(self) -> bool:
        return self.partnership is not None

    @property
    def is_signed(self) -> bool:
        """A signed agreement is a concluded document: its print is a copy, never a draft that
        asks for data to be completed before signing."""
        return (
            self.partnership is not None
            and self.partnership.agreement_status == AgreementStatus.SIGNED
        )

    @property
    def draft_missing(self) -> list[Missing]:
        """What the "incomplete draft" box lists: nothing once the agreement is signed."""
        return [] if self.is_signed else self.missing

    @property
    def anchor(self) -> str:
        if self.partnership is not None:
            return f"partnership-{self.partnership.pk}"
        return f"lsr-{self.network.pk}"

    @property
    def gmina_name(self) -> str:
        return self.network.gmina.name if self.network.gmina is not None else ""

    @property
    def specific_goals(self) -> list[str]:
        return self.network.specific_goal_list()

    @property
    def hub_tasks(self) -> list[str]:
        return [str(label) for label in HubTaskKind.labels]

    @property
    def place(self) -> str:
        """Where the agreement is concluded: the main node's town, else the gmina."""
        if self.main_node and self.main_node.organisation.city:
            return self.main_node.organisation.city
        return self.gmina_name

    @property
    def concluded_on(self) -> date | None:
        return self.partnership.signed_on if self.partnership is not None else None

    @property
    def is_legal_person(self) -> bool:
        return self.network.legal_form in (
            LegalForm.ASSOCIATION,
            LegalForm.FOUNDATION,
            LegalForm.UNION,
        )


def _names(parties: list[Party]) -> str:
    return ", ".join(p.name for p in parties)


def _parties_missing(network: Network, parties: list[Party]) -> list[Missing]:
    """What an agreement needs from each of its parties: an address, an identifier (NIP, REGON
    or KRS) and a named representative; one sentence per kind of gap, naming the parties, each
    linked to the field that fills it."""
    missing = []
    no_address = [p for p in parties if not p.has_address]
    if no_address:
        missing.append(
            Missing(
                _("No address for: %(names)s.") % {"names": _names(no_address)},
                tuple(_organisation_field(network, p, "id_street") for p in no_address),
            )
        )
    no_ids = [p for p in parties if not p.identifiers]
    if no_ids:
        missing.append(
            Missing(
                _("No NIP, REGON or KRS number for: %(names)s.") % {"names": _names(no_ids)},
                tuple(_organisation_field(network, p, "id_nip") for p in no_ids),
            )
        )
    no_reps = [p for p in parties if not p.representatives]
    if no_reps:
        missing.append(
            Missing(
                _("No representative named for: %(names)s.") % {"names": _names(no_reps)},
                tuple(_organisation_contacts(network, p) for p in no_reps),
            )
        )
    return missing


def _missing_data(network: Network, parties: list[Party], main_node: Party | None) -> list[Missing]:
    members_url = reverse("networks:member_list", args=[network.pk])
    missing = []
    if not parties:
        missing.append(
            Missing(
                _(
                    "The LSR has no active members yet: the parties of the agreement are to be added."
                ),
                ((_("Add a member"), reverse("networks:member_add", args=[network.pk])),),
            )
        )
    elif main_node is None:
        missing.append(
            Missing(
                _("The LSR has no main node (KIS) yet: choose one among its members."),
                ((_("Members"), members_url),),
            )
        )
    elif not main_node.organisation.is_kis:
        missing.append(
            Missing(
                _("The main node %(name)s is not a KIS (type A, kind KIS).")
                % {"name": main_node.name},
                (
                    (
                        main_node.name,
                        _organisation_field(network, main_node, "id_institution_kind")[1],
                    ),
                ),
            )
        )
    goals_url = reverse("networks:goals", args=[network.pk])
    goals = [
        (label, field_id)
        for label, value, field_id in (
            (_("vision"), network.vision, "id_vision"),
            (_("mission"), network.mission, "id_mission"),
            (_("main goal"), network.main_goal, "id_main_goal"),
            (_("specific goals"), network.specific_goals.strip(), "id_specific_goals"),
        )
        if not value
    ]
    if goals:
        missing.append(
            Missing(
                _("Not described yet: %(items)s.")
                % {"items": ", ".join(str(label) for label, _id in goals)},
                tuple((str(label), f"{goals_url}#{field_id}") for label, field_id in goals),
            )
        )
    if not network.seat:
        missing.append(
            Missing(
                _("The seat of the LSR is not given."),
                ((_("seat"), f"{goals_url}#id_seat"),),
            )
        )
    missing += _parties_missing(network, parties)
    return missing


def lsr_agreement(network: Network) -> Agreement:
    """The "Porozumienie na rzecz Lokalnej Sieci Reintegracji": every active member is a party."""
    parties = member_parties(network)
    main_node = next((p for p in parties if p.is_main_node), None)
    return Agreement(
        network=network,
        parties=parties,
        main_node=main_node,
        missing=_missing_data(network, parties, main_node),
    )


def partnership_agreement(network: Network, partnership: Partnership) -> Agreement:
    """The agreement of a task partnership: its partners with their roles and contributions."""
    memberships = {m.organisation_id: m for m in _active_memberships(network)}
    partners = list(
        PartnershipMember.objects.filter(partnership=partnership)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("organisation__contacts", queryset=ContactPerson.objects.order_by("name"))
        )
        .order_by("organisation__name", "pk")
    )
    parties = [
        Party(
            organisation=p.organisation,
            representatives=_representatives_of(memberships.get(p.organisation_id), p.organisation),
            is_main_node=p.organisation_id == partnership.leader_id,
            role=p.role,
            contribution_kind=p.get_contribution_kind_display(),
            contribution=p.contribution,
            amount=p.amount,
        )
        for p in partners
    ]
    parties.sort(key=lambda p: (not p.is_main_node, p.name.lower()))
    leader = next((p for p in parties if p.is_main_node), None)
    partnership_url = reverse("networks:partnership_detail", args=[network.pk, partnership.pk])
    missing = []
    if not parties:
        missing.append(
            Missing(
                _(
                    "The task partnership has no partners yet: the parties of the agreement are to be added."
                ),
                ((partnership.name, partnership_url),),
            )
        )
    elif leader is None:
        missing.append(
            Missing(
                _("The leader %(name)s is not a partner of the task partnership yet.")
                % {"name": partnership.leader.name},
                ((partnership.name, partnership_url),),
            )
        )
    if leader is None:
        leader_org = partnership.leader
        leader = Party(
            organisation=leader_org,
            representatives=_representatives_of(memberships.get(leader_org.pk), leader_org),
            is_main_node=True,
        )
    missing += _parties_missing(network, parties)
    return Agreement(
        network=network,
        parties=parties,
        main_node=leader,
        partnership=partnership,
        missing=missing,
    )


def lsrs_of_voivodeship(voivodeship: Voivodeship) -> QuerySet[Network]:
    return (
        Network.objects.lsrs()
        .within(voivodeship.code)
        .select_related("gmina__county__voivodeship")
        .order_by("gmina__name", "name")
    )


def voivodeship_agreements(voivodeship: Voivodeship) -> list[Agreement]:
    """The agreement of every LSR of a voivodeship, by gmina name."""
    return [lsr_agreement(network) for network in lsrs_of_voivodeship(voivodeship)]


def agreement_filename(network: Network, partnership: Partnership | None = None) -> str:
    if partnership is None:
        return document_filename("porozumienie", network.name or network.pk)
    return document_filename("porozumienie-partnerstwo", partnership.pk, network.name or network.pk)


# --- letters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterKind:
    slug: str
    title: StrOrPromise  # lazy
    card: int
    activity: int


LETTER_KINDS: dict[str, LetterKind] = {
    kind.slug: kind
    for kind in (
        LetterKind("list-intencyjny", gettext_lazy("Letter of intent"), card=1, activity=3),
        LetterKind(
            "zaproszenie", gettext_lazy("Invitation to the working group"), card=2, activity=2
        ),
    )
}


@dataclass(frozen=True)
class Letter:
    addressee: Party


@dataclass
class LetterSet:
    """Letters of one kind, one per addressee, all from the main node of the LSR."""

    network: Network
    kind: LetterKind
    sender: Party | None
    letters: list[Letter]
    written_on: date

    @property
    def coordinator(self) -> ContactPerson | None:
        return self.sender.representative if self.sender else None

    @property
    def place(self) -> str:
        if self.sender and self.sender.organisation.city:
            return self.sender.organisation.city
        return self.network.seat or (
            self.network.gmina.name if self.network.gmina is not None else ""
        )


def default_addressee_ids(network: Network) -> list[int]:
    """All active members except the main node."""
    return list(
        Membership.objects.filter(network=network)
        .active()
        .exclude(role=MemberRole.MAIN_NODE)
        .order_by("organisation__name")
        .values_list("organisation_id", flat=True)
    )


def letter_set(
    network: Network, kind: LetterKind, organisations: list[Organisation] | None = None
) -> LetterSet:
    """Letters to the given organisations (default: every active member but the main node)."""
    memberships = _active_memberships(network)
    by_org = {m.organisation_id: m for m in memberships}
    main = next((m for m in memberships if m.role == MemberRole.MAIN_NODE), None)
    sender = (
        Party(
            organisation=main.organisation,
            representatives=_representatives_of(main, main.organisation),
            is_main_node=True,
        )
        if main
        else None
    )
    if organisations is None:
        addressees = [m.organisation for m in memberships if m.role != MemberRole.MAIN_NODE]
        addressees.sort(key=lambda o: o.name.lower())
    else:
        addressees = organisations
    letters = [
        Letter(
            Party(
                organisation=org,
                representatives=_representatives_of(by_org.get(org.pk), org),
            )
        )
        for org in addressees
    ]
    return LetterSet(
        network=network,
        kind=kind,
        sender=sender,
        letters=letters,
        written_on=timezone.localdate(),
    )


def chosen_organisations(queryset: QuerySet[Organisation], ids: list[int]) -> list[Organisation]:
    """The organisations of ``ids`` found in ``queryset`` (a scoped queryset), in the given order."""
    found = {
        o.pk: o
        for o in queryset.filter(pk__in=ids).prefetch_related(
            Prefetch("contacts", queryset=ContactPerson.objects.order_by("name"))
        )
    }
    return [found[pk] for pk in dict.fromkeys(ids) if pk in found]


def letters_filename(network: Network, kind: LetterKind) -> str:
    return document_filename(kind.slug, network.name or network.pk)


# --- the "Documents" block of an LSR ------------------------------------------------------------


@dataclass
class LsrDocuments:
    """What ``printing/_documents_block.html`` lists for one LSR and one user."""

    network: Network
    can_print: bool
    partnerships: list[Partnership]
    letter_kinds: list[LetterKind]
    cards: list
    addressees: list[Organisation]


def lsr_documents(*, user, network: Network) -> LsrDocuments:
    from procedures.selectors.cards import cards_for_lsr

    can_print = bool(user.has_capability("print_documents"))
    addressees = []
    if can_print:
        members = Membership.objects.filter(network=network).active()
        addressees = list(
            Organisation.objects.for_user(user)
            .filter(Q(gmina_id=network.gmina_id) | Q(pk__in=members.values("organisation_id")))
            .exclude(pk__in=members.filter(role=MemberRole.MAIN_NODE).values("organisation_id"))
            .order_by("name")
        )
    return LsrDocuments(
        network=network,
        can_print=can_print,
        partnerships=list(network.partnerships.order_by("name")),
        letter_kinds=list(LETTER_KINDS.values()),
        cards=list(cards_for_lsr(user=user, network=network)),
        addressees=addressees,
    )


# --- finding an LSR by gmina name or TERYT code (the print_documents command) ---------------------


class LsrNotFound(LookupError):
    pass


class LsrAmbiguous(LookupError):
    def __init__(self, query: str, matches: list[Network]):
        super().__init__(query)
        self.query = query
        self.matches = matches


def lsr_find(query: str) -> Network:
    """The LSR of a gmina given by its TERYT code or its name (case-insensitive)."""
    query = query.strip()
    lsrs = Network.objects.filter(tier=Tier.LSR).select_related("gmina__county__voivodeship")
    if not query:
        raise LsrNotFound(query)
    if query.isdigit():
        matches = list(lsrs.filter(teryt_code=query))
    else:
        gminas = Gmina.objects.filter(name__iexact=query)
        matches = list(lsrs.filter(gmina__in=gminas).order_by("teryt_code"))
        if not matches:
            matches = list(lsrs.filter(name__iexact=query).order_by("teryt_code"))
    if not matches:
        raise LsrNotFound(query)
    if len(matches) > 1:
        raise LsrAmbiguous(query, matches)
    return matches[0]
