import pytest

from networks.models import MemberRole
from networks.services import networks as network_services
from stakeholders.models import InstitutionKind, Sector
from tests.builders import make_lsr, make_org

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
        page.locator("form[role=search] button[type=submit]").click()
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
