"""The evaluation report: one context, a page and a PDF (cover, contents with page numbers,
results per respondent group, findings, network, cards, deficiencies, conclusion)."""

import datetime
import io
import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from ksr_portal.core.charts import PAGE_WIDTH
from ksr_portal.core.pdf import render_pdf
from ksr_portal.evaluations.models import Deficiency, Evaluation, Finding, FindingKind
from ksr_portal.evaluations.report import barrier_bands, report_context
from ksr_portal.seed.demo_surveys import TOPICS, _answers
from networks.services import networks as network_services
from stakeholders.models import InstitutionKind, Organisation, Sector
from surveys.models import (
    Audience,
    Coding,
    ParticipantRole,
    Response,
)
from surveys.services import responses as survey_services
from tests.builders import launched_campaign, make_lsr, make_org
from tests.factories import CodeCategoryFactory, InterviewFactory, ParticipantFactory
from tests.pdf_utils import dark_fraction as _dark_fraction
from tests.pdf_utils import page_images as _page_images
from tests.pdf_utils import pages_text as _pages
from tests.pdf_utils import words_off_the_page as _words_outside_the_page

pytestmark = pytest.mark.django_db

CONCLUSION = "Najważniejszą kwestią jest identyfikowanie Partnerstwa przez środowisko lokalne."
SECRET_NAME = "Józefa Tajemnicza-Źdźbło"


def answered_campaign(network, audience, size, know_share, title=None):
    """A campaign of October 2017 with ``size`` answers and their q11 topics coded."""
    tz = timezone.get_current_timezone()
    campaign = launched_campaign(
        network,
        title=title or f"Ewaluacja – {audience}",
        audience=audience,
        opens_at=datetime.datetime(2017, 10, 2, 8, 0, tzinfo=tz),
        closes_at=datetime.datetime(2017, 10, 9, 16, 0, tzinfo=tz),
    )
    for i in range(size):
        survey_services.response_submit(
            campaign=campaign,
            raw=_answers(i, size, know_share=know_share),
            submission_key=f"t-{campaign.pk}-{i}",
            check_open=False,
        )
    categories = {name: CodeCategoryFactory(campaign=campaign, name=name) for name in TOPICS}
    Coding.objects.bulk_create(
        Coding(response=r, field="q11", item=item, category=categories[text])
        for r in Response.objects.filter(campaign=campaign)
        for item, text in enumerate(r.data["answers"].get("q11", []))
        if text in categories
    )
    return campaign


def interview_with_a_named_participant(network, organisation=None):
    interview = InterviewFactory(
        network=network,
        organisation=organisation,
        summary="Brakuje wspólnych zasobów finansowych – mówi rozmówczyni.",
        notes={"0.0": "Tak, od festynu gminnego."},
    )
    ParticipantFactory(
        interview=interview,
        name=SECRET_NAME,
        position="dyrektorka szkoły",
        role=ParticipantRole.MANAGER,
    )
    return interview


@pytest.fixture
def evaluation(full_lsr):
    institutions = answered_campaign(full_lsr, Audience.INSTITUTIONS, 7, 6 / 7)
    members = answered_campaign(full_lsr, Audience.MEMBERS, 5, 1.0)
    residents = answered_campaign(full_lsr, Audience.RESIDENTS, 9, 0.6)
    kis = Organisation.objects.get(name="KIS w Żmudzi")
    evaluation = Evaluation.objects.create(
        network=full_lsr,
        title="Badanie ewaluacyjne Partnerstwa – Żmudź 2017",
        period_start=date(2017, 1, 1),
        period_end=date(2017, 12, 31),
        evaluators="Zespół Badawczy LSR; dr Łucja Żak",
        aim="Ocena dotychczasowej aktywności partnerów w obszarze reintegracji.",
        conclusion=CONCLUSION,
        completed_on=date(2018, 1, 15),
    )
    evaluation.campaigns.set([institutions, members, residents])
    evaluation.interviews.set([interview_with_a_named_participant(full_lsr, kis)])
    Finding.objects.bulk_create(
        [
            Finding(
                evaluation=evaluation,
                kind=FindingKind.BARRIER,
                audience=Audience.MEMBERS,
                text="Brak wspólnych zasobów finansowych",
                share=80,
            ),
            Finding(
                evaluation=evaluation,
                kind=FindingKind.BARRIER,
                audience=Audience.MEMBERS,
                text="Mała integracja z podmiotami regionalnymi",
                share=15,
            ),
            Finding(
                evaluation=evaluation,
                kind=FindingKind.SUCCESS,
                audience=Audience.MEMBERS,
                text="Jarmark aktywności Kobiet",
                share=45,
            ),
            Finding(
                evaluation=evaluation,
                kind=FindingKind.NEED,
                audience=Audience.RESIDENTS,
                text="Problematyka bezrobocia",
                share=100,
            ),
        ]
    )
    Deficiency.objects.create(
        evaluation=evaluation,
        text="Niewystarczająca polityka informacyjna",
        obliged=kis,
        deadline=date(2018, 6, 30),
    )
    return evaluation


