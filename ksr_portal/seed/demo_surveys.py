"""Demo survey data of the Żmudź LSR: the 2017 evaluation's three respondent groups, with answers
shaped so that the results resemble the seed's figures (e.g. 86% of institutions know the
partnership; 60% propose civic-education workshops), and a few interviews. Persons are invented."""

import itertools
from datetime import date, datetime

from django.utils import timezone

from networks.models import Network
from surveys.models import (
    AgeBand,
    Audience,
    Campaign,
    Channel,
    CodeCategory,
    Coding,
    Gender,
    Interview,
    InterviewGuide,
    InterviewKind,
    Participant,
    ParticipantRole,
    Response,
)
from surveys.services import campaigns as services_campaigns
from surveys.services import responses as services

Q1_OPTIONS = [
    "Administracja",
    "Instytucja pomocy społecznej",
    "Instytucja edukacji i oświaty",
    "Instytucja kultury i dziedzictwa narodowego",
    "Instytucja ochrony i profilaktyki zdrowotnej",
    "Organizacja pozarządowa",
    "Instytucja / podmiot gospodarczy",
]
TOPICS = {
    "Warsztaty z zakresu edukacji obywatelskiej": 0.60,
    "Warsztaty prozdrowotne dla seniorów": 0.45,
    "Warsztaty ogólnorozwojowe dla młodzieży 12–16 lat": 0.40,
    "Aktywność mieszkańców w tworzeniu lokalnej polityki społecznej": 0.35,
}


def _flag(i: int, n: int, share: float) -> bool:
    """Deterministic: the first round(share * n) respondents get the flag."""
    return i < round(share * n)


def _answers(i: int, n: int, *, know_share: float) -> dict:
    knows = _flag(i, n, know_share)
    topics = [t for k, (t, share) in enumerate(TOPICS.items()) if _flag((i + k * 3) % n, n, share)]
    raw = {
        "q1": [Q1_OPTIONS[i % len(Q1_OPTIONS)]],
        "q2": "yes" if knows else "no",
        "q5": "yes",
        "q5_f1": "Gminny Ośrodek Pomocy Społecznej",
        "q5_f2": "Spółdzielnia Socjalna „Dębowy Las”",
        "q6_1": "wspólne projekty dla osób bezrobotnych",
        "q6_2": "jarmark aktywności kobiet",
        "q7": "yes" if i % 3 else "no",
        "q8_1": "działalność statutowa w obszarze "
        + ["kultury", "edukacji", "pomocy społecznej"][i % 3],
        "q9": "yes" if i % 4 else "no",
        "q10": "otwartość, zaufanie i jasny podział zadań",
    }
    if raw["q9"] == "yes":
        raw["q9_f1"] = "zajęcia dla seniorów"
    else:
        raw["q9_f"] = "brak wolnych zasobów kadrowych"
    if knows:
        raw.update(
            {"q2_f1": "przeciwdziałanie bezrobociu", "q3": "yes" if i % 2 else "no", "q4": "yes"}
        )
        raw["q4_f1"] = "Jarmark aktywności kobiet"
        if raw["q3"] == "no":
            raw["q3_f"] = "nie zostaliśmy zaproszeni do podpisania porozumienia"
    for k, topic in enumerate((topics or ["Warsztaty z zakresu edukacji obywatelskiej"])[:3], 1):
        raw[f"q11_{k}"] = topic
    return raw


GROUPS = [
    (Audience.INSTITUTIONS, "Ewaluacja 2017 – instytucje lokalnego środowiska", 14, 0.86),
    (Audience.MEMBERS, "Ewaluacja 2017 – członkowie Partnerstwa", 10, 1.0),
    (Audience.RESIDENTS, "Ewaluacja 2017 – mieszkańcy", 20, 0.6),
]


