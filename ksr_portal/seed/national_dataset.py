"""A synthetic national data set (issue 7, item 4): an LSR in every gmina of the TERYT register,
with members, procedure cards in mixed states, meetings, monitoring terms, a task partnership and a
survey campaign with responses — for load tests of the ROPS and KSR dashboards.

Rows are written with bulk_create, bypassing the services (and their events: a membership change
re-syncs the LSR's cards, far too slow for 70 000 members), but in the SAME shape the services
produce: an LSR has its voivodeship's RSR as parent and `teryt_code` = its gmina's code, five KIS
hub tasks, exactly one active main node, cards 1–5 run by the main node, 6–10 by the gmina's OPS
(the first type B social-assistance institution to join), 11–13 by every type C member (closed as
not applicable, with the service's reason, when the member left), activities copied from the
current card templates, and a card's status derived from its activities exactly as the workflow
does (`derive_card_status`): done only when every activity is closed and the card was completed.
No audit history is written (django-simple-history records save(), not bulk_create).

Every organisation made here has an e-mail address in the reserved `.invalid` domain below, so
`--replace` can remove them again. Persons and organisations are invented.
"""

import itertools
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone

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
from networks.services.networks import rsr_ensure
from procedures.models import (
    CLOSED_ACTIVITY,
    Activity,
    ActivityStatus,
    Card,
    CardStatus,
    CardTemplate,
    Meeting,
    MonitoringTerm,
)
from procedures.services.cards import (
    MAIN_NODE_CARDS,
    TYPE_B_CARDS,
    TYPE_C_CARDS,
    card_templates_load,
    derive_card_status,
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
)
from stakeholders.services import teryt_load
from surveys import engine
from surveys.models import Audience, Campaign, Channel, Response
from surveys.services.responses import questionnaire_load_default, schema_of

BATCH = 5000
SYNTHETIC_DOMAIN = "syntetyczne.invalid"
# The reason the card service writes when a type C member leaves (its Polish translation).
LEFT_REASON = "Instytucja wystąpiła z LSR."

A, B, C = StakeholderType.A, StakeholderType.B, StakeholderType.C
K = InstitutionKind
PUBLIC, NGO, BUSINESS, CHURCH = Sector.PUBLIC, Sector.NGO, Sector.BUSINESS, Sector.CHURCH


class DatasetExists(Exception):
    """LSRs are already in the database and --replace was not given."""


# --- vocabulary ------------------------------------------------------------------------------

WORDS = [
    "Dąb", "Jutrzenka", "Razem", "Nadzieja", "Przystań", "Horyzont", "Źródło", "Most", "Kłos",
    "Wrzos", "Promyk", "Sosna", "Zdrój", "Tęcza", "Krok", "Pasieka", "Brzask", "Kotwica",
    "Ogniwo", "Azymut", "Przyszłość", "Dolina", "Kompas", "Słonecznik", "Lipa", "Wspólnota",
    "Wiosna", "Gościniec", "Bursztyn", "Zorza", "Ostoja", "Podkowa", "Rozwój", "Świt",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Joanna",
    "Magdalena", "Monika", "Piotr", "Krzysztof", "Tomasz", "Paweł", "Marcin", "Michał",
    "Grzegorz", "Jan", "Łukasz", "Adam", "Dorota", "Beata", "Robert", "Marek",
]  # fmt: skip
LAST_NAMES = [
    "Przykładowa", "Wzorcowa", "Testowa", "Próbna", "Modelowa", "Fikcyjna", "Umowna",
    "Przykładowy", "Wzorcowy", "Testowy", "Próbny", "Modelowy", "Fikcyjny", "Umowny",
    "Zmyślona", "Zmyślony", "Szablonowa", "Szablonowy",
]  # fmt: skip
SAINTS = ["Wojciecha", "Stanisława", "Jana Chrzciciela", "Anny", "Michała Archanioła", "Jakuba"]
NA_REASONS = [
    "Zadanie realizuje inna instytucja w gminie.",
    "Nie dotyczy – w gminie nie ma takiej usługi.",
    "Zrealizowane wcześniej w ramach innego projektu.",
    "Instytucja nie prowadzi zajęć w tym zakresie.",
]
ACTIVITY_NOTES = [
    "Ustalone na posiedzeniu LSR.",
    "Czekamy na odpowiedź partnera.",
    "Termin przesunięty na prośbę instytucji.",
    "Materiały przekazane koordynatorowi KIS.",
]
MEETING_TOPICS = [
    "Sprawozdanie z realizacji zadań KIS",
    "Wyniki diagnozy potrzeb mieszkańców",
    "Harmonogram zajęć reintegracyjnych",
    "Przyjęcie nowych członków LSR",
    "Monitoring kart procedur",
    "Plan działań partnerstwa na kolejny kwartał",
]
RHYTHMS = ["raz na kwartał", "raz w miesiącu", "raz na dwa miesiące", "dwa razy w roku"]
ROLES_IN_PARTNERSHIP = [
    "udostępnienie sali na zajęcia",
    "prowadzenie warsztatów",
    "rekrutacja uczestników",
    "staże i praktyki zawodowe",
    "wsparcie doradcy zawodowego",
    "promocja działań partnerstwa",
]