def _pdf_url(network, evaluation=None):
    args = [network.pk] + ([evaluation.pk] if evaluation else [])
    return reverse("evaluations:evaluation_report_pdf", args=args)


def _report_url(network, evaluation=None):
    args = [network.pk] + ([evaluation.pk] if evaluation else [])
    return reverse("evaluations:evaluation_report", args=args)


def english(client, user):
    """Log in and ask for English pages (LocaleMiddleware reads the language cookie)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- the PDF ---------------------------------------------------------------------------------


@pytest.fixture
def report_pdf(client, personas, evaluation):
    response = english(client, personas["animator"]).get(_pdf_url(evaluation.network, evaluation))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_pdf_holds_the_report(report_pdf, evaluation):
    pages = _pages(report_pdf)
    text = " ".join(pages)
    assert len(pages) > 1
    assert "LSR Żmudź" in text
    assert "Badanie ewaluacyjne Partnerstwa – Żmudź 2017" in pages[0]  # the cover
    assert "gmina Żmudź" in pages[0] and "01.01.2017 – 31.12.2017" in pages[0]
    assert "dr Łucja Żak" in pages[0] and "15.01.2018" in pages[0]
    for group in (
        "institutions of the local environment",
        "members of the partnership",
        "residents",
    ):
        assert f"Results: {group}" in text, group
    # 6 of 7 institutions know the partnership (Q2): 86%
    institutions = text.split("Results: institutions of the local environment")[-1].split(
        "Results: members of the partnership"
    )[0]
    assert "7 responses" in institutions
    assert re.search(r"yes 86% 6 / 7", institutions), institutions[:2000]
    # Q11 coded topics with % of indications
    assert "% of indications" in institutions
    assert "Warsztaty z zakresu edukacji obywatelskiej" in institutions
    assert "Ocena dotychczasowej aktywności partnerów" in text  # Polish characters of the aim
    assert CONCLUSION in text
    assert "70–100% of indications" in text and "below 20% of indications" in text
    assert "Brak wspólnych zasobów finansowych – 80%" in text
    assert "Niewystarczająca polityka informacyjna" in text and "30.06.2018" in text
    assert "Progress of the procedure cards" in text and "Cards done:" in text


def test_interview_quotes_show_a_profile_never_a_name(report_pdf):
    text = " ".join(_pages(report_pdf))
    assert "Brakuje wspólnych zasobów finansowych" in text
    assert "Tak, od festynu gminnego." in text
    assert "manager, 41–60" in text
    assert "Tajemnicza" not in text and "Józefa" not in text
    assert "dyrektorka" not in text


def test_table_of_contents_has_page_numbers(report_pdf):
    pages = _pages(report_pdf)
    assert "Contents" in pages[1]
    for title in ("Aim and method", "Conclusion", "Deficiencies to remove"):
        match = re.search(re.escape(title) + r"\W*(\d+)", pages[1])
        assert match, (title, pages[1])
        number = int(match[1])
        assert 2 < number <= len(pages)
        assert title in pages[number - 1]
    for number, page in enumerate(pages[1:], 2):
        assert f"Page {number} of {len(pages)}" in page
    assert "Page" not in pages[0]  # the cover has no footer


def test_pages_are_not_blank(report_pdf):
    images = _page_images(report_pdf)
    assert len(images) == len(PdfReader(io.BytesIO(report_pdf)).pages)
    for image in images:
        assert image.getextrema()[0] < 100
        assert _dark_fraction(image) > 0.005


def test_fonts_are_dejavu(report_pdf):
    reader = PdfReader(io.BytesIO(report_pdf))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVu" in name for name in fonts), fonts


def _desc(chart) -> list[str]:
    return re.findall(r"<(?:title|desc)[^>]*>(.*?)</(?:title|desc)>", str(chart), re.S)


def test_page_and_pdf_share_the_context_and_charts(client, personas, evaluation):
    page = english(client, personas["rops"]).get(_report_url(evaluation.network, evaluation))
    assert page.status_code == 200
    body = page.content.decode()
    assert len(re.findall(r"<h1[\s>]", body)) == 1
    assert ' style="' not in body and "<script>" not in body
    context = report_context(evaluation)
    on_page = report_context(evaluation, chart_width=PAGE_WIDTH)
    charts = 0
    for group, page_group in zip(context["groups"], on_page["groups"], strict=True):
        for result_set, page_set in zip(group.result_sets, page_group.result_sets, strict=True):
            for block, page_block in zip(result_set.blocks, page_set.blocks, strict=True):
                assert page_block.chart in body  # the page's drawing of the chart ...
                # ... says what the PDF's says (drawn narrower: the same title, bars, words)
                assert _desc(page_block.chart) == _desc(block.chart)
                charts += bool(block.chart)
    assert charts
    assert "Tajemnicza" not in body
    html = render_pdf("evaluations/report_pdf.html", context)
    assert html.startswith(b"%PDF-")


def test_latest_evaluation_is_the_default(client, personas, evaluation):
    client.force_login(personas["ksr"])
    response = client.get(_pdf_url(evaluation.network))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    response = client.get(_report_url(evaluation.network))
    assert response.status_code == 200
    html = response.content.decode()
    assert evaluation.title in html
    # the page's charts no wider than a phone's column (the PDF's span its text column)
    widths = [float(w) for w in re.findall(r'<svg[^>]* width="([\d.]+)"', html)]
    assert widths and max(widths) <= PAGE_WIDTH


# --- bad input -------------------------------------------------------------------------------


def test_network_without_evaluation_gets_a_clear_page(client, personas, lsr):
    english(client, personas["animator"])
    for url in (_report_url(lsr), _pdf_url(lsr)):
        response = client.get(url)
        assert response.status_code == 200
        assert "text/html" in response["Content-Type"]
        assert "has no evaluation yet" in response.content.decode()


def test_empty_evaluation_gives_a_valid_pdf_that_states_what_is_missing(client, personas, lsr):
    evaluation = Evaluation.objects.create(
        network=lsr,
        title="Pusta ewaluacja",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 1, 1),
        evaluators="—",
    )
    english(client, personas["animator"])
    response = client.get(_pdf_url(lsr, evaluation))
    page = client.get(_report_url(lsr, evaluation))
    assert response.status_code == 200 and page.status_code == 200
    text = " ".join(_pages(response.content))
    assert "What this report lacks" in text
    assert "No survey campaign is linked to this evaluation." in text
    assert "No findings (barriers, successes, needs) have been recorded." in text
    assert "The LSR has no active members (partners)." in text
    assert "The conclusion has not been written yet." in text
    assert "No survey of this respondent group is linked to the evaluation." in text


def test_small_group_results_are_hidden(client, personas, full_lsr):
    tiny = answered_campaign(full_lsr, Audience.RESIDENTS, 2, 1.0)
    evaluation = Evaluation.objects.create(
        network=full_lsr,
        title="Mała próba",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 6, 30),
        evaluators="Zespół",
    )
    evaluation.campaigns.set([tiny])
    context = report_context(evaluation)
    residents = next(g for g in context["groups"] if g.key == Audience.RESIDENTS)
    # a small campaign is left out of every figure (none of its responses is counted)
    assert residents.responses == 0
    assert residents.result_sets[0].left_out == [tiny.title]
    assert residents.result_sets[0].hidden and residents.result_sets[0].blocks == []


def test_sixty_members_and_long_names_stay_on_the_page(client, personas, evaluation, territory):
    network = evaluation.network
    long_word = "Międzygminne" + "Ż" * 50 + "Stowarzyszenie"
    for i in range(56):
        name = (
            f"Stowarzyszenie {i} {long_word} na rzecz rozwoju " + "wsi i gmin " * 12
            if i % 5 == 0
            else f"Organizacja pozarządowa nr {i} – zażółć gęślą jaźń"
        )[:250]
        network_services.membership_add(
            network=network,
            organisation=make_org(
                territory["zmudz"], "C", InstitutionKind.CULTURE, Sector.NGO, name=name
            ),
        )
    assert network.memberships.active().count() == 60
    Finding.objects.create(
        evaluation=evaluation,
        kind=FindingKind.OTHER,
        text=("Bardzo długie spostrzeżenie " + "https://example.org/" + "ścieżka" * 40 + " ") * 3,
    )
    client.force_login(personas["animator"])

    response = client.get(_pdf_url(network, evaluation))

    assert response.status_code == 200
    pages = _pages(response.content)
    text = "".join(" ".join(pages).split())
    assert "".join(f"Stowarzyszenie 0 {long_word}".split()) in text
    assert _words_outside_the_page(response.content) == []


def test_barrier_bands_follow_the_seed():
    findings = [
        Finding(kind=FindingKind.BARRIER, text=t, share=s)
        for t, s in [
            ("a", 100),
            ("b", 70),
            ("c", 69.9),
            ("d", 40),
            ("e", 39),
            ("f", 20),
            ("g", 19.9),
            ("h", 0),
            ("i", None),
        ]
    ]
    from decimal import Decimal

    for f in findings:
        f.share = None if f.share is None else Decimal(str(f.share))
    with translation.override("en"):
        bands = barrier_bands(findings)
    assert [(b.label, [f.text for f in b.findings]) for b in bands] == [
        ("70–100% of indications", ["a", "b"]),
        ("40–69% of indications", ["c", "d"]),
        ("20–39% of indications", ["e", "f"]),
        ("below 20% of indications", ["g", "h"]),
        ("share not given", ["i"]),
    ]


def test_report_for_another_lsr_is_404(client, personas, evaluation, territory):
    other = make_lsr(personas["admin"], territory["warsaw"])
    client.force_login(personas["animator"])
    assert client.get(_pdf_url(other)).status_code == 404
    # an evaluation of one LSR is not reachable under another
    client.force_login(personas["ksr"])
    assert client.get(_pdf_url(other, evaluation)).status_code == 404
