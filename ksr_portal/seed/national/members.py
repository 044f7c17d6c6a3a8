"""Steps: the member organisations of every LSR, their contact persons and memberships."""

import itertools
from datetime import timedelta

from ksr_portal.seed.national.bulk import _bulk, _bulk_keep, _gmina_label, _random_day
from ksr_portal.seed.national.plans import LsrPlan, MemberPlan, State
from ksr_portal.seed.national.vocabulary import (
    CATALOGUE,
    FIRST_NAMES,
    LAST_NAMES,
    ONCE_PER_LSR,
    SAINTS,
    SYNTHETIC_DOMAIN,
    WORDS,
)
from networks.models import MemberRole, Membership
from stakeholders.models import (
    ContactPerson,
    InstitutionKind,
    LegalBasis,
    OperatingScope,
    Organisation,
    Sector,
    StakeholderType,
)

A, B, C = StakeholderType.A, StakeholderType.B, StakeholderType.C
K = InstitutionKind
PUBLIC, NGO, BUSINESS = Sector.PUBLIC, Sector.NGO, Sector.BUSINESS


class MemberSteps(State):
    def _organisation(self, plan: LsrPlan, k: int, stakeholder_type, kind, sector, name, legal):
        rng = plan.rng
        gmina = plan.gmina
        return Organisation(
            name=name[:255],
            short_name="",
            stakeholder_type=stakeholder_type,
            institution_kind=kind,
            sector=sector,
            legal_form=legal,
            operating_scope=OperatingScope.LOCAL,
            street=f"ul. {rng.choice(WORDS)} {rng.randint(1, 80)}",
            postal_code=f"{rng.randint(10, 99)}-{rng.randint(100, 999)}",
            city=gmina.name[:64],
            gmina_id=gmina.pk,
            email=f"biuro.{gmina.code}.{k}@{SYNTHETIC_DOMAIN}",
            phone=f"+48 {rng.randint(500, 899)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        )

    def organisations(self) -> int:
        """Members of every LSR: the KIS (most LSRs), the OPS (almost all), the county's labour
        office (shared by the county's LSRs), and a mix of types A, B and C."""
        created: list[Organisation] = []
        for plan in self.plans:
            rng = plan.rng
            size = max(4, round(self.members * rng.uniform(0.8, 1.2)))
            no_kis = rng.random() < 0.10
            no_ops = rng.random() < 0.03
            no_c = rng.random() < 0.06
            no_business = rng.random() < 0.12
            new = _NewMembers(self, plan, created)
            self._main_node_and_ops(plan, new, no_kis=no_kis, no_ops=no_ops)
            self._county_labour_office(plan, new)
            self._catalogue_members(
                plan, new, size, no_c=no_c, no_business=no_business, no_ops=no_ops
            )
        _bulk_keep(Organisation, created)
        return len(created)

    def _main_node_and_ops(self, plan: LsrPlan, new: "_NewMembers", *, no_kis, no_ops) -> None:
        """The KIS as the main node and the gmina's OPS; without a KIS, the OPS or a
        reintegration NGO runs the LSR (the conditions panel warns)."""
        rng = plan.rng
        label = _gmina_label(plan.gmina)
        if not no_kis:
            sector = rng.choice([NGO, NGO, PUBLIC])
            plan.main = new.add(
                A,
                K.KIS,
                sector,
                f"Klub Integracji Społecznej – {label}",
                "jednostka prowadzona przez stowarzyszenie" if sector == NGO else "",
                role=MemberRole.MAIN_NODE,
            )
        if not no_ops:
            plan.ops = new.add(
                B,
                K.SOCIAL_ASSISTANCE,
                PUBLIC,
                f"Ośrodek Pomocy Społecznej – {label}",
                "gminna jednostka budżetowa",
                is_ops=True,
            )
        if plan.main is None:
            if plan.ops is not None and rng.random() < 0.6:
                plan.main = plan.ops
                plan.ops.role = MemberRole.MAIN_NODE
            else:
                plan.main = new.add(
                    A,
                    K.NGO,
                    NGO,
                    f"Stowarzyszenie Aktywni Razem „{rng.choice(WORDS)}”",
                    "stowarzyszenie",
                    role=MemberRole.MAIN_NODE,
                )

    def _county_labour_office(self, plan: LsrPlan, new: "_NewMembers") -> None:
        """Most LSRs have the county's labour office (one organisation for the whole county)."""
        county = plan.gmina.county
        if plan.rng.random() < 0.6:
            pup = self.pups.get(county.code)
            if pup is None:
                org = new.organisation(
                    B,
                    K.LABOUR_OFFICE,
                    PUBLIC,
                    f"Powiatowy Urząd Pracy – {county.name}",
                    "powiatowa jednostka organizacyjna",
                )
                org.operating_scope = OperatingScope.COUNTY
                org.email = f"pup.{county.code}@{SYNTHETIC_DOMAIN}"
                pup = self.pups[county.code] = MemberPlan(org=org, shared=True)
            plan.members.append(MemberPlan(org=pup.org, shared=True))

    def _catalogue_members(
        self, plan: LsrPlan, new: "_NewMembers", size: int, *, no_c, no_business, no_ops
    ) -> None:
        """The other members, drawn from the catalogue by weight until the LSR has `size`."""
        rng = plan.rng
        label = _gmina_label(plan.gmina)
        choices = [
            entry
            for entry in CATALOGUE
            if not (no_c and entry[0] == C)
            and not (no_business and entry[2] == BUSINESS)
            and not (no_ops and entry[1] == K.SOCIAL_ASSISTANCE)
        ]
        weights = [entry[5] for entry in choices]
        used: set[str] = set()
        school = itertools.count(1)
        for _attempt in range(size * 20):
            if len(plan.members) >= size:
                break
            type_, kind, sector, pattern, legal, _weight = rng.choices(choices, weights)[0]
            if any(pattern.startswith(p) for p in ONCE_PER_LSR) and pattern in used:
                continue
            used.add(pattern)
            name = pattern.format(
                g=label, w=rng.choice(WORDS), n=next(school), s=rng.choice(SAINTS)
            )
            new.add(type_, kind, sector, name, legal)

    def contacts(self) -> int:
        """One contact person per organisation (the shared PUP once)."""
        contacts = []
        by_org: dict[int, ContactPerson] = {}
        for plan in self.plans:
            rng = plan.rng
            for member in plan.members:
                contact = by_org.get(id(member.org))
                if contact is None:
                    public = member.org.sector == PUBLIC
                    consent = not public and rng.random() < 0.15
                    contact = ContactPerson(
                        organisation_id=member.org.pk,
                        name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                        function=rng.choice(
                            ["dyrektor/ka", "koordynator/ka", "prezes/ka", "specjalista/ka"]
                        ),
                        email=f"osoba.{member.org.pk}@{SYNTHETIC_DOMAIN}",
                        phone=f"+48 {rng.randint(500, 899)} {rng.randint(100, 999)} 000",
                        legal_basis=(
                            LegalBasis.PUBLIC_TASK
                            if public
                            else LegalBasis.CONSENT
                            if consent
                            else LegalBasis.LEGITIMATE_INTEREST
                        ),
                        consent_date=plan.founded_on if consent else None,
                    )
                    by_org[id(member.org)] = contact
                    contacts.append(contact)
                member.contact = contact
        _bulk_keep(ContactPerson, contacts)
        return len(contacts)

    def memberships(self) -> int:
        """Joining dates after the founding; a few members left (never the main node or OPS)."""
        memberships = []
        for plan in self.plans:
            rng = plan.rng
            for member in plan.members:
                if member.role == MemberRole.MAIN_NODE or member.is_ops:
                    member.joined_on = plan.founded_on
                else:
                    latest = max(plan.founded_on, self.today - timedelta(days=7))
                    # strictly after the founders, so the OPS is the first social-assistance
                    # institution to join (the one the card service gives cards 6-10)
                    first = plan.founded_on + timedelta(days=1)
                    member.joined_on = _random_day(
                        rng, first, first + (latest - plan.founded_on) * 2 // 3
                    )
                    if rng.random() < 0.04 and member.joined_on < self.today - timedelta(days=30):
                        member.left_on = _random_day(
                            rng, member.joined_on + timedelta(days=14), self.today
                        )
                member.membership = Membership(
                    network_id=plan.network.pk,
                    organisation_id=member.org.pk,
                    role=member.role,
                    joined_on=member.joined_on,
                    left_on=member.left_on,
                )
                memberships.append(member.membership)
        _bulk_keep(Membership, memberships)
        through = Membership.representatives.through
        _bulk(
            through,
            (
                through(membership_id=m.membership.pk, contactperson_id=m.contact.pk)
                for plan in self.plans
                for m in plan.members
            ),
        )
        return len(memberships)


class _NewMembers:
    """Makes the organisations of one LSR's plan, numbered in order (their e-mail addresses)."""

    def __init__(self, steps: MemberSteps, plan: LsrPlan, created: list[Organisation]):
        self.steps = steps
        self.plan = plan
        self.created = created
        self.numbers = itertools.count(1)

    def organisation(self, type_, kind, sector, name, legal="") -> Organisation:
        org = self.steps._organisation(
            self.plan, next(self.numbers), type_, kind, sector, name, legal
        )
        self.created.append(org)
        return org

    def add(self, type_, kind, sector, name, legal="", **extra) -> MemberPlan:
        """A new organisation that joins the LSR."""
        member = MemberPlan(org=self.organisation(type_, kind, sector, name, legal), **extra)
        self.plan.members.append(member)
        return member
