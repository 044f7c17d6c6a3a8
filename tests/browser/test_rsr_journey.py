"""The ROPS coordinator runs the RSR: adds a supra-local organisation and records a regional
meeting; the animator reads both. Every page: axe, no overflow at 390 px, a screenshot."""

import pytest

from networks.models import MemberRole
from networks.services import networks as network_services
from stakeholders.models import InstitutionKind, OperatingScope, Sector
from tests.builders import make_org
from tests.factories import ContactPersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"


def test_rops_adds_a_supra_local_member_and_records_a_regional_meeting(
    page, log_in, journey_step, personas, territory, full_lsr, kis
):
    rsr = full_lsr.parent
    ContactPersonFactory(organisation=kis, name="Alicja Klubowa")
    rowr = make_org(
        territory["rejowiec"],
        "A",
        InstitutionKind.ROWR,
        Sector.PUBLIC,
        name="ROWR przy ROPS w Lublinie",
        operating_scope=OperatingScope.REGIONAL,
    )
    network_services.membership_add(network=rsr, organisation=rowr, role=MemberRole.MAIN_NODE)
    culture = make_org(
        territory["rejowiec"],
        "C",
        InstitutionKind.CULTURE,
        Sector.PUBLIC,
        name="Wojewódzki Ośrodek Kultury",
        operating_scope=OperatingScope.REGIONAL,
    )

    log_in(personas["rops"].username, PASSWORD)
    page.goto("/sieci/")
    assert page.get_by_role("link", name=rsr.name).count() == 1
    journey_step("1-network-list")

    page.goto(f"/sieci/{rsr.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == rsr.name
    journey_step("2-rsr-detail")

    page.goto(f"/sieci/{rsr.pk}/czlonkowie/")
    assert page.get_by_role("heading", name="LSR regionu – członkowie").count() == 1
    journey_step("3-rsr-members")
    with page.expect_navigation():
        page.get_by_role("link", name="Dodaj istniejącą organizację").click()
    page.get_by_label("Organizacja").select_option(str(culture.pk))
    page.get_by_label("Data przystąpienia").fill("2026-03-02")
    journey_step("4-member-add")
    with page.expect_navigation():
        page.get_by_role("button", name="Dodaj do sieci").click()
    assert (
        page.locator("#member-rows").get_by_role("link", name="Wojewódzki Ośrodek Kultury").count()
        == 1
    )
    journey_step("5-member-added")

    page.goto(f"/sieci/{rsr.pk}/posiedzenia/nowe/")
    page.get_by_label("Data i godzina").fill("2026-11-20T10:00")
    page.get_by_label("Miejsce").fill("ROPS w Lublinie")
    page.get_by_label("Porządek obrad").fill("Przegląd LSR regionu")
    page.get_by_label("Alicja Klubowa", exact=False).check()
    page.get_by_label("Protokół").fill("Omówiono potrzeby szkoleniowe zespołów KIS.")
    journey_step("6-meeting-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz posiedzenie").click()
    assert page.get_by_text("Omówiono potrzeby szkoleniowe zespołów KIS.").count() == 1
    journey_step("7-meeting-detail")
    meeting_url = page.url

    page.context.clear_cookies()
    log_in(personas["animator"].username, PASSWORD)
    page.goto(meeting_url)
    assert page.get_by_text("Omówiono potrzeby szkoleniowe zespołów KIS.").count() == 1
    assert page.get_by_role("link", name="Edytuj posiedzenie").count() == 0
    journey_step("8-animator-reads-meeting")
