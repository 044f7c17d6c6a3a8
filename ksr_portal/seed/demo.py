"""Demo data for `make run` and manual testing, read from `data/demo.yaml` (persons invented,
organisations from the source documents or real-sounding ones).
Idempotent: every object is looked up by a natural key first, and nothing that exists is changed,
so a second run creates nothing and edits made in the portal survive."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ksr_portal.dashboards.summaries import summaries_refresh
from ksr_portal.seed.datafiles import load_yaml
from ksr_portal.seed.demo_cards import load_demo_cards, load_demo_needs
from ksr_portal.seed.demo_escalation import load_demo_escalation
from ksr_portal.seed.demo_meetings import load_demo_meetings
from ksr_portal.seed.demo_recommendations import load_demo_recommendations
from ksr_portal.seed.demo_support import load_demo_support
from ksr_portal.seed.demo_surveys import load_demo_surveys
from networks.events import figures_batched
from networks.models import (
    AgreementStatus,
    HubTask,
    MemberRole,
    Membership,
    Network,
    Partnership,
    PartnershipMember,
    TaskStatus,
    Tier,
)
from networks.services.networks import (
    hub_task_update,
    ksr_ensure,
    lsr_create,
    membership_add,
    partnership_add_partner,
    partnership_create,
    partnership_set_status,
    rsr_ensure,
)
from procedures.models import Meeting
from procedures.selectors.meetings import eligible_attendees
from procedures.services.meetings import meeting_save
from stakeholders.models import (
    ContactPerson,
    Gmina,
    InstitutionKind,
    LegalBasis,
    OperatingScope,
    Organisation,
    Sector,
    StakeholderType,
    Voivodeship,
)
from stakeholders.roles import Role
from stakeholders.services import contact_person_add, organisation_save, teryt_load

DEMO_PASSWORD = "ksr-demo-2026"


@dataclass(frozen=True)
class Org:
    """A demo organisation and its (invented) contact person."""

    name: str
    short_name: str
    stakeholder_type: str
    kind: str
    sector: str
    gmina: str
    contact: str
    function: str
    scope: str = OperatingScope.LOCAL
    legal_form: str = ""
    city: str = ""


@dataclass(frozen=True)
class Partner:
    organisation: str
    role: str
    contribution_kind: str
    contribution: str
    amount: int | None = None


@dataclass(frozen=True)
class Lsr:
    gmina: str
    name: str
    members: list[Org]
    main: str | None
    fields: dict = field(default_factory=dict)
    joined_on: date = date(2024, 1, 15)
    partnership: dict | None = None
    partners: list[Partner] = field(default_factory=list)
    hub_tasks: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Joining:
    """An organisation joining an upper-tier network (the KSR or an RSR)."""

    organisation: Org
    role: str
    joined_on: date


def _org(entry: dict | str, shared: dict[str, Org], gmina: str = "") -> Org:
    if isinstance(entry, str):
        return shared[entry]
    data = dict(entry)
    return Org(
        stakeholder_type=StakeholderType(data.pop("type")),
        kind=InstitutionKind(data.pop("kind")),
        sector=Sector(data.pop("sector")),
        scope=OperatingScope(data.pop("scope", OperatingScope.LOCAL)),
        gmina=data.pop("gmina", gmina),
        **data,
    )


def _lsr(entry: dict, shared: dict[str, Org]) -> Lsr:
    data = dict(entry)
    gmina = data.pop("gmina")
    return Lsr(
        gmina=gmina,
        members=[_org(member, shared, gmina) for member in data.pop("members")],
        partners=[Partner(**partner) for partner in data.pop("partners", [])],
        **data,
    )


def _joinings(entries: list[dict], shared: dict[str, Org]) -> list[Joining]:
    return [
        Joining(_org(e["organisation"], shared), MemberRole(e["role"]), e["joined_on"])
        for e in entries
    ]


DATA = load_yaml("demo.yaml")
SHARED_ORGANISATIONS = {key: _org(entry, {}) for key, entry in DATA["organisations"].items()}
DEMO_USERS = DATA["users"]
DEMO_LSRS = [_lsr(entry, SHARED_ORGANISATIONS) for entry in DATA["lsrs"]]
KSR_MEMBERS = _joinings(DATA["ksr"]["members"], SHARED_ORGANISATIONS)
RSR_VOIVODESHIP = DATA["rsr"]["voivodeship"]
RSR_MEMBERS = _joinings(DATA["rsr"]["members"], SHARED_ORGANISATIONS)
RSR_MEETING = DATA["rsr"]["meeting"]
# Every gmina the demo refers to (the TERYT register is loaded when one is missing).
REQUIRED_CODES = tuple(
    dict.fromkeys(
        [lsr.gmina for lsr in DEMO_LSRS]
        + [org.gmina for org in SHARED_ORGANISATIONS.values()]
        + [org.gmina for lsr in DEMO_LSRS for org in lsr.members]
        + [j.organisation.gmina for j in KSR_MEMBERS + RSR_MEMBERS]
    )
)

# The showcase LSR (the first one): its cards, needs and surveys are put in demo states too.
ZMUDZ = DEMO_LSRS[0]
ZMUDZ_CODE = ZMUDZ.gmina
ZMUDZ_PACT = ZMUDZ.partnership["name"]
# The organisation the demo partner represents.
GCK_ZMUDZ = next(u["organisation"]["name"] for u in DEMO_USERS if u["role"] == Role.PARTNER)


class DemoSummary(list):
    users: list[str]


class _Loader:
    def __init__(self, summary: DemoSummary, admin):
        self.summary = summary
        self.admin = admin
        self.gminas = {g.code: g for g in Gmina.objects.filter(code__in=REQUIRED_CODES)}
        self.contacts: dict[str, ContactPerson] = {}

    def organisation(self, spec: Org) -> Organisation:
        gmina = self.gminas[spec.gmina]
        organisation = Organisation.objects.filter(name=spec.name, gmina=gmina).first()
        if organisation is None:
            organisation = organisation_save(
                organisation=Organisation(
                    name=spec.name,
                    short_name=spec.short_name,
                    stakeholder_type=spec.stakeholder_type,
                    institution_kind=spec.kind,
                    sector=spec.sector,
                    operating_scope=spec.scope,
                    legal_form=spec.legal_form,
                    city=spec.city or gmina.name,
                    gmina=gmina,
                )
            )
            self.summary.append(f"Organisation {spec.name} created.")
        contact = organisation.contacts.filter(name=spec.contact).first()
        if contact is None:
            contact = contact_person_add(
                organisation=organisation,
                contact=ContactPerson(
                    name=spec.contact,
                    function=spec.function,
                    legal_basis=LegalBasis.PUBLIC_TASK,
                ),
            )
        self.contacts[spec.name] = contact
        return organisation

    def member(self, network: Network, spec: Org, role: str, joined_on: date) -> Organisation:
        organisation = self.organisation(spec)
        if Membership.objects.filter(network=network, organisation=organisation).exists():
            return organisation
        if (
            role == MemberRole.MAIN_NODE
            and network.memberships.open().filter(role=MemberRole.MAIN_NODE).exists()
        ):
            role = MemberRole.MEMBER
        membership_add(
            network=network,
            organisation=organisation,
            role=role,
            joined_on=joined_on,
            representatives=[self.contacts[spec.name]],
        )
        return organisation

    def lsr(self, spec: Lsr) -> Network:
        gmina = self.gminas[spec.gmina]
        network = Network.objects.filter(tier=Tier.LSR, gmina=gmina).first()
        if network is None:
            network = lsr_create(
                user=self.admin, gmina=gmina, network=Network(name=spec.name, **spec.fields)
            )
            self.summary.append(f"LSR {spec.name} created.")
        organisations = {}
        for org in spec.members:
            role = MemberRole.MAIN_NODE if org.name == spec.main else MemberRole.MEMBER
            organisations[org.name] = self.member(network, org, role, spec.joined_on)
        for kind, status in spec.hub_tasks.items():
            task = HubTask.objects.filter(network=network, kind=kind).first()
            if task and task.status == TaskStatus.TODO and status != TaskStatus.TODO:
                hub_task_update(task=task, status=status, notes=task.notes)
        if spec.partnership:
            self.partnership(network, spec, organisations)
        return network

    def partnership(self, network: Network, spec: Lsr, organisations: dict) -> None:
        data = spec.partnership
        partnership = Partnership.objects.filter(network=network, name=data["name"]).first()
        if partnership is None:
            partnership = partnership_create(
                network=network,
                partnership=Partnership(
                    name=data["name"],
                    goal=data["goal"],
                    leader=organisations[spec.main],
                    starts_on=data.get("starts_on"),
                ),
            )
            self.summary.append(f"Partnership {data['name']} created.")
        if partnership.agreement_status != AgreementStatus.DRAFT:
            return
        for partner in spec.partners:
            organisation = organisations[partner.organisation]
            if partnership.partners.filter(organisation=organisation).exists():
                continue
            partnership_add_partner(
                partnership=partnership,
                partner=PartnershipMember(
                    organisation=organisation,
                    role=partner.role,
                    contribution_kind=partner.contribution_kind,
                    contribution=partner.contribution,
                    amount=partner.amount,
                ),
            )
        if data["status"] == AgreementStatus.SIGNED:
            partnership_set_status(partnership=partnership, status=AgreementStatus.CONSULTATION)
            partnership_set_status(
                partnership=partnership, status=AgreementStatus.SIGNED, signed_on=data["signed_on"]
            )

    def upper_tiers(self, voivodeship: Voivodeship) -> None:
        ksr = ksr_ensure()
        for joining in KSR_MEMBERS:
            self.member(ksr, joining.organisation, joining.role, joining.joined_on)
        rsr = rsr_ensure(voivodeship=voivodeship)
        for joining in RSR_MEMBERS:
            self.member(rsr, joining.organisation, joining.role, joining.joined_on)

    def regional_meeting(self, voivodeship: Voivodeship) -> None:
        """The RSR's meeting with minutes: the ROWR, the supra-local members and the KIS teams of
        the region's LSRs attend."""
        rsr = Network.objects.get(tier=Tier.RSR, voivodeship=voivodeship)
        held_at = timezone.make_aware(datetime.fromisoformat(str(RSR_MEETING["held_at"])))
        if rsr.meetings.filter(held_at=held_at).exists():
            return
        meeting_save(
            user=self.admin,
            network=rsr,
            meeting=Meeting(
                held_at=held_at,
                place=RSR_MEETING["place"],
                agenda=RSR_MEETING["agenda"],
                minutes=RSR_MEETING["minutes"],
                decisions=RSR_MEETING["decisions"],
            ),
            attendees=list(eligible_attendees(rsr)),
        )
        self.summary.append(f"Regional meeting of {rsr.name} recorded.")