# (type, kind, sector, name pattern, legal form, weight); {g} = gmina label, {w} = a word.
CATALOGUE = [
    (A, K.CIS, NGO, "Centrum Integracji Społecznej „{w}” – {g}", "jednostka stowarzyszenia", 2),
    (A, K.SOCIAL_ENTERPRISE, NGO, "Spółdzielnia Socjalna „{w}” – {g}", "spółdzielnia socjalna", 3),
    (A, K.NGO, NGO, "Stowarzyszenie na rzecz Reintegracji „{w}”", "stowarzyszenie", 2),
    (B, K.NGO, NGO, "Fundacja Pomocy Osobom Wykluczonym „{w}”", "fundacja", 3),
    (B, K.NGO, NGO, "Stowarzyszenie Pomocy Rodzinie „{w}”", "stowarzyszenie", 2),
    (B, K.SOCIAL_ASSISTANCE, PUBLIC, "Środowiskowy Dom Samopomocy „{w}” – {g}", "", 1),
    (C, K.EDUCATION, PUBLIC, "Szkoła Podstawowa nr {n} – {g}", "jednostka budżetowa", 4),
    (C, K.EDUCATION, PUBLIC, "Przedszkole Publiczne „{w}” – {g}", "jednostka budżetowa", 1),
    (C, K.CULTURE, PUBLIC, "Gminny Ośrodek Kultury – {g}", "instytucja kultury", 2),
    (C, K.CULTURE, PUBLIC, "Biblioteka Publiczna – {g}", "instytucja kultury", 2),
    (C, K.HEALTH, PUBLIC, "Samodzielny Publiczny Zakład Opieki Zdrowotnej – {g}", "SPZOZ", 1),
    (C, K.SPORT, NGO, "Ludowy Klub Sportowy „{w}”", "stowarzyszenie kultury fizycznej", 2),
    (C, K.BUSINESS, BUSINESS, "Przedsiębiorstwo Handlowo-Usługowe „{w}” sp. z o.o.", "", 3),
    (C, K.BUSINESS, BUSINESS, "Zakład Produkcyjny „{w}” s.c.", "spółka cywilna", 2),
    (C, K.BUSINESS, BUSINESS, "Gospodarstwo Agroturystyczne „{w}”", "", 1),
    (C, K.CHURCH, CHURCH, "Parafia Rzymskokatolicka pw. św. {s}", "kościelna osoba prawna", 1),
    (C, K.NGO, NGO, "Koło Gospodyń Wiejskich „{w}”", "koło gospodyń wiejskich", 2),
    (C, K.NGO, NGO, "Ochotnicza Straż Pożarna „{w}”", "stowarzyszenie", 2),
    (C, K.ADMINISTRATION, PUBLIC, "Urząd Gminy – {g}", "urząd", 1),
    (C, K.COUNCIL, PUBLIC, "Rada Gminy – {g}", "organ gminy", 1),
]
ONCE_PER_LSR = {"Gminny Ośrodek Kultury", "Biblioteka Publiczna", "Samodzielny", "Urząd", "Rada"}

VISIONS = [
    "{g} jest wspólnotą, w której każdy mieszkaniec – także zagrożony wykluczeniem – ma dostęp "
    "do pracy, wiedzy, kultury i wsparcia.",
    "Instytucje, organizacje i przedsiębiorcy z {g} działają razem na rzecz dobra wspólnego.",
]
MISSIONS = [
    "Łączymy zasoby instytucji samorządowych, organizacji pozarządowych i podmiotów ekonomii "
    "społecznej, aby przywracać mieszkańcom uczestnictwo w życiu zawodowym i społecznym.",
    "Partnersko i jawnie budujemy w gminie usługi reintegracji społecznej i zawodowej.",
]
GOALS = [
    "Rozwój usług reintegracji społecznej i zawodowej KIS we współpracy z partnerami.",
    "Tworzenie nowych miejsc pracy w sektorze ekonomii społecznej.",
    "Aktywizacja osób starszych oraz rozwój działalności kulturalno-sportowej.",
    "Rzetelna informacja dla mieszkańców o sposobach wsparcia.",
    "Pozyskanie wspólnych zasobów finansowych i nowych partnerów.",
]

