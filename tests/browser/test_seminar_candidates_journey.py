"""Card 1 and 2 in the browser: the animator keeps the list of potential stakeholders (one
joins the LSR), plans the animation-information seminar with the seed's agenda and records a
resident; the ROPS coordinator records a training for KIS teams. Every page: axe, no overflow at
390 px, screenshots under tests/browser/artifacts/."""

import pytest

from networks.models import Membership, PotentialStakeholder, SupportEvent
from procedures.models import Meeting, SeminarParticipant
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"
CANDIDATE = "Biblioteka Publiczna Gminy Żmudź"


def _submit(page, selector):
    with page.expect_navigation():
        page.locator(selector).click()


def test_potential_stakeholders_the_seminar_and_a_kis_training(
    full_lsr, kis, personas, page, log_in, journey_step
):
    lsr = full_lsr
    log_in(personas["animator"].username, PASSWORD)

    # --- potential stakeholders (card 2) --------------------------------------------------------
    page.goto(f"/sieci/{lsr.pk}/potencjalni-interesariusze/nowy/")
    journey_step("0-candidate-form")
    page.locator("#id_name").fill(CANDIDATE)
    page.locator("input[name=stakeholder_type][value=C]").check()
    page.locator("#id_institution_kind").select_option("culture")
    page.locator("#id_sector").select_option("public")
    page.locator("#id_contact_note").fill("Rozmowa z dyrektorką 3 marca.")
    _submit(page, "main form button[type=submit]")
    candidate = PotentialStakeholder.objects.get(name=CANDIDATE)
    assert page.locator(f"tr[data-candidate='{candidate.pk}']").count() == 1
    journey_step("1-candidates")
    page.goto(f"/sieci/{lsr.pk}/potencjalni-interesariusze/{candidate.pk}/")
    journey_step("1b-candidate-edit")
    page.locator("#id_status").select_option("joined")
    _submit(page, f"form[action$='/{candidate.pk}/status/'] button")
    candidate.refresh_from_db()
    assert candidate.status == "joined"
    assert Membership.objects.filter(network=lsr, organisation=candidate.organisation).exists()
    journey_step("2-candidate-joined")

    # --- the seminar (card 1) -------------------------------------------------------------------
    page.goto(f"/sieci/{lsr.pk}/posiedzenia/nowe/?kind=seminar")
    assert "Wprowadzenie w tematykę modelu" in page.locator("#id_agenda").input_value()
    page.locator("#id_held_at").fill("2027-03-10T10:00")
    page.locator("#id_place").fill("Sala Urzędu Gminy")
    journey_step("3-seminar-form")
    _submit(page, "main form button[type=submit]")
    seminar = Meeting.objects.get(network=lsr, kind="seminar")
    journey_step("3b-seminar-saved")
    page.locator("#id_name").fill("Maria Kowalczyk")
    page.locator("#id_role").select_option("resident")
    _submit(page, f"form[action$='/posiedzenia/{seminar.pk}/uczestnicy-seminarium/'] button")
    assert SeminarParticipant.objects.filter(meeting=seminar, name="Maria Kowalczyk").exists()
    assert "Maria Kowalczyk" in page.locator("#seminar-participants").inner_text()
    journey_step("4-seminar")
    page.context.clear_cookies()

    # --- a training for KIS teams (the ROPS coordinator) ----------------------------------------
    person = factories.ContactPersonFactory(organisation=kis, name="Kierowniczka KIS")
    log_in(personas["rops"].username, PASSWORD)
    page.goto(f"/sieci/{lsr.parent_id}/szkolenia-kis/nowe/")
    page.locator("#id_kind").select_option("training")
    page.locator("#id_title").fill("Szkolenie: KIS jako lider LSR")
    page.locator("#id_held_on").fill("2026-11-20")
    page.locator(f"input[name=participants][value='{person.pk}']").check()
    journey_step("5-training-form")
    _submit(page, "main form button[type=submit]")
    event = SupportEvent.objects.get(title="Szkolenie: KIS jako lider LSR")
    assert list(event.participants.all()) == [person]
    journey_step("6-training")
    page.goto(f"/sieci/{lsr.parent_id}/szkolenia-kis/")
    journey_step("7-trainings")
