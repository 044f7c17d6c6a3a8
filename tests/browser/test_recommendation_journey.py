"""Bottom-up experience → KSR recommendations in the browser (issue 12 §6): the ROPS coordinator
forwards an LSR's item; the KSR coordinator composes a recommendation from two LSR experience
items, adopts it and prints the report "Rekomendacje KSR" (the PDF read back). Every page: axe,
no overflow at 390 px, a screenshot at 1366×768 and 390×844 under tests/browser/artifacts/."""

from pathlib import Path

import pytest
from django.urls import reverse

from ksr_portal.recommendations import services
from ksr_portal.recommendations.models import ExperienceItem, Recommendation, Theme
from ksr_portal.recommendations.themes import themes_ensure
from networks.models import Network, Tier
from tests import factories
from tests.builders import make_lsr
from tests.pdf_utils import pages_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PASSWORD = "secret-pass-123"


def _item(user, network, title, themes, **evidence):
    return services.experience_submit(
        user=user,
        network=network,
        item=ExperienceItem(
            kind="barrier",
            title=title,
            description="Partnerzy składają oferty konkursowe pojedynczo, bez wspólnego budżetu.",
        ),
        themes=themes,
        **evidence,
    )


@pytest.fixture
def lubelskie(personas, territory, lsr):
    themes_ensure()
    funding = Theme.objects.filter(code__in=["funding", "cooperation"])
    rejowiec = make_lsr(personas["admin"], territory["rejowiec"], name="LSR Rejowiec")
    evaluation = factories.EvaluationFactory(network=lsr, title="Ewaluacja 2017")
    finding = factories.FindingFactory(
        evaluation=evaluation, text="Brak wspólnych zasobów finansowych.", share=80
    )
    zmudz_item = _item(
        personas["animator"], lsr, "Brak wspólnego budżetu partnerów", funding, findings=[finding]
    )
    rejowiec_item = _item(personas["admin"], rejowiec, "Oferty składane pojedynczo", funding)
    services.experience_forward(user=personas["rops"], item=rejowiec_item)
    return {
        "zmudz": lsr,
        "rejowiec": rejowiec,
        "rsr": Network.objects.get(tier=Tier.RSR, teryt_code="06"),
        "zmudz_item": zmudz_item,
        "rejowiec_item": rejowiec_item,
    }


def test_rops_forwards_an_lsr_item_to_the_ksr(page, log_in, journey_step, personas, lubelskie):
    log_in(personas["rops"].username, PASSWORD)
    page.goto("/rekomendacje/")
    journey_step("list-rops")
    with page.expect_navigation():
        page.get_by_role("link", name=lubelskie["rsr"].name).click()
    journey_step("rsr-items")
    with page.expect_navigation():
        page.get_by_role("link", name="Brak wspólnego budżetu partnerów").click()
    journey_step("item-review")
    # returning without a reason: the message next to the field
    with page.expect_navigation():
        page.get_by_role("button", name="Zwróć").click()
    assert "Podaj, dlaczego doświadczenie jest zwracane." in page.content()
    journey_step("item-return-error")
    with page.expect_navigation():
        page.get_by_role("button", name="Przekaż do KSR").click()
    journey_step("item-forwarded")
    assert "przekazane do KSR" in page.locator("#item-status").inner_text()
    lubelskie["zmudz_item"].refresh_from_db()
    assert lubelskie["zmudz_item"].status == "forwarded"


