"""A partner completes card 12 and declines a need; the animator then sees both.

The set-up (LSR, partner account, the KIS's need, an overdue activity) goes through the ORM and the
services; everything the partner and the animator do happens through the UI. Elements are found by
ids, field names, values, form actions and URLs, never by visible text, because the texts are being
translated. Data typed by the test (the organisation's name, the decline reason) may be looked for.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from procedures.models import Activity, Card, CardStatus, Need, NeedResponse, ResponseKind
from procedures.services import cards as services
from procedures.services.needs import need_post
from stakeholders.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"
CULTURE_NAME = "Gminne Centrum Kultury"
REASON = "Sala jest w remoncie do maja 2027."


def _click(page, assert_accessible, locator, url=None):
    """Click a link or a submit button, wait for the response page and check it with axe."""
    with page.expect_navigation():
        locator.click()
    if url is not None:
        page.wait_for_url(url)
    assert_accessible(page)


def _field_error(page, field_id):
    """The error crispy-forms renders next to a field (inside the field's wrapper)."""
    return page.locator(f"#div_{field_id} .invalid-feedback, #error_1_{field_id}").first


def test_partner_completes_card_12_and_declines_a_need_then_the_animator_sees_both(
    full_lsr, kis, personas, page, log_in, assert_accessible
):
    network = full_lsr
    culture = Organisation.objects.get(name=CULTURE_NAME)

    partner = personas["partner"]
    partner.organisation = culture
    partner.save()
    animator = personas["animator"]

    need = need_post(
        network=network,
        posted_by=kis,
        need=Need(kind="premises", description="Sala na 20 osób", needed_when="marzec 2027"),
        addressees=[culture],
        addressed_to_all=False,
    )

    card12 = Card.objects.get(network=network, number=12, organisation=culture)
    card11 = Card.objects.get(network=network, number=11, organisation=culture)
    activities = list(card12.activities.order_by("position"))
    assert len(activities) == 3
    overdue = services.activity_update(
        activity=activities[0],
        expected_version=activities[0].version,
        planned_date=timezone.localdate() - timedelta(days=10),
        notes="",
    )

    card12_url = f"/sieci/{network.pk}/karty/{card12.pk}/"
    card11_url = f"/sieci/{network.pk}/karty/{card11.pk}/"
    need_url = f"/sieci/{network.pk}/potrzeby/{need.pk}/"

    # --- the partner logs in and lands on "my tasks" ----------------------------------------------
    log_in(partner.username, PASSWORD)
    assert page.url.endswith("/moje-zadania/")
    overdue_link = page.locator(f"#overdue-list a[href$='{card12_url}#activity-{overdue.pk}']")
    assert overdue_link.count() == 1
    card_link = page.locator(f"#my-cards a[href$='{card12_url}']")
    assert card_link.count() == 1
    assert page.locator(f"#my-cards a[href$='{card11_url}']").count() == 1
    need_link = page.locator(f"#my-needs a[href$='{need_url}']")
    assert need_link.count() == 1
    assert page.locator("#my-needs [data-status=open]").count() == 1

    # --- card 12: every activity done, then the card completed -----------------------------------
    _click(page, assert_accessible, card_link, url=re.compile(rf"{card12_url}$"))
    assert page.locator("#complete-card").count() == 0  # activities are still open
    for activity in activities:
        # one action per state: a "to do" activity is marked done from behind a disclosure, in
        # place (htmx swaps the activity; the page does not move)
        section = page.locator(f"#activity-{activity.pk}")
        form = section.locator("form.activity-done")
        assert form.count() == 1
        assert form.locator(f"[name=a{activity.pk}-version]").input_value() == str(
            Activity.objects.get(pk=activity.pk).version
        )
        assert section.locator(f"select[name=a{activity.pk}-to]").count() == 0
        section.locator("details:has(form.activity-done) > summary").click()
        form.locator("button[type=submit]").click()
        page.locator(f"#activity-{activity.pk} [data-saved]").wait_for()
        activity.refresh_from_db()
        assert activity.status == "done"
        assert activity.done_date == timezone.localdate()
        # a done activity can only be reopened
        targets = page.locator(f"#activity-{activity.pk} input[name=a{activity.pk}-to]")
        assert [targets.nth(i).get_attribute("value") for i in range(targets.count())] == [
            "in_progress"
        ]
    assert page.url.endswith(card12_url)
    page.locator("#complete-card").wait_for()

    _click(
        page,
        assert_accessible,
        page.locator("#complete-card button[type=submit]"),
        url=re.compile(rf"{card12_url}$"),
    )
    card12.refresh_from_db()
    assert card12.status == CardStatus.DONE
    assert card12.completed_at is not None
    # the page now offers to reopen the card instead of completing it
    assert page.locator("#complete-card").count() == 0
    assert page.locator(f"form[action$='{card12_url}otworz/']").count() == 1
    # the card's status badge (next to the heading) shows "done", as do the 3 activities'
    assert page.locator("main h1 + p .badge.text-bg-success").count() == 1
    for activity in activities:
        assert page.locator(f"#activity-{activity.pk}-heading .badge.text-bg-success").count() == 1
    assert page.locator(".messages .alert-success").count() == 1

    # --- card 11 with open activities cannot be completed ----------------------------------------
    page.goto(card11_url)
    # completing is not offered while activities are open (the service refuses it too)
    assert page.locator("#complete-card").count() == 0
    assert page.locator("#card-completion").is_visible()
    card11.refresh_from_db()
    assert card11.completed_at is None
    assert card11.status != CardStatus.DONE

    # --- the need: declined, first without a reason ----------------------------------------------
    page.goto("/moje-zadania/")
    # card 12 is no longer among the open cards
    assert page.locator(f"#my-cards a[href$='{card12_url}']").count() == 0
    _click(
        page,
        assert_accessible,
        page.locator(f"#my-needs a[href$='{need_url}']"),
        url=re.compile(rf"{need_url}$"),
    )
    assert page.locator("#need-status [data-status=open]").count() == 1
    _click(
        page,
        assert_accessible,
        page.locator(f"main a[href$='{need_url}odpowiedz/']"),
        url=re.compile(rf"{need_url}odpowiedz/$"),
    )
    respond_form = "main form[method=post]"
    page.locator("[name=kind][value=decline]").check()
    assert page.locator("#id_text").input_value() == ""
    _click(page, assert_accessible, page.locator(f"{respond_form} button[type=submit]"))
    assert page.url.endswith(f"{need_url}odpowiedz/")
    assert not NeedResponse.objects.filter(need=need).exists()
    text_error = _field_error(page, "id_text")
    assert text_error.is_visible()
    assert text_error.inner_text().strip()
    assert "is-invalid" in page.locator("#id_text").get_attribute("class")
    # the choice is kept
    assert page.locator("[name=kind][value=decline]").is_checked()
    assert not page.locator("[name=kind][value=offer]").is_checked()

    page.locator("#id_text").fill(REASON)
    _click(
        page,
        assert_accessible,
        page.locator(f"{respond_form} button[type=submit]"),
        url=re.compile(rf"{need_url}$"),
    )
    response = NeedResponse.objects.get(need=need)
    assert (response.organisation, response.kind, response.text) == (
        culture,
        ResponseKind.DECLINE,
        REASON,
    )
    assert response.responded_by == partner
    assert page.locator("#own-answer-text").inner_text().strip() == REASON
    assert page.locator("#need-status [data-status=declined]").count() == 1
    # one answer per partner: no more answer link
    assert page.locator(f"main a[href$='{need_url}odpowiedz/']").count() == 0

    # --- log out, log in as the animator ----------------------------------------------------------
    _click(
        page,
        assert_accessible,
        page.locator("form[action$='/konto/wylogowanie/'] button[type=submit]"),
        url=re.compile(r"/konto/logowanie/"),
    )
    log_in(animator.username, PASSWORD)
    assert page.url.endswith("/moje-lsr/")

    # --- the card list: card 12 of the culture centre is done ------------------------------------
    page.goto(f"/sieci/{network.pk}/karty/")
    row = page.locator("tr[data-card='12']").filter(has_text=CULTURE_NAME)
    assert row.count() == 1
    assert row.locator(f"a[href$='{card12_url}']").count() == 1
    assert row.locator(".badge.text-bg-success").count() == 1
    other_row = page.locator("tr[data-card='12']").filter(has_text="Firma Lokalna")
    assert other_row.locator(".badge.text-bg-success").count() == 0
    assert Card.objects.get(pk=card12.pk).status == CardStatus.DONE
    assert (
        Card.objects.filter(network=network, number=12, status=CardStatus.DONE).get().organisation
        == culture
    )

    # --- the need list and the need: declined, with the reason -----------------------------------
    page.goto(f"/sieci/{network.pk}/potrzeby/")
    need_row = page.locator(f"tr[data-need='{need.pk}']")
    assert need_row.count() == 1
    assert need_row.locator(".badge[data-status=declined]").count() == 1
    assert page.locator("#need-counts [data-count=declined]").inner_text().strip() == "1"
    _click(
        page,
        assert_accessible,
        need_row.locator(f"a[href$='{need_url}']"),
        url=re.compile(rf"{need_url}$"),
    )
    assert page.locator("#need-status .badge").get_attribute("data-status") == "declined"
    answer_row = page.locator(f"#answers tr[data-organisation='{culture.pk}']")
    assert answer_row.count() == 1
    assert page.get_by_role("cell", name=REASON).is_visible()
    assert REASON in answer_row.inner_text()