def load_demo_surveys(network: Network) -> bool:
    if Campaign.objects.filter(network=network).exists():
        return False
    questionnaire = services.questionnaire_load_default()
    tz = timezone.get_current_timezone()
    for audience, title, size, know_share in GROUPS:
        campaign = Campaign.objects.create(
            network=network,
            questionnaire=questionnaire,
            title=title,
            audience=audience,
            opens_at=datetime(2017, 10, 2, 8, 0, tzinfo=tz),
            closes_at=datetime(2017, 10, 9, 16, 0, tzinfo=tz),
        )
        campaign = services_campaigns.campaign_record_past(campaign=campaign)
        for i in range(size):
            services.response_submit(
                campaign=campaign,
                raw=_answers(i, size, know_share=know_share),
                submission_key=f"demo-{campaign.pk}-{i}",
                channel=Channel.PAPER if i % 5 == 0 else Channel.ONLINE,
                check_open=False,
            )
        Response.objects.filter(campaign=campaign).update(submitted_on=date(2017, 10, 5))
        categories = {
            name: CodeCategory.objects.create(campaign=campaign, field="q11", name=name)
            for name in TOPICS
        }
        codings = []
        for response in Response.objects.filter(campaign=campaign):
            for item, text in enumerate(response.data["answers"].get("q11", [])):
                if text in categories:
                    codings.append(
                        Coding(response=response, field="q11", item=item, category=categories[text])
                    )
        Coding.objects.bulk_create(codings)
    _interviews(network)
    return True


IDI_PEOPLE = [
    (
        "Klub Integracji Społecznej w Żmudzi",
        [
            ("Joanna Przykładowa-Nowik", ParticipantRole.MANAGER),
            ("Piotr Wzorowski", ParticipantRole.SUBSTANTIVE),
        ],
    ),
    ("Gminne Centrum Kultury w Żmudzi", [("Alicja Fikcyjna", ParticipantRole.MANAGER)]),
    (
        "Szkoła Podstawowa w Żmudzi",
        [
            ("Robert Próbny", ParticipantRole.MANAGER),
            ("Monika Testowa", ParticipantRole.SUBSTANTIVE),
        ],
    ),
]


def _guide() -> InterviewGuide:
    try:
        from surveys.services.interviews import guide_load_default
    except ImportError:  # the interviews module is optional for the demo
        guide_load_default = None
    if guide_load_default:
        return guide_load_default()
    guide, _created = InterviewGuide.objects.get_or_create(
        is_default=True,
        kind=InterviewKind.IDI,
        defaults={"title": "Scenariusz wywiadu IDI", "parts": []},
    )
    return guide


def _interviews(network: Network) -> None:
    guide = _guide()
    members = {
        m.organisation.name: m.organisation
        for m in network.memberships.select_related("organisation")
    }
    genders = itertools.cycle([Gender.FEMALE, Gender.MALE])
    for k, (org_name, people) in enumerate(IDI_PEOPLE):
        for name, role in people:
            interview = Interview.objects.create(
                network=network,
                guide=guide,
                kind=InterviewKind.IDI,
                organisation=members.get(org_name),
                moderator="Zespół Badawczy LSR",
                held_on=date(2017, 10, 10 + k),
                duration_minutes=50,
                consent_recorded=True,
                summary="Respondent zna Partnerstwo i wskazuje na potrzebę wspólnych zasobów finansowych.",
            )
            Participant.objects.create(
                interview=interview,
                name=name,
                gender=next(genders),
                age_band=AgeBand.B41_60,
                position="dyrektor" if role == ParticipantRole.MANAGER else "specjalista",
                years_in_gmina=15,
                role=role,
            )
    fgi = Interview.objects.create(
        network=network,
        guide=guide,
        kind=InterviewKind.FGI,
        moderator="Zespół Badawczy LSR",
        held_on=date(2017, 10, 16),
        duration_minutes=90,
        consent_recorded=True,
        summary="Mieszkańcy cenią festyny i kontakt z pracownikami GOPS; oczekują zajęć dla seniorów.",
    )
    for i in range(7):
        Participant.objects.create(
            interview=fgi,
            name=f"Uczestnik FGI {i + 1}",
            gender=next(genders),
            age_band=[AgeBand.B26_40, AgeBand.B41_60, AgeBand.OVER_60][i % 3],
            position="mieszkaniec",
            years_in_gmina=10 + i,
            role=ParticipantRole.RESIDENT,
        )
