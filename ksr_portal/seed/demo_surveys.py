"""Demo survey data of the Żmudź LSR: a few interviews, and the 2017 evaluation study (three
respondent groups whose shares equal the seed's figures, ``study_zmudz``). Persons are invented."""

import itertools
from datetime import date

from ksr_portal.seed.datafiles import load_yaml
from ksr_portal.seed.study_zmudz import load_study
from networks.models import Network
from surveys.models import (
    AgeBand,
    Campaign,
    Gender,
    Interview,
    InterviewGuide,
    InterviewKind,
    Participant,
    ParticipantRole,
)

DATA = load_yaml("demo_surveys.yaml")
Q1_OPTIONS = DATA["q1_options"]
TOPICS = DATA["topics"]
TEXTS = DATA["answers"]


def _flag(i: int, n: int, share: float) -> bool:
    """Deterministic: the first round(share * n) respondents get the flag."""
    return i < round(share * n)


def _answers(i: int, n: int, *, know_share: float) -> dict:
    """ANKIETA answers shaped like the seed's figures (used by tests to build campaigns)."""
    knows = _flag(i, n, know_share)
    topics = [t for k, (t, share) in enumerate(TOPICS.items()) if _flag((i + k * 3) % n, n, share)]
    raw = {
        "q1": [Q1_OPTIONS[i % len(Q1_OPTIONS)]],
        "q2": "yes" if knows else "no",
        "q5": "yes",
        "q5_f1": TEXTS["q5_f1"],
        "q5_f2": TEXTS["q5_f2"],
        "q6_1": TEXTS["q6_1"],
        "q6_2": TEXTS["q6_2"],
        "q7": "yes" if i % 3 else "no",
        "q8_1": TEXTS["q8_1"] + DATA["q8_areas"][i % 3],
        "q9": "yes" if i % 4 else "no",
        "q10": TEXTS["q10"],
    }
    if raw["q9"] == "yes":
        raw["q9_f1"] = TEXTS["q9_f1"]
    else:
        raw["q9_f"] = TEXTS["q9_f"]
    if knows:
        raw.update({"q2_f1": TEXTS["q2_f1"], "q3": "yes" if i % 2 else "no", "q4": "yes"})
        raw["q4_f1"] = TEXTS["q4_f1"]
        if raw["q3"] == "no":
            raw["q3_f"] = TEXTS["q3_f"]
    for k, topic in enumerate((topics or [next(iter(TOPICS))])[:3], 1):
        raw[f"q11_{k}"] = topic
    return raw


def load_demo_surveys(network: Network, *, published_by=None) -> bool:
    """The interviews and the Żmudź 2017 study (ksr_portal/seed/study_zmudz.py), once."""
    if Campaign.objects.filter(network=network).exists():
        return False
    _interviews(network)
    load_study(network, published_by=published_by)
    return True


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
    for k, entry in enumerate(DATA["idi"]["organisations"]):
        for name, role_value in entry["people"]:
            role = ParticipantRole(role_value)
            interview = Interview.objects.create(
                network=network,
                guide=guide,
                kind=InterviewKind.IDI,
                organisation=members.get(entry["organisation"]),
                moderator=DATA["moderator"],
                held_on=date(2017, 10, 10 + k),
                duration_minutes=50,
                consent_recorded=True,
                summary=DATA["idi"]["summary"],
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
        moderator=DATA["moderator"],
        held_on=date(2017, 10, 16),
        duration_minutes=90,
        consent_recorded=True,
        summary=DATA["fgi"]["summary"],
    )
    for i in range(DATA["fgi"]["participants"]):
        Participant.objects.create(
            interview=fgi,
            name=f"Uczestnik FGI {i + 1}",
            gender=next(genders),
            age_band=[AgeBand.B26_40, AgeBand.B41_60, AgeBand.OVER_60][i % 3],
            position="mieszkaniec",
            years_in_gmina=10 + i,
            role=ParticipantRole.RESIDENT,
        )
