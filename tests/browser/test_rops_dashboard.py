from datetime import timedelta

import pytest
from django.utils import timezone

from ksr_portal.dashboards.summaries import summaries_refresh
from networks.models import MemberRole
from networks.services import networks as network_services
from stakeholders.models import InstitutionKind, Sector
from tests.builders import make_lsr, make_org
from tests.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rops_filters_lsrs_without_type_c_and_drills_into_one(
    page, log_in, assert_accessible, personas, territory, full_lsr
):
    rejowiec = make_lsr(personas["admin"], territory["rejowiec"], name="LSR Rejowiec")
    ops = make_org(territory["rejowiec"], "B", InstitutionKind.SOCIAL_ASSISTANCE, Sector.PUBLIC)
    network_services.membership_add(network=rejowiec, organisation=ops, role=MemberRole.MAIN_NODE)

    log_in(personas["rops"].username, "secret-pass-123")
    page.wait_for_url("**/pulpit/region/06/")
    assert page.locator("#lsr-table tr[data-lsr]").count() == 2
    assert page.locator("svg[role=img]").count() >= 3  # the three charts

    page.locator("#id_missing").select_option("type_c")
    with page.expect_navigation():
        page.locator("#lsr-filters button[type=submit]").click()
    assert_accessible(page)
    assert "missing=type_c" in page.url
    rows = page.locator("#lsr-table tr[data-lsr]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-lsr") == territory["rejowiec"].code

    with page.expect_navigation():
        rows.first.locator("td a").first.click()
    assert_accessible(page)
    assert page.url.endswith(f"/sieci/{rejowiec.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "LSR Rejowiec"
    assert page.locator('#conditions [data-condition="type_c"]').get_attribute("data-ok") == "false"


def test_rops_lists_lsrs_without_a_meeting_for_six_months_in_two_clicks(
    page, journey_step, log_in, assert_accessible, personas, territory, full_lsr
):
    rejowiec = make_lsr(personas["admin"], territory["rejowiec"], name="LSR Rejowiec")
    MeetingFactory(network=rejowiec, held_at=timezone.now() - timedelta(days=20))
    MeetingFactory(network=full_lsr, held_at=timezone.now() - timedelta(days=250))
    summaries_refresh(network_ids=[rejowiec.pk, full_lsr.pk])

    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(personas["rops"].username, "secret-pass-123")
    page.wait_for_url("**/pulpit/region/06/")
    journey_step("1-dashboard")
    # the table starts within the first screen, under the headline figures and the filters
    assert page.locator("#lsr-table").bounding_box()["y"] < 768

    # click 1: the headline link
    with page.expect_navigation():
        page.get_by_role("link", name="1 LSR bez posiedzenia od 6 mies.").click()
    journey_step("2-no-meeting")
    assert "bez_posiedzenia=6" in page.url
    rows = page.locator("#lsr-table tr[data-lsr]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-lsr") == territory["zmudz"].code
    assert "zbyt dawno" in rows.first.inner_text()
    assert page.locator("#id_bez_posiedzenia").input_value() == "6"

    # the same answer through the filter line: 12 months leaves none, 3 months the same one
    page.locator("#id_bez_posiedzenia").fill("12")
    with page.expect_navigation():
        page.locator("#lsr-filters button[type=submit]").click()
    journey_step("3-twelve-months")
    assert page.locator("#lsr-table tr[data-lsr]").count() == 0

    # a number the browser's own check would stop (min 1), sent anyway: a message at the field
    page.goto("/pulpit/region/06/?bez_posiedzenia=0")
    journey_step("4-bad-months")
    assert page.locator("#id_bez_posiedzenia-error").is_visible()
    assert page.locator("#id_bez_posiedzenia").input_value() == "0"

    # the search box in the header: "zmudz" finds Żmudź
    page.set_viewport_size({"width": 1366, "height": 768})
    page.locator("#header-search").fill("zmudz")
    with page.expect_navigation():
        page.locator("#header-search").press("Enter")
    journey_step("5-search")
    assert page.locator("#lsr-results [data-lsr]").count() == 1