def _users(summary: DemoSummary) -> dict:
    User = get_user_model()
    users = {}
    for entry in DEMO_USERS:
        username, role = entry["username"], Role(entry["role"])
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "first_name": entry["first_name"],
                "last_name": entry["last_name"],
                "email": f"{username}@demo.ksr.localhost",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if "voivodeship" in entry:
                user.voivodeship = Voivodeship.objects.get(code=entry["voivodeship"])
            if role == Role.ADMIN:
                user.is_staff = True
                user.is_superuser = True
            user.save()
            if "gminas" in entry:
                user.gminas.add(*Gmina.objects.filter(code__in=entry["gminas"]))
            summary.append(f"User {username} created.")
        users[username] = user
    return users


def _representatives(summary: DemoSummary, users: dict) -> None:
    """Partner users represent their organisation (made with the networks, so linked after)."""
    for entry in DEMO_USERS:
        user = users[entry["username"]]
        if "organisation" not in entry or user.organisation_id is not None:
            continue
        name, code = entry["organisation"]["name"], entry["organisation"]["gmina"]
        user.organisation = Organisation.objects.get(name=name, gmina__code=code)
        user.function = entry["function"]
        user.save(update_fields=["organisation", "function"])
        summary.append(f"User {entry['username']} represents {name}.")


