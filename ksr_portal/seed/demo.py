"""Demo data for `make run` and manual testing. Persons are invented; organisations are real names
from the source documents (seed 000: Gmina Żmudź, 2016–2017) or real-sounding ones elsewhere.
Idempotent: every object is looked up by a natural key first, and nothing that exists is changed,
so a second run creates nothing and edits made in the portal survive."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from ksr_portal.seed.demo_cards import load_demo_cards, load_demo_needs
from ksr_portal.seed.demo_surveys import load_demo_surveys
from networks.models import (
    ActKind,
    AgreementStatus,
    ContributionKind,
    HubTask,
    HubTaskKind,
    LegalForm,
    MemberRole,
    Membership,
    Network,
    Partnership,
    PartnershipMember,
    Stage,
    TaskStatus,
    Tier,
    Variant,
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
ZMUDZ_CODE = "0603142"
LUBELSKIE_CODE = "06"
CHELM_CODE = "0662011"  # Chełm, city with county rights (seat of powiat chełmski)
LUBLIN_CODE = "0663011"
WARSZAWA_CODE = "1465011"
REJOWIEC_CODE = "0603153"  # Rejowiec, urban-rural gmina (powiat chełmski)
GARWOLIN_CODE = "1403042"  # Garwolin, rural gmina (mazowieckie)
DUKLA_CODE = "1807023"  # Dukla, urban-rural gmina (podkarpackie)
REQUIRED_CODES = (
    ZMUDZ_CODE,
    CHELM_CODE,
    LUBLIN_CODE,
    WARSZAWA_CODE,
    REJOWIEC_CODE,
    GARWOLIN_CODE,
    DUKLA_CODE,
)

DEMO_USERS = [
    # username, role, first name, last name (invented persons)
    ("animator", Role.ANIMATOR, "Ewa", "Przykładowa"),
    ("rops", Role.ROPS, "Tomasz", "Wzorcowy"),
    ("ksr", Role.KSR, "Katarzyna", "Próbna"),
    ("partner", Role.PARTNER, "Marek", "Testowy"),
    ("admin", Role.ADMIN, "Anna", "Demonstracyjna"),
]

A, B, C = StakeholderType.A, StakeholderType.B, StakeholderType.C
K = InstitutionKind
PUBLIC, NGO, BUSINESS = Sector.PUBLIC, Sector.NGO, Sector.BUSINESS


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


NATIONAL_CENTRE = Org(
    "Krajowy Ośrodek Współpracy na rzecz Reintegracji",
    "KOWR",
    A,
    K.NATIONAL_CENTRE,
    PUBLIC,
    WARSZAWA_CODE,
    "Katarzyna Wzorcowa-Nowa",
    "kierowniczka Krajowego Ośrodka",
    scope=OperatingScope.NATIONAL,
    city="Warszawa",
)
ROWR_LUBLIN = Org(
    "Regionalny Ośrodek Współpracy na rzecz Reintegracji przy ROPS w Lublinie",
    "ROWR Lublin",
    A,
    K.ROWR,
    PUBLIC,
    LUBLIN_CODE,
    "Robert Regionalny",
    "koordynator ROWR",
    scope=OperatingScope.REGIONAL,
    legal_form="zespół w strukturze ROPS",
    city="Lublin",
)
PUP_CHELM = Org(
    "Powiatowy Urząd Pracy w Chełmie",
    "PUP Chełm",
    B,
    K.LABOUR_OFFICE,
    PUBLIC,
    CHELM_CODE,
    "Dorota Doradcza",
    "doradczyni zawodowa",
    scope=OperatingScope.COUNTY,
    legal_form="powiatowa jednostka organizacyjna",
    city="Chełm",
)

KIS_ZMUDZ = "Klub Integracji Społecznej w Żmudzi"
STELLA = "Stowarzyszenie Wspierania Aktywności Społecznej „Stella”"
DEBOWY_LAS = "Spółdzielnia Socjalna „Dębowy Las”"
SP_ZMUDZ = "Szkoła Podstawowa w Żmudzi"
GIMNAZJUM_ZMUDZ = "Gimnazjum Publiczne w Żmudzi"
WRZOS = "Środowiskowy Dom Samopomocy „Wrzos” w Żmudzi"
GCK_ZMUDZ = "Gminne Centrum Kultury w Żmudzi"
WOLCZANKI = "Stowarzyszenie Gospodyń Wiejskich „Dziarskie Wólczanki”"
ZMUDZ_PACT = (
    "Pakt na rzecz rozwoju partnerstwa lokalnego w Gminie Żmudź "
    "z wykorzystaniem instytucji zatrudnienia socjalnego"
)

ZMUDZ = Lsr(
    gmina=ZMUDZ_CODE,
    name="Lokalna Sieć Reintegracji w Gminie Żmudź",
    main=KIS_ZMUDZ,
    joined_on=date(2016, 4, 15),
    fields={
        "variant": Variant.ADMINISTRATIVE,
        "act_kind": ActKind.COUNCIL_RESOLUTION,
        "act_number": "XX/123/2016",
        "act_date": date(2016, 3, 30),
        "stage": Stage.OPERATING,
        "legal_form": LegalForm.AGREEMENT,
        "seat": "Żmudź",
        "meeting_rhythm": "raz na kwartał",
        "founded_on": date(2016, 4, 15),
        "vision": (
            "Gmina Żmudź jest wspólnotą, w której każdy mieszkaniec – także zagrożony "
            "wykluczeniem społecznym – ma dostęp do pracy, wiedzy, kultury i wsparcia, "
            "a instytucje, organizacje i przedsiębiorcy działają razem na rzecz dobra wspólnego."
        ),
        "mission": (
            "Łączymy zasoby i potencjały instytucji samorządowych, organizacji pozarządowych "
            "i podmiotów ekonomii społecznej Gminy Żmudź, wykorzystując instytucje zatrudnienia "
            "socjalnego, aby przywracać mieszkańcom uczestnictwo w życiu zawodowym "
            "i społecznym – partnersko, jawnie i bez dominacji jednej instytucji."
        ),
        "main_goal": (
            "Wspieranie rozwoju lokalnego dla ograniczenia bezrobocia i skali ubóstwa "
            "w Gminie Żmudź."
        ),
        "specific_goals": "\n".join(
            [
                "Rozwój usług reintegracji społecznej i zawodowej Klubu Integracji Społecznej "
                "we współpracy z partnerami.",
                "Tworzenie nowych miejsc pracy w sektorze spółdzielni socjalnych.",
                "Zwiększenie aktywności mieszkańców we wspólnym tworzeniu i realizacji lokalnej "
                "polityki społecznej (warsztaty edukacji obywatelskiej).",
                "Aktywizacja osób starszych oraz rozwój działalności kulturalno-sportowej.",
                "Rzetelna informacja dla mieszkańców o sposobach wsparcia i ofercie partnerstwa.",
                "Pozyskanie wspólnych zasobów finansowych i nowych partnerów o zasięgu "
                "regionalnym.",
            ]
        ),
    },
    members=[
        Org(
            KIS_ZMUDZ,
            "KIS Żmudź",
            A,
            K.KIS,
            NGO,
            ZMUDZ_CODE,
            "Agnieszka Wzorowa",
            "koordynatorka KIS",
            legal_form="jednostka prowadzona przez stowarzyszenie",
        ),
        Org(
            STELLA,
            "SWAS „Stella”",
            A,
            K.NGO,
            NGO,
            ZMUDZ_CODE,
            "Beata Modelowa",
            "prezeska zarządu",
            legal_form="stowarzyszenie",
        ),
        Org(
            DEBOWY_LAS,
            "SS „Dębowy Las”",
            A,
            K.SOCIAL_ENTERPRISE,
            BUSINESS,
            ZMUDZ_CODE,
            "Krzysztof Fikcyjny",
            "prezes spółdzielni",
            legal_form="spółdzielnia socjalna",
        ),
        Org(
            "Gminny Ośrodek Pomocy Społecznej w Żmudzi",
            "GOPS Żmudź",
            B,
            K.SOCIAL_ASSISTANCE,
            PUBLIC,
            ZMUDZ_CODE,
            "Małgorzata Umowna",
            "kierowniczka GOPS",
            legal_form="gminna jednostka budżetowa",
        ),
        PUP_CHELM,
        Org(
            "Urząd Gminy Żmudź",
            "UG Żmudź",
            C,
            K.ADMINISTRATION,
            PUBLIC,
            ZMUDZ_CODE,
            "Paweł Szablonowy",
            "sekretarz gminy",
            legal_form="urząd gminy",
        ),
        Org(
            SP_ZMUDZ,
            "SP Żmudź",
            C,
            K.EDUCATION,
            PUBLIC,
            ZMUDZ_CODE,
            "Joanna Pokazowa",
            "dyrektorka szkoły",
            legal_form="gminna jednostka budżetowa",
        ),
        Org(
            GIMNAZJUM_ZMUDZ,
            "Gimnazjum Żmudź",
            C,
            K.EDUCATION,
            PUBLIC,
            ZMUDZ_CODE,
            "Grzegorz Roboczy",
            "pedagog szkolny",
            legal_form="gminna jednostka budżetowa",
        ),
        Org(
            WRZOS,
            "ŚDS „Wrzos”",
            B,
            K.SOCIAL_ASSISTANCE,
            PUBLIC,
            ZMUDZ_CODE,
            "Halina Próbkowa",
            "terapeutka zajęciowa",
            legal_form="gminna jednostka budżetowa",
        ),
        Org(
            GCK_ZMUDZ,
            "GCK Żmudź",
            C,
            K.CULTURE,
            PUBLIC,
            ZMUDZ_CODE,
            "Zbigniew Makietowy",
            "dyrektor GCK",
            legal_form="samorządowa instytucja kultury",
        ),
        Org(
            WOLCZANKI,
            "SGW „Dziarskie Wólczanki”",
            C,
            K.NGO,
            NGO,
            ZMUDZ_CODE,
            "Teresa Szkicowa",
            "przewodnicząca koła",
            legal_form="stowarzyszenie",
        ),
    ],
    partnership={
        "name": ZMUDZ_PACT,
        "goal": (
            "Wspólne działania partnerów na rzecz reintegracji społecznej i zawodowej "
            "mieszkańców Gminy Żmudź z wykorzystaniem Klubu Integracji Społecznej i spółdzielni "
            "socjalnej: warsztaty, zajęcia integracyjne, prace społecznie użyteczne, coroczny "
            "„Jarmark Aktywności Kobiet”."
        ),
        "starts_on": date(2016, 5, 20),
        "signed_on": date(2016, 5, 20),
        "status": AgreementStatus.SIGNED,
    },
    partners=[
        Partner(
            STELLA,
            "współprowadzenie KIS, koordynacja działań partnerstwa",
            ContributionKind.KNOWLEDGE,
            "Doświadczenie w prowadzeniu zajęć reintegracyjnych i w pisaniu projektów.",
        ),
        Partner(
            DEBOWY_LAS,
            "miejsca pracy i praktyki zawodowe dla uczestników KIS",
            ContributionKind.STAFF_HOURS,
            "Opiekun praktyk zawodowych (godziny w roku).",
            120,
        ),
        Partner(
            SP_ZMUDZ,
            "zajęcia dla dzieci i młodzieży, edukacja obywatelska",
            ContributionKind.PREMISES,
            "Sala gimnastyczna i pracownia komputerowa po lekcjach.",
        ),
        Partner(
            WRZOS,
            "wsparcie terapeutyczne uczestników",
            ContributionKind.STAFF_HOURS,
            "Terapeuta zajęciowy na warsztaty psychoedukacyjne (godziny w roku).",
            80,
        ),
        Partner(
            GCK_ZMUDZ,
            "organizacja wydarzeń: festyny, „Jarmark Aktywności Kobiet”",
            ContributionKind.PREMISES,
            "Sala widowiskowa i zaplecze na warsztaty i wydarzenia partnerstwa.",
        ),
        Partner(
            WOLCZANKI,
            "aktywizacja kobiet i seniorów",
            ContributionKind.EQUIPMENT,
            "Sprzęt kuchenny i stoiska na festyny; warsztaty kulinarne.",
        ),
    ],
    hub_tasks={
        HubTaskKind.MANAGE: TaskStatus.DONE,
        HubTaskKind.INITIATE: TaskStatus.DONE,
        HubTaskKind.RECRUIT: TaskStatus.IN_PROGRESS,
        HubTaskKind.REPRESENT: TaskStatus.IN_PROGRESS,
        HubTaskKind.LINK_RSR: TaskStatus.TODO,
    },
)

REJOWIEC = Lsr(
    gmina=REJOWIEC_CODE,
    name="Lokalna Sieć Reintegracji w Gminie Rejowiec",
    main="Klub Integracji Społecznej w Rejowcu",
    fields={
        "variant": Variant.CIVIC,
        "initiators": "Liderki koła gospodyń wiejskich i pracownicy socjalni MGOPS",
        "stage": Stage.WORKING_GROUP,
        "seat": "Rejowiec",
        "main_goal": "Powrót na rynek pracy osób długotrwale bezrobotnych z Gminy Rejowiec.",
    },
    members=[
        Org(
            "Klub Integracji Społecznej w Rejowcu",
            "KIS Rejowiec",
            A,
            K.KIS,
            NGO,
            REJOWIEC_CODE,
            "Iwona Przykładna",
            "koordynatorka KIS",
        ),
        Org(
            "Miejsko-Gminny Ośrodek Pomocy Społecznej w Rejowcu",
            "MGOPS Rejowiec",
            B,
            K.SOCIAL_ASSISTANCE,
            PUBLIC,
            REJOWIEC_CODE,
            "Adam Wzorek",
            "pracownik socjalny",
        ),
        Org(
            "Stowarzyszenie na rzecz Osób Wykluczonych „Nowy Start”",
            "„Nowy Start”",
            B,
            K.NGO,
            NGO,
            REJOWIEC_CODE,
            "Elżbieta Makieta",
            "prezeska stowarzyszenia",
        ),
        PUP_CHELM,
    ],
    partnership={
        "name": "Partnerstwo na rzecz aktywizacji zawodowej w Gminie Rejowiec",
        "goal": "Wspólna oferta reintegracji zawodowej dla osób długotrwale bezrobotnych.",
        "status": AgreementStatus.DRAFT,
    },
    partners=[
        Partner(
            "Miejsko-Gminny Ośrodek Pomocy Społecznej w Rejowcu",
            "kierowanie uczestników, kontrakty socjalne",
            ContributionKind.STAFF_HOURS,
            "Pracownik socjalny (godziny w miesiącu).",
            20,
        ),
        Partner(
            "Stowarzyszenie na rzecz Osób Wykluczonych „Nowy Start”",
            "doradztwo i grupa wsparcia",
            ContributionKind.KNOWLEDGE,
            "Prowadzenie grupy samopomocowej.",
        ),
    ],
    hub_tasks={HubTaskKind.INITIATE: TaskStatus.IN_PROGRESS},
)

GARWOLIN = Lsr(
    gmina=GARWOLIN_CODE,
    name="Lokalna Sieć Reintegracji w Gminie Garwolin",
    main="Gminny Ośrodek Pomocy Społecznej w Garwolinie",
    fields={
        "variant": Variant.ADMINISTRATIVE,
        "act_kind": ActKind.MAYOR_DECISION,
        "act_number": "Zarządzenie nr 45/2024",
        "act_date": date(2024, 2, 12),
        "stage": Stage.WORKING_GROUP,
        "seat": "Garwolin",
    },
    members=[
        Org(
            "Gminny Ośrodek Pomocy Społecznej w Garwolinie",
            "GOPS Garwolin",
            B,
            K.SOCIAL_ASSISTANCE,
            PUBLIC,
            GARWOLIN_CODE,
            "Renata Wzornik",
            "kierowniczka GOPS",
        ),
        Org(
            "Gminna Biblioteka Publiczna w Garwolinie",
            "GBP Garwolin",
            C,
            K.CULTURE,
            PUBLIC,
            GARWOLIN_CODE,
            "Lucyna Książkowa",
            "bibliotekarka",
        ),
        Org(
            "Stowarzyszenie „Aktywni Razem”",
            "„Aktywni Razem”",
            C,
            K.NGO,
            NGO,
            GARWOLIN_CODE,
            "Marcin Zmyślony",
            "prezes stowarzyszenia",
        ),
        Org(
            "Zakład Stolarski „Sosna” s.c.",
            "„Sosna” s.c.",
            C,
            K.BUSINESS,
            BUSINESS,
            GARWOLIN_CODE,
            "Jerzy Wymyślony",
            "współwłaściciel",
        ),
    ],
    hub_tasks={HubTaskKind.RECRUIT: TaskStatus.IN_PROGRESS},
)

DUKLA = Lsr(
    gmina=DUKLA_CODE,
    name="Lokalna Sieć Reintegracji w Gminie Dukla",
    main="Klub Integracji Społecznej w Dukli",
    fields={
        "variant": Variant.CIVIC,
        "initiators": "Animatorka z KIS i sołtysi zainteresowanych sołectw",
        "stage": Stage.INITIATION,
    },
    members=[
        Org(
            "Klub Integracji Społecznej w Dukli",
            "KIS Dukla",
            A,
            K.KIS,
            NGO,
            DUKLA_CODE,
            "Natalia Przykładowska",
            "animatorka",
        ),
        Org(
            "Miejsko-Gminny Ośrodek Pomocy Społecznej w Dukli",
            "MGOPS Dukla",
            B,
            K.SOCIAL_ASSISTANCE,
            PUBLIC,
            DUKLA_CODE,
            "Sławomir Próbny",
            "kierownik MGOPS",
        ),
        Org(
            "Centrum Kultury i Promocji w Dukli",
            "CKiP Dukla",
            C,
            K.CULTURE,
            PUBLIC,
            DUKLA_CODE,
            "Wioletta Pokazowa",
            "instruktorka",
        ),
    ],
)

DEMO_LSRS = [ZMUDZ, REJOWIEC, GARWOLIN, DUKLA]
PARTNER_ORGANISATION = (GCK_ZMUDZ, ZMUDZ_CODE)


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

    def upper_tiers(self, lubelskie: Voivodeship) -> None:
        ksr = ksr_ensure()
        self.member(ksr, NATIONAL_CENTRE, MemberRole.MAIN_NODE, date(2016, 1, 4))
        rsr = rsr_ensure(voivodeship=lubelskie)
        self.member(rsr, ROWR_LUBLIN, MemberRole.MAIN_NODE, date(2016, 2, 1))
        self.member(rsr, PUP_CHELM, MemberRole.MEMBER, date(2016, 2, 1))


def _users(summary: DemoSummary, zmudz: Gmina, lubelskie: Voivodeship) -> dict:
    User = get_user_model()
    users = {}
    for username, role, first, last in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.ksr.localhost",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == Role.ROPS:
                user.voivodeship = lubelskie
            if role == Role.ADMIN:
                user.is_staff = True
                user.is_superuser = True
            user.save()
            if role == Role.ANIMATOR:
                user.gminas.add(zmudz)
            summary.append(f"User {username} created.")
        users[username] = user
    return users


@transaction.atomic
def load_demo() -> DemoSummary:
    summary = DemoSummary()
    if Gmina.objects.filter(code__in=REQUIRED_CODES).count() < len(REQUIRED_CODES):
        teryt_load()
        summary.append("TERYT register loaded.")
    zmudz = Gmina.objects.get(code=ZMUDZ_CODE)
    lubelskie = Voivodeship.objects.get(code=LUBELSKIE_CODE)
    users = _users(summary, zmudz, lubelskie)

    loader = _Loader(summary, users["admin"])
    loader.upper_tiers(lubelskie)
    networks = {spec.gmina: loader.lsr(spec) for spec in DEMO_LSRS}

    partner = users["partner"]
    if partner.organisation_id is None:
        name, code = PARTNER_ORGANISATION
        partner.organisation = Organisation.objects.get(name=name, gmina__code=code)
        partner.function = "koordynator projektów kulturalnych"
        partner.save(update_fields=["organisation", "function"])
        summary.append(f"User partner represents {name}.")
    if load_demo_cards(networks[ZMUDZ_CODE], partner_organisation_id=partner.organisation_id):
        summary.append("Procedure cards of the Żmudź LSR put in their demo states.")
    if load_demo_needs(networks[ZMUDZ_CODE], users=users):
        summary.append("Needs of the Żmudź KIS posted (one declined).")
    if load_demo_surveys(networks[ZMUDZ_CODE]):
        summary.append("Żmudź 2017 evaluation surveys and interviews loaded.")
    summary.users = [u[0] for u in DEMO_USERS]
    return summary
