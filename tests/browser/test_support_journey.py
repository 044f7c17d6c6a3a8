"""The ROPS coordinator answers an LSR's support request: the animator asks the RSR, the ROPS
coordinator accepts it in the regional queue and records the support given with its outcome, the
animator reads the answer. Every page: axe (no serious/critical), no overflow at 390 px, and a
screenshot per step at 1366×768 and 390×844 under tests/browser/artifacts/.

Elements are found by ids, field names and URLs; only data typed by the test is looked for."""

import pytest
from django.utils import timezone

from networks.models import SupportRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"
SUBJECT = "Szkolenie zespołu KIS z umów partnerskich"
OUTCOME = "Szkolenie odbyło się; KIS przygotował projekt umowy z rolami partnerów."


def _submit(page, selector):
    with page.expect_navigation():
        page.locator(selector).click()


def test_the_rops_coordinator_answers_an_lsrs_support_request(
    full_lsr, personas, page, log_in, journey_step
):
    lsr, rsr = full_lsr, full_lsr.parent

    # --- the animator asks the RSR for support -------------------------------------------------
    log_in(personas["animator"].username, PASSWORD)
    page.goto(f"/sieci/{lsr.pk}/")
    assert page.locator(f"#lsr-tools a[href='/sieci/{lsr.pk}/wsparcie/']").count() == 1
    journey_step("0-lsr-home")
    page.goto(f"/sieci/{lsr.pk}/wsparcie/")
    journey_step("1-lsr-list-empty")
    page.goto(f"/sieci/{lsr.pk}/wsparcie/nowa/")
    journey_step("1b-request-form")
    page.locator("input[name=kind][value=training]").check()
    page.locator("#id_subject").fill(SUBJECT)
    _submit(page, "main form button[type=submit]")
    # nothing typed is lost when the description is missing
    assert page.locator("#id_subject").input_value() == SUBJECT
    assert page.locator("#id_description.is-invalid").count() == 1
    journey_step("2-request-form-error")
    page.locator("#id_description").fill("Zespół KIS przygotowuje drugie partnerstwo zadaniowe.")
    _submit(page, "main form button[type=submit]")
    request = SupportRequest.objects.get(lsr=lsr)
    assert page.url.endswith(f"/sieci/{lsr.pk}/wsparcie/{request.pk}/")
    assert page.locator("#support-status").inner_text().strip() != ""
    journey_step("3-request-sent")
    page.context.clear_cookies()

    # --- the ROPS coordinator works the regional queue -------------------------------------------
    log_in(personas["rops"].username, PASSWORD)
    page.goto(f"/sieci/{rsr.pk}/kolejka-wsparcia/?status=submitted")
    row = page.locator(f"#support-queue tr[data-request='{request.pk}']")
    assert row.count() == 1 and SUBJECT in row.inner_text()
    assert page.locator(f"#support-per-lsr tr[data-lsr='{lsr.pk}'] td").first.inner_text() == "1"
    journey_step("4-rops-queue")
    with page.expect_navigation():
        row.locator("a").first.click()
    journey_step("5-rops-request")
    _submit(page, f"form[action$='/kolejka-wsparcia/{request.pk}/przyjmij/'] button")
    request.refresh_from_db()
    assert request.status == "accepted"
    journey_step("5b-rops-accepted")
    # done without an outcome: the message is next to the field, who helped stays
    page.locator("#id_helpers").fill("Zespół ROWR przy ROPS w Lublinie")
    _submit(page, f"form[action$='/kolejka-wsparcia/{request.pk}/zrealizowano/'] button")
    assert page.locator("#id_outcome.is-invalid").count() == 1
    assert page.locator("#id_helpers").input_value() == "Zespół ROWR przy ROPS w Lublinie"
    journey_step("6-rops-done-error")
    page.locator("#id_given_on").fill(timezone.localdate().isoformat())
    page.locator("#id_outcome").fill(OUTCOME)
    _submit(page, f"form[action$='/kolejka-wsparcia/{request.pk}/zrealizowano/'] button")
    request.refresh_from_db()
    assert request.status == "done" and request.outcome == OUTCOME
    assert OUTCOME in page.locator("#support-outcome").inner_text()
    journey_step("7-rops-done")
    page.goto(f"/sieci/{rsr.pk}/kolejka-wsparcia/")
    given = page.locator(f"#support-per-lsr tr[data-lsr='{lsr.pk}'] td").nth(2)
    assert given.inner_text() == "1"
    journey_step("7b-rops-queue-after")
    page.context.clear_cookies()

    # --- the animator sees the answer ------------------------------------------------------------
    log_in(personas["animator"].username, PASSWORD)
    page.goto("/powiadomienia/")
    assert SUBJECT in page.locator("main").inner_text()  # told of the answer
    journey_step("8a-animator-notifications")
    page.goto(f"/sieci/{lsr.pk}/wsparcie/")
    assert page.locator(f"tr[data-request='{request.pk}']").count() == 1
    journey_step("8b-animator-list")
    page.goto(f"/sieci/{lsr.pk}/wsparcie/{request.pk}/")
    assert OUTCOME in page.locator("#support-outcome").inner_text()
    journey_step("8-animator-sees-outcome")
