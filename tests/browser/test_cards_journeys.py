"""Journeys of issue 14 §1–3: the animator goes from "what next" on the home page to a satisfied
critical condition and corrects an organisation's NIP; the partner completes an activity with
evidence after a refused attempt.

On every page: axe-core (no serious or critical violation, the ``page`` fixture), nothing wider
than a 390 px screen, and a screenshot per step at 390×844 and 1366×768 under
``tests/browser/artifacts/`` (git-ignored). Elements are found by ids, names, values and URLs,
not by the (translated) visible texts; data typed by the test may be looked for.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from procedures.models import Activity, Card
from procedures.services import cards as card_services
from stakeholders.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"
LAPTOP = {"width": 1366, "height": 768}


def _click(page, assert_accessible, locator, url=None):
    with page.expect_navigation():
        locator.click()
    if url is not None:
        page.wait_for_url(url)
    assert_accessible(page)


def test_animator_goes_from_what_next_to_a_satisfied_condition(
    full_lsr, personas, page, journey_step, log_in, assert_accessible
):
    lsr = full_lsr  # every member in place; no task partnership has an agreement in force yet
    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    card = Card.objects.get(network=lsr, number=1)
    first = card.activities.order_by("position").first()
    card_services.activity_update(
        activity=first,
        expected_version=first.version,
        planned_date=timezone.localdate() - timedelta(days=7),
        notes="",
    )
    create_url = f"/sieci/{lsr.pk}/partnerstwa/nowe/"
    page.set_viewport_size(LAPTOP)
    log_in(personas["animator"].username, PASSWORD)
    assert page.url.endswith("/moje-lsr/")
    block = page.locator(f"#next-lsr-{lsr.pk}")
    fixes = block.locator(".next-conditions a")
    assert [fixes.nth(i).get_attribute("href") for i in range(fixes.count())] == [create_url]
    # the overdue activity is named and leads to its place on the card
    assert block.locator(f".next-overdue a[href$='#activity-{first.pk}']").count() == 1
    journey_step("animator-1-home")

    _click(page, assert_accessible, fixes.first, url=re.compile(rf"{create_url}$"))
    journey_step("animator-2-partnership-create")
    page.locator("#id_name").fill("Warsztaty w Gminnym Centrum Kultury")
    page.locator("#id_goal").fill("Dziesięć osób z KIS bierze udział w warsztatach GCK.")
    _click(
        page,
        assert_accessible,
        page.locator("main form[method=post] button[type=submit]"),
        url=re.compile(rf"/sieci/{lsr.pk}/partnerstwa/\d+/$"),
    )
    partner_form = "form[action$='/partnerzy/']"
    status_form = "form[action$='/status/']"
    form = page.locator(partner_form)
    form.locator("[name=organisation]").select_option(str(culture.pk))
    form.locator("[name=role]").fill("Gospodarz warsztatów")
    form.locator("[name=contribution_kind]").select_option("premises")
    form.locator("[name=contribution]").fill("Sala warsztatowa raz w tygodniu")
    _click(page, assert_accessible, form.locator("button[type=submit]"))
    journey_step("animator-3-partnership")
    page.locator(f"{status_form} [name=status]").select_option("consultation")
    _click(page, assert_accessible, page.locator(f"{status_form} button[type=submit]"))
    page.locator(f"{status_form} [name=status]").select_option("signed")
    page.locator(f"{status_form} [name=signed_on]").fill(timezone.localdate().isoformat())
    _click(page, assert_accessible, page.locator(f"{status_form} button[type=submit]"))
    journey_step("animator-4-partnership-signed")

    page.goto("/moje-lsr/")
    block = page.locator(f"#next-lsr-{lsr.pk}")
    assert block.locator(".next-conditions").count() == 0  # every critical condition met
    journey_step("animator-5-home-after")

    # the overdue activity, from the home page to its place on the card
    _click(
        page,
        assert_accessible,
        block.locator(f".next-overdue a[href$='#activity-{first.pk}']"),
        url=re.compile(rf"#activity-{first.pk}$"),
    )
    journey_step("animator-6-card")

    # the organisation's NIP, from the organisation page: refused at the field and in the
    # summary with what was typed kept, then saved
    page.goto(f"/sieci/{lsr.pk}/organizacje/{culture.pk}/")
    _click(
        page,
        assert_accessible,
        page.locator("#organisation-edit-link"),
        url=re.compile(rf"/organizacje/{culture.pk}/edycja/$"),
    )
    journey_step("animator-7-organisation-edit")
    page.locator("#id_nip").fill("1234567890")
    page.locator("#id_street").fill("ul. Parkowa 3")
    _click(page, assert_accessible, page.locator("#organisation-edit button[type=submit]"))
    assert page.locator("#error-summary a[href='#id_nip']").count() == 1
    assert page.locator("#id_street").input_value() == "ul. Parkowa 3"
    assert "is-invalid" in page.locator("#id_nip").get_attribute("class")
    journey_step("animator-8-organisation-refused")
    page.locator("#id_nip").fill("526-025-02-74")
    _click(
        page,
        assert_accessible,
        page.locator("#organisation-edit button[type=submit]"),
        url=re.compile(rf"/organizacje/{culture.pk}/$"),
    )
    culture.refresh_from_db()
    assert (culture.nip, culture.street) == ("5260250274", "ul. Parkowa 3")
    journey_step("animator-9-organisation")


def test_partner_completes_an_activity_with_evidence(
    full_lsr, personas, page, journey_step, log_in, assert_accessible, settings, tmp_path
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    partner = personas["partner"]
    partner.organisation = culture
    partner.save()
    card = Card.objects.get(network=full_lsr, number=12, organisation=culture)
    activity = card.activities.order_by("position").first()
    card_url = f"/sieci/{full_lsr.pk}/karty/{card.pk}/"
    evidence = tmp_path / "lista-obecnosci.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% lista obecnosci\n")

    page.set_viewport_size(LAPTOP)
    log_in(partner.username, PASSWORD)
    assert page.url.endswith("/moje-zadania/")
    journey_step("partner-1-my-tasks")
    _click(
        page,
        assert_accessible,
        page.locator(f"#my-cards a[href$='{card_url}']"),
        url=re.compile(rf"{card_url}$"),
    )
    section = page.locator(f"#activity-{activity.pk}")
    # a "to do" activity offers to start it; no status control has a default
    assert section.locator("select[name$='-to']").count() == 0
    assert section.locator("input[name$='-to'][value=in_progress]").count() == 1
    journey_step("partner-2-card")

    # "does not apply" without a reason: refused at the field and in the summary, which takes focus
    section.locator("details:has(form.activity-na) > summary").click()
    section.locator("form.activity-na button[type=submit]").click()
    section = page.locator(f"#activity-{activity.pk}")
    summary = section.locator("#error-summary")
    summary.wait_for()
    expect(summary).to_be_focused()
    assert section.locator(f"#id_a{activity.pk}-reason.is-invalid").count() == 1
    assert Activity.objects.get(pk=activity.pk).status == "todo"
    assert_accessible(page)
    journey_step("partner-3-refused")

    # it does apply after all: start it, then mark it done with the evidence
    section.locator("input[value=in_progress] ~ button[type=submit]").click()
    page.locator(f"#activity-{activity.pk} [data-saved]").wait_for()
    assert Activity.objects.get(pk=activity.pk).status == "in_progress"
    section = page.locator(f"#activity-{activity.pk}")
    done_form = section.locator("form.activity-done")
    assert done_form.is_visible()  # in progress: marking done is the action offered
    done_form.locator(f"#id_a{activity.pk}-evidence_kind").select_option("list")
    done_form.locator(f"#id_a{activity.pk}-evidence_file").set_input_files(str(evidence))
    done_form.locator("button[type=submit]").click()
    page.locator(f"#activity-{activity.pk} [data-saved]").wait_for()
    expect(page.locator(f"#activity-{activity.pk} [data-saved]")).to_be_focused()
    activity.refresh_from_db()
    assert activity.status == "done" and activity.done_date == timezone.localdate()
    assert activity.evidence.get().original_name == "lista-obecnosci.pdf"
    section = page.locator(f"#activity-{activity.pk}")
    assert section.locator("a[href*='/zalaczniki/']").count() == 1
    assert section.locator("input[name$='-to'][value=in_progress]").count() == 1  # reopen only
    assert page.url.endswith(card_url)  # the user stayed where they were
    assert_accessible(page)
    journey_step("partner-4-done")