# Survey answer material (questionnaire_lsr.yaml); combined into validated answer templates.
Q1_OPTIONS = [
    "Administracja",
    "Instytucja pomocy społecznej",
    "Instytucja edukacji i oświaty",
    "Instytucja kultury i dziedzictwa narodowego",
    "Instytucja ochrony i profilaktyki zdrowotnej",
    "Instytucja sportu i rekreacji",
    "Instytucja / podmiot gospodarczy",
    "Kościelna osoba prawna",
    "Organizacja pozarządowa",
    "Organ samorządu terytorialnego (rada gminy)",
    "Instytucja spoza gminy (wskaż jaka)",
]
SURVEY_ITEMS = {
    "goals": [
        "przeciwdziałanie bezrobociu",
        "wsparcie osób starszych",
        "integracja mieszkańców",
        "pomoc rodzinom w kryzysie",
    ],
    "projects": [
        "jarmark aktywności kobiet",
        "klub seniora",
        "warsztaty zawodowe",
        "festyn rodzinny",
        "spółdzielnia socjalna",
    ],
    "failures": ["brak środków", "słaba komunikacja", "brak lidera", "mała frekwencja"],
    "institutions": [
        "Gminny Ośrodek Pomocy Społecznej",
        "Powiatowy Urząd Pracy",
        "Szkoła Podstawowa",
        "Klub Integracji Społecznej",
        "Koło Gospodyń Wiejskich",
    ],
    "actions": [
        "wspólne projekty dla osób bezrobotnych",
        "zajęcia dla młodzieży",
        "doradztwo zawodowe",
        "wolontariat senioralny",
        "pomoc sąsiedzka",
    ],
    "statutory": [
        "działalność kulturalna",
        "edukacja",
        "pomoc społeczna",
        "sport i rekreacja",
        "ochrona zdrowia",
    ],
    "areas": ["zajęcia dla seniorów", "staże zawodowe", "udostępnienie sali", "szkolenia"],
    "topics": [
        "Warsztaty z zakresu edukacji obywatelskiej",
        "Warsztaty prozdrowotne dla seniorów",
        "Warsztaty ogólnorozwojowe dla młodzieży 12–16 lat",
        "Aktywność mieszkańców w tworzeniu lokalnej polityki społecznej",
        "Przeciwdziałanie uzależnieniom",
    ],
}
SURVEY_TEXTS = {
    "not_signatory": [
        "nie zostaliśmy zaproszeni do podpisania porozumienia",
        "decyzja zarządu jeszcze nie zapadła",
    ],
    "no_partnership": ["w gminie działają już inne formy współpracy", "brak zainteresowania"],
    "cannot_join": ["brak wolnych zasobów kadrowych", "inny profil działalności"],
    "features": [
        "otwartość, zaufanie i jasny podział zadań",
        "regularne spotkania i dobra komunikacja",
        "równość partnerów i wspólne cele",
    ],
}


# --- helpers ---------------------------------------------------------------------------------


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def _bulk(model: type[models.Model], objects: Iterable, batch_size: int = BATCH) -> int:
    """bulk_create an iterable in batches without holding it all in memory; returns the count."""
    iterator = iter(objects)
    total = 0
    while chunk := list(itertools.islice(iterator, batch_size)):
        model.objects.bulk_create(chunk, batch_size=batch_size)
        total += len(chunk)
    return total


def _bulk_keep(model: type[models.Model], objects: list) -> list:
    """bulk_create keeping the objects (PostgreSQL returns their primary keys)."""
    model.objects.bulk_create(objects, batch_size=BATCH)
    return objects


def _gmina_label(gmina: Gmina) -> str:
    prefix = {"1": "miasto", "2": "gmina", "3": "gmina miejsko-wiejska"}.get(gmina.kind, "gmina")
    return f"{prefix} {gmina.name}"


