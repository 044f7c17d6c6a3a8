"""The animator invites a partner representative, who sets a password from the link in the e-mail
(read from the test outbox), logs in and finds the need addressed to them in the notification list.

The need is posted through the service between the two halves (the needs journey is tested in
test_partner_journey); everything the animator and the partner do happens through the UI. Elements
are found by ids, field names and URLs, not by visible text."""

import re

import pytest
from django.core import mail

from procedures.models import Need
from procedures.services.needs import need_post
from stakeholders.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"
NEW_PASSWORD = "Gck-Zmudz-2026!"
EMAIL = "jan.kowalski@gck.example.pl"
LINK = re.compile(r"http://[^/\s]+(/konto/zaproszenie/[^/\s]+/[^/\s]+/)")


def _submit(page, assert_accessible, locator, url=None):
    with page.expect_navigation():
        locator.click()
    if url is not None:
        page.wait_for_url(url)
    assert_accessible(page)


def test_animator_invites_a_partner_who_sets_a_password_and_finds_the_need(
    full_lsr, kis, personas, page, log_in, assert_accessible
):
    network = full_lsr
    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    animator = personas["animator"]
    mail.outbox.clear()

    # --- the animator invites the culture centre's representative --------------------------------
    log_in(animator.username, PASSWORD)
    page.goto("/konto/zaproszenia/")
    _submit(page, assert_accessible, page.locator("#invite-one"), url=re.compile(r"/nowe/$"))
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_first_name").fill("Jan")
    page.locator("#id_last_name").fill("Kowalski")
    page.locator("#id_organisation").select_option(str(culture.pk))
    _submit(
        page,
        assert_accessible,
        page.locator("#invitation-form button[type=submit]"),
        url=re.compile(r"/konto/zaproszenia/$"),
    )
    assert page.locator("#invitations td", has_text=EMAIL).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    link = LINK.search(mail.outbox[0].body).group(1)
    _submit(page, assert_accessible, page.locator("form[action='/konto/wylogowanie/'] button"))

    # --- the partner sets a password from the link -----------------------------------------------
    page.goto(link)
    assert page.locator("#id_first_name").input_value() == "Jan"
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill("something-else-1")
    _submit(page, assert_accessible, page.locator("#accept-form button[type=submit]"))
    assert page.locator("#accept-form .invalid-feedback").count() >= 1  # passwords differ
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    _submit(
        page,
        assert_accessible,
        page.locator("#accept-form button[type=submit]"),
        url=re.compile(r"/konto/logowanie/$"),
    )

    # the KIS posts a need addressed to the culture centre
    need = need_post(
        network=network,
        posted_by=kis,
        need=Need(kind="premises", description="Sala na 20 osób", needed_when="marzec 2027"),
        addressees=[culture],
        addressed_to_all=False,
    )

    # --- the partner logs in and finds the need in the notification list -------------------------
    log_in(EMAIL, NEW_PASSWORD)
    assert page.locator("#unread-count").inner_text().startswith("1")
    _submit(
        page,
        assert_accessible,
        page.locator("#notification-bell"),
        url=re.compile(r"/powiadomienia/$"),
    )
    item = page.locator("#notification-list [data-kind=need_addressed]")
    assert item.count() == 1
    assert "Sala na 20 osób" in item.inner_text()
    need_url = f"/sieci/{network.pk}/potrzeby/{need.pk}/"
    _submit(
        page,
        assert_accessible,
        item.locator("form[action$='/otworz/'] button"),
        url=re.compile(rf"{need_url}$"),
    )
    assert page.locator("#unread-count").count() == 0
    # the invited link is one-time
    page.goto(link)
    assert page.locator("#invitation-problem[data-problem=used]").count() == 1