def test_ksr_composes_a_recommendation_from_two_lsr_items_and_prints_it(
    page, log_in, journey_step, personas, lubelskie
):
    services.experience_forward(user=personas["rops"], item=lubelskie["zmudz_item"])
    log_in(personas["ksr"].username, PASSWORD)
    page.goto(reverse("ksr_portal:country"))  # the KSR coordinator's home page of ksr_portal.home
    journey_step("ksr-home")
    with page.expect_navigation():
        page.get_by_role("link", name="Doświadczenia według tematów").first.click()
    journey_step("ksr-items-by-theme")
    funding = page.locator('#theme-counts tr[data-theme="funding"] td[data-status="forwarded"]')
    assert funding.inner_text().strip() == "2"

    page.goto("/rekomendacje/ustalenia/")
    page.get_by_label("Temat").select_option(label="Finansowanie i zasoby")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Szukaj").click()
    journey_step("findings-search")
    assert page.locator("#finding-table tr[data-source]").count() == 1

    page.goto("/rekomendacje/nowa/")
    page.get_by_label("Tytuł").fill("Finansowanie partnerstw lokalnych")
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz projekt").click()
    # no item chosen: the Polish message, the title kept
    assert "Rekomendacja musi się opierać na co najmniej jednym doświadczeniu" in page.content()
    assert page.get_by_label("Tytuł").input_value() == "Finansowanie partnerstw lokalnych"
    journey_step("compose-error")
    page.get_by_label("Adresat").fill("Departament Pomocy i Integracji Społecznej MRPiPS")
    page.get_by_label("Uzasadnienie").fill(
        "LSR nie mają wspólnych zasobów finansowych; programy powinny dopuszczać partnerstwa."
    )
    page.get_by_label("Brak wspólnego budżetu partnerów", exact=False).check()
    page.get_by_label("Oferty składane pojedynczo", exact=False).check()
    journey_step("compose")
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz projekt").click()
    journey_step("recommendation-draft")
    with page.expect_navigation():
        page.get_by_role("button", name="Przyjmij rekomendację").click()
    journey_step("recommendation-adopted")
    recommendation = Recommendation.objects.get()
    assert recommendation.is_adopted
    assert set(recommendation.lsrs.all()) == {lubelskie["zmudz"], lubelskie["rejowiec"]}

    page.goto("/rekomendacje/")
    journey_step("list-ksr")
    response = page.request.get("/rekomendacje/raport.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    (ARTIFACTS / "recs-report.pdf").write_bytes(pdf)
    text = " ".join(pages_text(pdf))
    for expected in (
        "Rekomendacje KSR",
        "Finansowanie partnerstw lokalnych",
        "Departament Pomocy i Integracji Społecznej MRPiPS",
        "Brak wspólnego budżetu partnerów",
        "Oferty składane pojedynczo",
        lubelskie["zmudz"].name,
        "LSR Rejowiec",
        "Brak wspólnych zasobów finansowych.",
    ):
        assert expected in text, expected


def test_animator_submits_an_experience_item_with_evidence(
    page, log_in, journey_step, personas, lubelskie
):
    log_in(personas["animator"].username, PASSWORD)
    page.goto("/rekomendacje/")
    with page.expect_navigation():
        page.get_by_role("link", name=lubelskie["zmudz"].name).click()
    journey_step("lsr-items")
    with page.expect_navigation():
        page.get_by_role("link", name="Zgłoś doświadczenie").click()
    page.get_by_label("Tytuł").fill("Jarmark Aktywności Kobiet")
    with page.expect_navigation():
        page.get_by_role("button", name="Wyślij", exact=True).click()
    assert "Wybierz co najmniej jeden temat." in page.content()
    assert page.get_by_label("Tytuł").input_value() == "Jarmark Aktywności Kobiet"
    journey_step("submit-error")
    page.get_by_label("Rodzaj").select_option("good_practice")
    page.get_by_label("Opis").fill("Coroczna impreza gminna prowadzona wspólnie przez partnerów.")
    page.get_by_label("Aktywizacja uczestników i mieszkańców").check()
    page.get_by_label("Brak wspólnych zasobów finansowych.", exact=False).check()
    journey_step("submit")
    with page.expect_navigation():
        page.get_by_role("button", name="Wyślij", exact=True).click()
    journey_step("submitted")
    item = ExperienceItem.objects.get(title="Jarmark Aktywności Kobiet")
    assert item.status == "submitted" and item.findings.count() == 1