def _random_day(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


# --- the plan of one LSR ---------------------------------------------------------------------


@dataclass
class MemberPlan:
    org: Organisation
    role: str = MemberRole.MEMBER
    joined_on: date | None = None
    left_on: date | None = None
    contact: ContactPerson | None = None
    membership: Membership | None = None
    is_ops: bool = False
    shared: bool = False  # a supra-local organisation (the county PUP) joining several LSRs


@dataclass
class LsrPlan:
    gmina: Gmina
    rng: random.Random
    founded_on: date
    maturity: float
    signed: str  # agreement status of the task partnership
    network: Network | None = None
    members: list[MemberPlan] = field(default_factory=list)
    main: MemberPlan | None = None
    ops: MemberPlan | None = None
    contacts: list[ContactPerson] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0


class _Phases:
    def __init__(self, report: Report, log: Callable[[str], None]):
        self.report = report
        self.log = log

    def run(self, name: str, func: Callable[[], int | None]):
        started = time.perf_counter()
        rows = func()
        elapsed = time.perf_counter() - started
        self.report.timings[name] = elapsed
        if rows is not None:
            self.report.counts[name] = rows
        suffix = f"{rows:>9,} rows" if rows is not None else ""
        self.log(f"  {name:<28} {elapsed:8.2f} s {suffix}".rstrip())


# --- deletion (--replace) --------------------------------------------------------------------


def _delete_where(model: type[models.Model], where: str, params: list, _path=()) -> None:
    """Delete rows of `model` matching `where` with SQL, following the cascades of the model's
    relations (CASCADE: delete the children first, SET_NULL: clear the reference; PROTECT and
    DO_NOTHING are left to the database, whose deferred foreign keys check them at commit).
    Django's collector would load every row and write an audit record for each; this does not."""
    meta = model._meta
    qn = connection.ops.quote_name
    selection = f"SELECT {qn(meta.pk.column)} FROM {qn(meta.db_table)} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        for rel in meta.get_fields(include_hidden=True):
            if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
                continue
            child = rel.related_model
            column = qn(rel.field.column)
            child_where = f"{column} IN ({selection})"
            if rel.on_delete is models.CASCADE and child not in _path:
                _delete_where(child, child_where, params, (*_path, model))
            elif rel.on_delete is models.SET_NULL:
                cursor.execute(
                    f"UPDATE {qn(child._meta.db_table)} SET {column} = NULL WHERE {child_where}",  # noqa: S608
                    params,
                )
        cursor.execute(f"DELETE FROM {qn(meta.db_table)} WHERE {where}", params)  # noqa: S608


def delete_dataset() -> tuple[int, int]:
    """Remove every LSR (with all its data) and the organisations this generator made."""
    networks = Network.objects.filter(tier=Tier.LSR).count()
    _delete_where(Network, "tier = %s", [Tier.LSR.value])
    membership_table = connection.ops.quote_name(Membership._meta.db_table)
    org_table = connection.ops.quote_name(Organisation._meta.db_table)
    where = (
        f"email LIKE %s AND NOT EXISTS (SELECT 1 FROM {membership_table} m "  # noqa: S608
        f"WHERE m.organisation_id = {org_table}.id)"
    )
    generated = Organisation.objects.filter(email__endswith=f"@{SYNTHETIC_DOMAIN}")
    before = generated.count()
    _delete_where(Organisation, where, [f"%@{SYNTHETIC_DOMAIN}"])
    return networks, before - generated.count()


# --- the generator ---------------------------------------------------------------------------


class NationalDataset:
    def __init__(
        self,
        *,
        gminas: int | None = None,
        members: int = 30,
        responses: int = 100,
        seed: int = 1,
        log: Callable[[str], None] = print,
    ):
        self.gmina_limit = gminas
        self.members = max(4, members)
        self.responses = max(0, responses)
        self.seed = seed
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.plans: list[LsrPlan] = []
        self.templates: dict[int, CardTemplate] = {}
        self.template_activities: dict[int, list[tuple[int, str]]] = {}
        self.card_rows: list[tuple[Card, LsrPlan, MemberPlan]] = []
        self.pups: dict[str, MemberPlan] = {}

    def _at(self, day: date, hour: int = 12, minute: int = 0) -> datetime:
        moment = datetime.combine(day, dtime(hour, minute), tzinfo=self.tz)
        return min(moment, self.now)

    # -- prerequisites

    def prerequisites(self) -> None:
        if not Gmina.objects.exists():
            self.log("  the TERYT register is empty: loading it")
            teryt_load()
        if CardTemplate.objects.filter(is_current=True).count() < 13:
            card_templates_load()
        current = CardTemplate.objects.filter(is_current=True).prefetch_related("activities")
        self.templates = {t.number: t for t in current}
        self.template_activities = {
            number: [(a.position, a.text) for a in t.activities.all()]
            for number, t in self.templates.items()
        }
        self.questionnaire = questionnaire_load_default()
        self.schema = schema_of(self.questionnaire)

    # -- phases

    def networks(self) -> int:
        gminas = Gmina.objects.select_related("county__voivodeship").order_by("code")
        if self.gmina_limit is not None:
            gminas = gminas[: self.gmina_limit]
        gminas = list(gminas)
        rsrs = {}
        for gmina in gminas:
            voivodeship = gmina.county.voivodeship
            if voivodeship.code not in rsrs:
                rsrs[voivodeship.code] = rsr_ensure(voivodeship=voivodeship)
        networks = []
        for gmina in gminas:
            rng = random.Random(f"{self.seed}:{gmina.code}")
            founded_on = self.today - timedelta(days=rng.randint(45, 9 * 365))
            age = (self.today - founded_on).days / 365
            maturity = _clamp(age / 6 + rng.uniform(-0.25, 0.25), 0.02, 0.98)
            roll = rng.random()
            signed = (
                AgreementStatus.SIGNED
                if roll < 0.70
                else AgreementStatus.CONSULTATION
                if roll < 0.85
                else AgreementStatus.DRAFT
            )
            plan = LsrPlan(
                gmina=gmina, rng=rng, founded_on=founded_on, maturity=maturity, signed=signed
            )
            label = _gmina_label(gmina)
            if signed == AgreementStatus.SIGNED:
                stage = rng.choices(
                    [Stage.AGREEMENT, Stage.OPERATING, Stage.EVALUATED],
                    weights=[1.2 - maturity, 1.0, maturity],
                )[0]
            else:
                stage = rng.choice([Stage.INITIATION, Stage.WORKING_GROUP])
            administrative = rng.random() < 0.6
            act_date = founded_on - timedelta(days=rng.randint(5, 40))
            goals = rng.sample(GOALS, rng.randint(2, 4))
            plan.network = Network(
                tier=Tier.LSR,
                name=f"Lokalna Sieć Reintegracji – {label}",
                gmina_id=gmina.pk,
                teryt_code=gmina.code,
                parent_id=rsrs[gmina.code[:2]].pk,
                variant=Variant.ADMINISTRATIVE if administrative else Variant.CIVIC,
                act_kind=rng.choice(list(ActKind)) if administrative else "",
                act_number=(
                    f"{rng.choice(['XII', 'XX', 'XXIV', 'VII'])}/{rng.randint(10, 250)}"
                    f"/{act_date.year}"
                    if administrative
                    else ""
                ),
                act_date=act_date if administrative else None,
                initiators=(
                    ""
                    if administrative
                    else f"Liderzy lokalni: {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}, "
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                ),
                stage=stage,
                vision=rng.choice(VISIONS).format(g=label.capitalize()),
                mission=rng.choice(MISSIONS),
                main_goal="Wspieranie rozwoju lokalnego dla ograniczenia bezrobocia i ubóstwa.",
                specific_goals="\n".join(goals),
                legal_form=(
                    LegalForm.AGREEMENT if signed == AgreementStatus.SIGNED else LegalForm.INFORMAL
                ),
                seat=gmina.name,
                meeting_rhythm=rng.choice(RHYTHMS),
                founded_on=founded_on,
            )
            networks.append(plan.network)
            self.plans.append(plan)
        _bulk_keep(Network, networks)
        return len(networks)

    def hub_tasks(self) -> int:
        def rows():
            for plan in self.plans:
                for kind in HubTaskKind:
                    roll = plan.rng.random() - plan.maturity * 0.6
                    status = (
                        TaskStatus.DONE
                        if roll < 0.0
                        else TaskStatus.IN_PROGRESS
                        if roll < 0.45
                        else TaskStatus.TODO
                    )
                    yield HubTask(network_id=plan.network.pk, kind=kind, status=status)

        return _bulk(HubTask, rows())

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
            label = _gmina_label(plan.gmina)
            size = max(4, round(self.members * rng.uniform(0.8, 1.2)))
            no_kis = rng.random() < 0.10
            no_ops = rng.random() < 0.03
            no_c = rng.random() < 0.06
            no_business = rng.random() < 0.12
            k = itertools.count(1)

            def add(type_, kind, sector, name, legal="", plan=plan, k=k, **extra):
                org = self._organisation(plan, next(k), type_, kind, sector, name, legal)
                created.append(org)
                member = MemberPlan(org=org, **extra)
                plan.members.append(member)
                return member

            if not no_kis:
                sector = rng.choice([NGO, NGO, PUBLIC])
                plan.main = add(
                    A,
                    K.KIS,
                    sector,
                    f"Klub Integracji Społecznej – {label}",
                    "jednostka prowadzona przez stowarzyszenie" if sector == NGO else "",
                    role=MemberRole.MAIN_NODE,
                )
            if not no_ops:
                plan.ops = add(
                    B,
                    K.SOCIAL_ASSISTANCE,
                    PUBLIC,
                    f"Ośrodek Pomocy Społecznej – {label}",
                    "gminna jednostka budżetowa",
                    is_ops=True,
                )
            if plan.main is None:
                # no KIS: the OPS or a reintegration NGO runs the LSR (the conditions panel warns)
                if plan.ops is not None and rng.random() < 0.6:
                    plan.main = plan.ops
                    plan.ops.role = MemberRole.MAIN_NODE
                else:
                    plan.main = add(
                        A,
                        K.NGO,
                        NGO,
                        f"Stowarzyszenie Aktywni Razem „{rng.choice(WORDS)}”",
                        "stowarzyszenie",
                        role=MemberRole.MAIN_NODE,
                    )
            county = plan.gmina.county
            if rng.random() < 0.6:
                pup = self.pups.get(county.code)
                if pup is None:
                    org = self._organisation(
                        plan,
                        next(k),
                        B,
                        K.LABOUR_OFFICE,
                        PUBLIC,
                        f"Powiatowy Urząd Pracy – {county.name}",
                        "powiatowa jednostka organizacyjna",
                    )
                    org.operating_scope = OperatingScope.COUNTY
                    org.email = f"pup.{county.code}@{SYNTHETIC_DOMAIN}"
                    created.append(org)
                    pup = self.pups[county.code] = MemberPlan(org=org, shared=True)
                plan.members.append(MemberPlan(org=pup.org, shared=True))
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
                add(type_, kind, sector, name, legal)
        _bulk_keep(Organisation, created)
        return len(created)

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

    def cards(self) -> int:
        """Cards 1–5 (main node), 6–10 (the OPS), 11–13 (each type C member)."""
        cards = []
        for plan in self.plans:
            wanted: list[tuple[int, MemberPlan]] = [(n, plan.main) for n in MAIN_NODE_CARDS]
            if plan.ops is not None:
                wanted += [(n, plan.ops) for n in TYPE_B_CARDS]
            for member in plan.members:
                if member.org.stakeholder_type == C:
                    wanted += [(n, member) for n in TYPE_C_CARDS]
            for number, member in wanted:
                template = self.templates[number]
                opened = plan.founded_on if number in MAIN_NODE_CARDS else member.joined_on
                card = Card(
                    network_id=plan.network.pk,
                    template_id=template.pk,
                    number=number,
                    title=template.title,
                    organisation_id=member.org.pk,
                    responsible_id=member.contact.pk if plan.rng.random() < 0.7 else None,
                    opened_at=self._at(opened, 9, 0),
                )
                cards.append(card)
                self.card_rows.append((card, plan, member))
        self._card_states()
        _bulk_keep(Card, cards)
        return len(cards)

    def _card_states(self) -> None:
        """Decide each card's activities (kept on the card object until the activities phase)
        and set the card's status and completion consistently with them."""
        for card, plan, member in self.card_rows:
            rng = plan.rng
            steps = self.template_activities[card.number]
            if card.number in MAIN_NODE_CARDS:
                order = card.number - 1
            elif card.number in TYPE_B_CARDS:
                order = card.number - 5
            else:
                order = card.number - 10 + rng.uniform(0, 2)
            progress = _clamp(plan.maturity * 1.7 - order * 0.17 + rng.uniform(-0.3, 0.3))
            done_count = round(progress * len(steps))
            start = timezone.localdate(card.opened_at)
            limit = member.left_on or self.today
            day = start
            activities = []
            for position, text in steps:
                status, done_date, planned, reason = ActivityStatus.TODO, None, None, ""
                if position <= done_count:
                    if rng.random() < 0.05:
                        status, reason = ActivityStatus.NOT_APPLICABLE, rng.choice(NA_REASONS)
                    else:
                        day = min(day + timedelta(days=rng.randint(3, 45)), limit)
                        status, done_date = ActivityStatus.DONE, day
                        if rng.random() < 0.5:
                            planned = done_date - timedelta(days=rng.randint(-10, 20))
                elif position == done_count + 1 and rng.random() < 0.6:
                    status = ActivityStatus.IN_PROGRESS
                if status in (ActivityStatus.TODO, ActivityStatus.IN_PROGRESS):
                    if rng.random() < 0.7:
                        planned = self.today + timedelta(days=rng.randint(-90, 120))
                    if rng.random() < 0.03:
                        status, reason = ActivityStatus.NOT_APPLICABLE, rng.choice(NA_REASONS)
                activities.append([position, text, status, reason, planned, done_date])
            closed = all(a[2] in CLOSED_ACTIVITY for a in activities)
            completed = closed and rng.random() < 0.85
            if member.left_on is not None and card.number in TYPE_C_CARDS and not completed:
                # the member left: the service closes the card's open activities as not
                # applicable and sets the card not applicable (a completed card stays done)
                for activity in activities:
                    if activity[2] not in CLOSED_ACTIVITY:
                        activity[2], activity[3] = ActivityStatus.NOT_APPLICABLE, LEFT_REASON
                card.status = CardStatus.NOT_APPLICABLE
            else:
                card.status = derive_card_status([a[2] for a in activities], completed)
            if completed:
                last = max((a[5] for a in activities if a[5]), default=start)
                card.completed_at = self._at(last, 15, rng.randint(0, 59))
            card._planned_activities = activities

    def activities(self) -> int:
        def rows():
            for card, plan, _member in self.card_rows:
                rng = plan.rng
                for position, text, status, reason, planned, done_date in card._planned_activities:
                    version = 1 + (status != ActivityStatus.TODO) + (planned is not None)
                    yield Activity(
                        card_id=card.pk,
                        position=position,
                        text=text,
                        status=status,
                        not_applicable_reason=reason,
                        planned_date=planned,
                        done_date=done_date,
                        notes=rng.choice(ACTIVITY_NOTES) if rng.random() < 0.1 else "",
                        version=version,
                    )
                del card._planned_activities

        return _bulk(Activity, rows())

    def meetings(self) -> int:
        meetings = []
        for plan in self.plans:
            rng = plan.rng
            count = min(6, int(plan.maturity * 5 + rng.random() * 1.5))
            for _ in range(count):
                future = rng.random() < 0.12
                day = (
                    self.today + timedelta(days=rng.randint(3, 60))
                    if future
                    else _random_day(rng, plan.founded_on, self.today - timedelta(days=1))
                )
                topics = rng.sample(MEETING_TOPICS, 3)
                meeting = Meeting(
                    network_id=plan.network.pk,
                    held_at=datetime.combine(day, dtime(rng.choice([10, 12, 15]), 0), self.tz),
                    place=f"sala konferencyjna – {plan.gmina.name}",
                    agenda="\n".join(f"{i}. {t}" for i, t in enumerate(topics, 1)),
                    minutes="" if future else f"Omówiono: {topics[0].lower()}.",
                    decisions="" if future else f"Przyjęto: {topics[1].lower()}.",
                )
                plan.meetings.append(meeting)
                meetings.append(meeting)
        _bulk_keep(Meeting, meetings)
        through = Meeting.attendees.through

        def attendance():
            for plan in self.plans:
                present = [m.contact.pk for m in plan.members if m.left_on is None]
                for meeting in plan.meetings:
                    if meeting.minutes:
                        for contact_id in plan.rng.sample(present, min(len(present), 6)):
                            yield through(meeting_id=meeting.pk, contactperson_id=contact_id)

        _bulk(through, attendance())
        return len(meetings)

    def monitoring_terms(self) -> int:
        def rows():
            for plan in self.plans:
                rng = plan.rng
                count = rng.randint(0, 4) if plan.maturity > 0.2 else rng.randint(0, 1)
                due = plan.founded_on + timedelta(days=rng.randint(60, 120))
                past_meetings = sorted(
                    (m for m in plan.meetings if m.minutes), key=lambda m: m.held_at
                )
                for _ in range(count):
                    presented = None
                    if due < self.today and rng.random() < 0.4:
                        presented = next(
                            (m for m in past_meetings if m.held_at.date() >= due), None
                        )
                    yield MonitoringTerm(
                        network_id=plan.network.pk,
                        due_date=due,
                        scope="Liczba uczestników zajęć, zrealizowane działania, potrzeby.",
                        presented_at_id=presented.pk if presented else None,
                    )
                    due += timedelta(days=rng.randint(80, 190))

        return _bulk(MonitoringTerm, rows())

    def partnerships(self) -> int:
        partnerships, partners = [], []
        for plan in self.plans:
            rng = plan.rng
            starts = plan.founded_on + timedelta(days=rng.randint(10, 120))
            signed_on = None
            if plan.signed == AgreementStatus.SIGNED:
                signed_on = min(starts, self.today)
                starts = signed_on
            partnership = Partnership(
                network_id=plan.network.pk,
                name=f"Partnerstwo na rzecz reintegracji – {_gmina_label(plan.gmina)}",
                goal="Wspólne zajęcia reintegracji społecznej i zawodowej dla mieszkańców.",
                leader_id=plan.main.org.pk,
                starts_on=starts,
                ends_on=starts + timedelta(days=rng.choice([730, 1095, 1460])),
                agreement_status=plan.signed,
                signed_on=signed_on,
            )
            partnerships.append(partnership)
            active = [m for m in plan.members if m.left_on is None and m is not plan.main]
            chosen = [plan.main, *rng.sample(active, min(len(active), rng.randint(2, 6)))]
            for member in chosen:
                kind = rng.choice(list(ContributionKind))
                amount = None
                if kind == ContributionKind.FUNDS:
                    amount = Decimal(rng.randint(5, 200) * 500)
                elif kind == ContributionKind.STAFF_HOURS:
                    amount = Decimal(rng.randint(10, 400))
                partners.append(
                    (
                        partnership,
                        PartnershipMember(
                            organisation_id=member.org.pk,
                            role=(
                                "lider partnerstwa"
                                if member is plan.main
                                else rng.choice(ROLES_IN_PARTNERSHIP)
                            ),
                            contribution_kind=kind,
                            contribution=f"{ContributionKind(kind).label} na potrzeby LSR",
                            amount=amount,
                        ),
                    )
                )
        _bulk_keep(Partnership, partnerships)
        for partnership, partner in partners:
            partner.partnership_id = partnership.pk
        self.report_extra["partnership partners"] = _bulk(
            PartnershipMember, (p for _, p in partners)
        )
        return len(partnerships)

    def _answer_pool(self, size: int = 240) -> list[dict]:
        """Answer templates validated by the survey engine, so Response.data has its format."""
        rng = random.Random(f"{self.seed}:answers")
        items = SURVEY_ITEMS
        pool = []
        while len(pool) < size:
            raw: dict = {"q1": rng.sample(Q1_OPTIONS, rng.choice([1, 1, 1, 2]))}
            if any("wskaż" in o for o in raw["q1"]):
                raw["q1_other"] = "Powiatowe Centrum Pomocy Rodzinie"

            def listed(prefix: str, key: str, at_least: int = 1, raw=raw) -> None:
                for i, text in enumerate(rng.sample(items[key], rng.randint(at_least, 3)), 1):
                    raw[f"{prefix}{i}"] = text

            raw["q2"] = rng.choice(["yes", "yes", "no"])
            if raw["q2"] == "yes":
                listed("q2_f", "goals")
                raw["q3"] = rng.choice(["yes", "no"])
                if raw["q3"] == "no":
                    raw["q3_f"] = rng.choice(SURVEY_TEXTS["not_signatory"])
                raw["q4"] = rng.choice(["yes", "yes", "no"])
                listed("q4_f", "projects" if raw["q4"] == "yes" else "failures")
            raw["q5"] = rng.choice(["yes", "yes", "yes", "no"])
            if raw["q5"] == "yes":
                listed("q5_f", "institutions")
            else:
                raw["q5_f"] = rng.choice(SURVEY_TEXTS["no_partnership"])
            listed("q6_", "actions")
            raw["q7"] = rng.choice(["yes", "no"])
            listed("q8_", "statutory")
            raw["q9"] = rng.choice(["yes", "yes", "no"])
            if raw["q9"] == "yes":
                listed("q9_f", "areas")
            else:
                raw["q9_f"] = rng.choice(SURVEY_TEXTS["cannot_join"])
            raw["q10"] = rng.choice(SURVEY_TEXTS["features"])
            listed("q11_", "topics")
            result = engine.validate(self.schema, raw)
            if result.is_valid:
                pool.append({"asked": result.asked, "answers": result.answers})
        return pool

    def surveys(self) -> int:
        """One launched campaign per LSR on the default questionnaire, with its responses."""
        campaigns = []
        for plan in self.plans:
            rng = plan.rng
            still_open = rng.random() < 0.1
            if still_open:
                opens = self.today - timedelta(days=rng.randint(1, 10))
            else:
                opens = _random_day(
                    rng, plan.founded_on, max(plan.founded_on, self.today - timedelta(days=30))
                )
            opens_at = datetime.combine(opens, dtime(8, 0), self.tz)
            campaign = Campaign(
                network_id=plan.network.pk,
                questionnaire_id=self.questionnaire.pk,
                title=f"Diagnoza partnerskiej współpracy – {_gmina_label(plan.gmina)}",
                audience=rng.choice(list(Audience)),
                opens_at=opens_at,
                closes_at=opens_at + timedelta(days=rng.choice([7, 14, 21]), hours=8),
                anonymous=True,
                schema=self.schema,
                launched_at=opens_at - timedelta(days=1),
            )
            campaign._rng = rng
            campaigns.append(campaign)
        _bulk_keep(Campaign, campaigns)
        self.report_extra["survey campaigns"] = len(campaigns)
        pool = self._answer_pool()

        def rows():
            for campaign in campaigns:
                rng = campaign._rng
                first = campaign.opens_at.date()
                last = min(campaign.closes_at.date(), self.today)
                for _ in range(self.responses):
                    roll = rng.random()
                    yield Response(
                        campaign_id=campaign.pk,
                        channel=(
                            Channel.ONLINE
                            if roll < 0.75
                            else Channel.EMAIL
                            if roll < 0.9
                            else Channel.PAPER
                        ),
                        data=pool[rng.randrange(len(pool))],
                        submitted_on=_random_day(rng, first, last),
                    )

        return _bulk(Response, rows())

    # -- all of it

    def run(self) -> Report:
        report = Report()
        self.report_extra = report.counts
        phases = _Phases(report, self.log)
        started = time.perf_counter()
        with transaction.atomic():
            phases.run("prerequisites", self.prerequisites)
            phases.run("networks (LSR)", self.networks)
            phases.run("KIS hub tasks", self.hub_tasks)
            phases.run("organisations", self.organisations)
            phases.run("contact persons", self.contacts)
            phases.run("memberships", self.memberships)
            phases.run("cards", self.cards)
            phases.run("activities", self.activities)
            phases.run("meetings", self.meetings)
            phases.run("monitoring terms", self.monitoring_terms)
            phases.run("task partnerships", self.partnerships)
            phases.run("survey responses", self.surveys)
            commit_started = time.perf_counter()
        report.timings["commit"] = time.perf_counter() - commit_started
        started_analyze = time.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics for the dashboards
        report.timings["analyze"] = time.perf_counter() - started_analyze
        self.log(f"  {'commit':<28} {report.timings['commit']:8.2f} s")
        self.log(f"  {'analyze':<28} {report.timings['analyze']:8.2f} s")
        report.total_seconds = time.perf_counter() - started
        return report


def generate(
    *,
    gminas: int | None = None,
    members: int = 30,
    responses: int = 100,
    seed: int = 1,
    replace: bool = False,
    log: Callable[[str], None] = print,
) -> Report:
    """Build the data set; refuses (DatasetExists) when LSRs exist, unless `replace`."""
    started = time.perf_counter()
    existing = Network.objects.filter(tier=Tier.LSR).count()
    deleted_seconds = 0.0
    if existing:
        if not replace:
            raise DatasetExists(
                f"The database already has {existing} LSR(s). Run with --replace to delete every "
                "LSR (with its members' cards, meetings, partnerships and surveys) and the "
                "organisations this generator made, then build the data set again."
            )
        with transaction.atomic():
            networks, organisations = delete_dataset()
        deleted_seconds = time.perf_counter() - started
        log(
            f"  {'--replace: deleted':<28} {deleted_seconds:8.2f} s "
            f"({networks} LSRs, {organisations} generated organisations)"
        )
    report = NationalDataset(
        gminas=gminas, members=members, responses=responses, seed=seed, log=log
    ).run()
    if deleted_seconds:
        report.timings["delete (--replace)"] = deleted_seconds
    report.total_seconds = time.perf_counter() - started
    return report
