"""A need no partner of the LSR could meet goes to the RSR: the animator escalates it, the ROPS
coordinator records a regional offer, the animator accepts it and closes the need with its outcome.

The set-up (LSR, RSR member, the declined need) goes through the ORM and the services; every step
of the journey happens through the UI. Elements are found by ids, names, values, form actions and
URLs, not by visible text. Every page is checked with axe (the ``page`` fixture), must not be wider
than a 390 px screen, and is saved as a screenshot at 1366×768 and 390×844 under
``tests/browser/artifacts/``.
"""

import re

import pytest

from networks.services import networks as network_services
from procedures.models import Need, NeedResponse, ResponseKind
from procedures.services.needs import NeedStatus, need_post, need_respond
from stakeholders.models import OperatingScope, Organisation
from tests.builders import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"
OFFER = "Doradczyni zawodowa PUP poprowadzi warsztaty we wtorki, luty–czerwiec 2027."
OUTCOME = "Warsztaty prowadzi PUP Chełm; 12 uczestników KIS."


def click(page, assert_accessible, locator, url=None):
    with page.expect_navigation():
        locator.click()
    if url is not None:
        page.wait_for_url(url)
    assert_accessible(page)


def test_rops_offers_a_resource_to_an_escalated_need_and_the_animator_accepts_it(
    full_lsr, kis, personas, territory, page, journey_step, log_in, assert_accessible
):
    lsr, rsr = full_lsr, full_lsr.parent
    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    labour_office = make_org(
        territory["rejowiec"],
        "B",
        name="Powiatowy Urząd Pracy w Chełmie",
        operating_scope=OperatingScope.COUNTY,
    )
    network_services.membership_add(network=rsr, organisation=labour_office)
    need = need_post(
        network=lsr,
        posted_by=kis,
        need=Need(
            kind="personnel",
            description="Instruktor zajęć plastycznych na 4 godziny tygodniowo",
            needed_when="luty–czerwiec 2027, wtorki",
        ),
        addressees=[culture],
        addressed_to_all=False,
    )
    need_respond(
        need=need,
        organisation=culture,
        kind=ResponseKind.DECLINE,
        text="Nie mamy instruktora plastyki.",
        user=personas["partner"],
    )
    need_url = f"/sieci/{lsr.pk}/potrzeby/{need.pk}/"
    queue_url = f"/sieci/{rsr.pk}/potrzeby-eskalowane/"
    page.set_viewport_size({"width": 1366, "height": 768})

    # --- the animator escalates the declined need to the RSR --------------------------------------
    log_in(personas["animator"].username, PASSWORD)
    page.goto(need_url)
    assert page.locator("#need-status [data-status=declined]").count() == 1
    journey_step("01-animator-need-declined")
    click(
        page,
        assert_accessible,
        page.locator(f"form[action$='{need_url}eskaluj/'] button[type=submit]"),
        url=re.compile(rf"{need_url}$"),
    )
    assert page.locator("#need-status [data-escalated=rsr]").count() == 1
    assert page.locator("#need-timeline [data-step=escalated_rsr]").count() == 1
    journey_step("02-animator-need-escalated")

    # --- the ROPS coordinator finds it in the RSR's queue and records a regional offer -------------
    page.context.clear_cookies()
    log_in(personas["rops"].username, PASSWORD)
    page.goto(f"/sieci/{rsr.pk}/")
    click(page, assert_accessible, page.locator(f"a[href$='{queue_url}']"))
    row = page.locator(f"#escalated-needs tr[data-need='{need.pk}']")
    assert row.count() == 1
    journey_step("03-rops-queue")
    click(page, assert_accessible, row.locator("a"), url=re.compile(rf"{queue_url}{need.pk}/$"))
    journey_step("04-rops-escalated-need")
    page.locator("select[name=organisation]").select_option(str(labour_office.pk))
    click(page, assert_accessible, page.locator("#offer-form button[type=submit]"))
    # no description: the message stands next to the field, the chosen organisation is kept
    assert page.locator("#div_id_text .invalid-feedback, #error_1_id_text").count() >= 1
    assert page.locator("select[name=organisation]").input_value() == str(labour_office.pk)
    journey_step("05-rops-offer-error")
    page.locator("textarea[name=text]").fill(OFFER)
    click(
        page,
        assert_accessible,
        page.locator("#offer-form button[type=submit]"),
        url=re.compile(rf"{queue_url}{need.pk}/$"),
    )
    assert page.locator(f"#tier-offers [data-organisation='{labour_office.pk}']").count() == 1
    journey_step("06-rops-offer-sent")
    offer = NeedResponse.objects.get(organisation=labour_office)
    assert (offer.tier, offer.responded_by) == ("rsr", personas["rops"])

    # --- the animator accepts the offer and closes the need with its outcome ------------------------
    page.context.clear_cookies()
    log_in(personas["animator"].username, PASSWORD)
    page.goto(need_url)
    assert OFFER in page.locator("#tier-offers").inner_text()
    journey_step("07-animator-offer-arrived")
    click(
        page,
        assert_accessible,
        page.locator(f"form[action$='{need_url}akceptuj/'] button[type=submit]"),
        url=re.compile(rf"{need_url}$"),
    )
    assert page.locator("#need-status [data-status=met]").count() == 1
    assert page.locator("#tier-offers [data-accepted]").count() == 1
    journey_step("08-animator-offer-accepted")
    click(page, assert_accessible, page.locator(f"a[href$='{need_url}zamknij/']"))
    page.locator("input[name=outcome][value=met]").check()
    page.locator("textarea[name=outcome_text]").fill(OUTCOME)
    journey_step("09-animator-close-form")
    click(
        page,
        assert_accessible,
        page.locator("#close-form button[type=submit]"),
        url=re.compile(rf"{need_url}$"),
    )
    assert page.locator("#need-status [data-status=closed]").count() == 1
    assert OUTCOME in page.locator("#need-outcome").inner_text()
    steps = page.locator("#need-timeline [data-step]")
    assert [steps.nth(i).get_attribute("data-step") for i in range(steps.count())] == [
        "posted",
        "declined",
        "escalated_rsr",
        "offered",
        "accepted",
        "closed",
    ]
    journey_step("10-animator-need-closed")
    need.refresh_from_db()
    assert need.outcome == "met" and need.closed_at is not None
    from procedures.selectors.needs import with_status

    assert with_status(Need.objects.filter(pk=need.pk)).get().status == NeedStatus.CLOSED
