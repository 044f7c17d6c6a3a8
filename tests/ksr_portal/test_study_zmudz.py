"""The Żmudź 2017 study in the demo: three default questionnaires, campaigns whose shares equal
every figure of the seed's report, the evaluation read back from its page and its PDF, published
to the partners (openness), and `print_documents --lsr Żmudź` printing it."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from ksr_portal.evaluations.models import Evaluation
from ksr_portal.seed.demo import ZMUDZ_CODE, load_demo
from ksr_portal.seed.study_zmudz import study_answers, study_data
from networks.models import Network, Tier
from stakeholders.models import User
from surveys import engine
from surveys.models import Audience, Campaign, Response
from surveys.services import campaigns as services_campaigns
from surveys.services import responses as services
from tests.pdf_utils import normalised, pages_text

pytestmark = pytest.mark.django_db

# Every share the seed's report publishes (000_d73a731138784791.txt), as the report prints it.
INSTITUTIONS = [
    ("86%", "Czy na terenie działania"),  # know the partnership
    ("71%", "Spółdzielnia Socjalna „Dębowy Las”"),
    ("60%", "Warsztaty z zakresu edukacji obywatelskiej"),
    ("45%", "Warsztaty prozdrowotne dla seniorów"),
    ("40%", "Edukacja dzieci i młodzieży 12–16 lat"),
    ("35%", "Zwiększenie aktywności mieszkańców"),
    ("100%", "Inicjator i organizator przedsięwzięć"),
    ("85%", "„Dostawca” wiedzy"),
    ("60%", "Inicjator nowych miejsc pracy"),
    ("40%", "Miejsce informacji o wsparciu"),
]
MEMBERS = [
    ("40%", "Wspólny cel partnerów"),
    ("45%", "Coroczna gminna impreza"),
    ("60%", "Wspólna realizacja projektów"),
]
RESIDENTS = [
    ("42%", "Tak – wiem, czym się zajmuje"),
    ("50%", "Z kontaktów z pracownikami Gminnego Ośrodka"),
    ("30%", "Z udziału w festynach"),
    ("20%", "Z kontaktów sąsiedzkich"),
    ("100%", "Bezrobocie"),
    ("65%", "Aktywność osób starszych"),
    ("55%", "Rozwój działalności kulturalnej i sportowej"),
    ("35%", "Edukacja ogólnorozwojowa"),
    ("50%", "Rzetelną informację"),
    ("30%", "Przejrzystość działań"),
    ("50%", "Dialog z każdym"),
]
BANDS = {
    "70–100%": ["Brak wspólnych zasobów finansowych"],
    "40–60%": ["Duże obciążenia obowiązkami", "Zbyt mały podział obowiązków"],
    "30–50%": ["Małe zrozumienie lokalnego środowiska", "Mały stopień angażowania"],
    "10–20%": ["Mała integracja z podmiotami", "Niewystarczająca polityka informacyjna"],
}


@pytest.fixture
def demo():
    call_command("load_teryt")
    with translation.override("pl"):
        load_demo()
    return Network.objects.get(gmina__code=ZMUDZ_CODE, tier=Tier.LSR)


def text_of(html: str) -> str:
    return normalised(re.sub(r"<[^>]+>", " ", html))


def shows(text: str, percent: str, label: str) -> bool:
    """``label`` followed (in a table row or a chart bar) by exactly ``percent``."""
    pattern = re.escape(normalised(label)) + r"[^%]{0,400}?\s" + re.escape(percent)
    return re.search(pattern, text) is not None


def test_three_default_questionnaires_load_once_and_are_anonymous():
    first = services.questionnaire_load_defaults()
    assert set(first) == {Audience.INSTITUTIONS, Audience.MEMBERS, Audience.RESIDENTS}
    assert services.questionnaire_load_defaults() == first
    residents = services.schema_of(first[Audience.RESIDENTS])
    texts = " ".join(q["text"].lower() for q in residents["questions"])
    assert "instytucj" not in texts and "nazwisk" not in texts  # asks nobody who they are
    # the jump of "never heard of it" skips the follow-ups about it
    never = residents["questions"][0]["options"][2]
    assert engine.asked_numbers(residents, {"q1": never})[:2] == [1, 5]


def test_the_residents_questionnaire_on_a_phone_and_on_paper(client, personas, lsr):
    questionnaire = services.questionnaire_load_defaults()[Audience.RESIDENTS]
    now = timezone.now()
    campaign = services_campaigns.campaign_launch(
        campaign=Campaign.objects.create(
            network=lsr,
            questionnaire=questionnaire,
            title="Mieszkańcy",
            audience=Audience.RESIDENTS,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=7),
        )
    )
    url = reverse("answer:general", args=[campaign.public_token])
    html = client.get(url).content.decode()
    assert 'name="viewport"' in html and 'type="radio"' in html  # one tap per answer
    key = re.search(r'name="submission_key" value="([^"]+)"', html).group(1)
    options = [q["options"] for q in campaign.schema["questions"]]
    never = options[0][2]
    assert (
        client.post(url, {"submission_key": key, "q1": never, "q5": [options[4][0]]}).status_code
        == 302
    )
    online = Response.objects.get(campaign=campaign)
    assert online.data["asked"] == [1, 5, 6] and online.channel == "online"
    client.force_login(personas["animator"])
    paper = {
        "channel": "paper",
        "submission_key": "paper-questionnaire-0001",
        "q1": options[0][0],
        "q2": options[1][1],
        "q3": [options[2][0], options[2][1]],
        "q4": [options[3][0]],
        "q5": [options[4][0], options[4][1]],
    }
    entry = reverse("surveys:response_enter", args=[lsr.pk, campaign.pk])
    assert client.post(entry, paper).status_code == 302
    stored = Response.objects.filter(campaign=campaign, channel="paper").get()
    assert stored.data["asked"] == [1, 2, 3, 4, 5, 6]
    assert stored.data["answers"]["q2"] == options[1][1]


def test_the_study_data_is_consistent():
    """Every split adds up to those asked (the generator raises otherwise)."""
    data = study_data()
    for group in data["campaigns"]:
        raws, _texts = study_answers(group)
        assert len(raws) == group["responses"]


def test_the_demo_report_shows_the_seed_figures_on_the_page_and_in_the_pdf(demo, client):
    campaigns = Campaign.objects.filter(network=demo)
    assert sorted(campaigns.values_list("audience", flat=True)) == sorted(
        [Audience.INSTITUTIONS, Audience.MEMBERS, Audience.RESIDENTS]
    )
    assert Response.objects.filter(campaign__network=demo).count() == 84 + 20 + 100
    evaluation = Evaluation.objects.get(network=demo)
    assert evaluation.published_at and evaluation.published_by.username == "animator"
    assert evaluation.deficiencies.count() == 3

    client.force_login(User.objects.get(username="animator"))
    page = client.get(
        reverse("evaluations:evaluation_report", args=[demo.pk]), HTTP_ACCEPT_LANGUAGE="pl"
    )
    assert page.status_code == 200
    pdf = client.get(
        reverse("evaluations:evaluation_report_pdf", args=[demo.pk]), HTTP_ACCEPT_LANGUAGE="pl"
    )
    assert pdf.status_code == 200
    sources = {
        "page": text_of(page.content.decode()),
        "pdf": normalised(" ".join(pages_text(pdf.content))),
    }
    for where, text in sources.items():
        for percent, label in INSTITUTIONS + MEMBERS + RESIDENTS:
            assert shows(text, percent, label), (where, percent, label)
        for band, barriers in BANDS.items():
            assert band in text, (where, band)
            after = text[text.index(band) :]
            for barrier in barriers:
                assert normalised(barrier) in after[:600], (where, band, barrier)
        assert "42% mieszkańców Gminy Żmudź" in text, where
        assert "Stowarzyszenie Wspierania Aktywności Społecznej „Stella”" in text, where
        for real in ("Trzeciecki", "Niezgod"):  # real persons of the seed are never demo data
            assert real not in text, where


def test_print_documents_prints_the_study_report(demo, tmp_path):
    call_command("print_documents", "--lsr", "Żmudź", "--out", str(tmp_path))
    reports = [p for p in tmp_path.rglob("*.pdf") if "ewaluac" in p.name]
    assert reports, sorted(p.name for p in tmp_path.rglob("*"))
    text = normalised(" ".join(pages_text(reports[0].read_bytes())))
    assert "86%" in text and "Dębowy Las" in text