@transaction.atomic
def load_demo() -> DemoSummary:
    # the dashboards' rows recomputed once for the whole demo, not after each of its ~320 writes
    with figures_batched():
        return _load_demo()


def _load_demo() -> DemoSummary:
    summary = DemoSummary()
    if Gmina.objects.filter(code__in=REQUIRED_CODES).count() < len(REQUIRED_CODES):
        teryt_load()
        summary.append("TERYT register loaded.")
    users = _users(summary)

    loader = _Loader(summary, users["admin"])
    loader.upper_tiers(Voivodeship.objects.get(code=RSR_VOIVODESHIP))
    networks = {spec.gmina: loader.lsr(spec) for spec in DEMO_LSRS}
    loader.regional_meeting(Voivodeship.objects.get(code=RSR_VOIVODESHIP))

    _representatives(summary, users)
    partner = users["partner"]
    if load_demo_cards(networks[ZMUDZ_CODE], partner_organisation_id=partner.organisation_id):
        summary.append("Procedure cards of the Żmudź LSR put in their demo states.")
    if load_demo_needs(networks[ZMUDZ_CODE], users=users):
        summary.append("Needs of the Żmudź KIS posted (one declined).")
    if load_demo_meetings(networks[ZMUDZ_CODE], submitted_by=users["animator"]):
        summary.append("Quarterly meetings and monitoring terms of the Żmudź LSR recorded.")
    if load_demo_escalation(networks[ZMUDZ_CODE], users=users):
        summary.append("A need of the Żmudź KIS escalated to the RSR, with a regional offer.")
    if load_demo_support(users=users):
        summary.append(
            "Support to LSRs: a request answered, a KIS training, potential stakeholders."
        )
    if load_demo_surveys(networks[ZMUDZ_CODE], published_by=users["animator"]):
        summary.append("Żmudź 2017 evaluation surveys and interviews loaded.")
    if load_demo_recommendations(users=users):
        summary.append("Experience items of lubelskie and an adopted KSR recommendation loaded.")
    summary.users = [entry["username"] for entry in DEMO_USERS]
    # the demo states are partly written without the services: recompute the dashboards' rows
    summaries_refresh(network_ids=[network.pk for network in networks.values()])
    return summary
