"""The PDF of a procedure card (MLW card template, Rys. 3)."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from procedures.models import Activity, ActivityStatus, Card
from procedures.services import cards as services
from stakeholders.models import ContactPerson, InstitutionKind, LegalBasis, Organisation, Sector
from tests.builders import make_org
from tests.pdf_utils import words_off_the_page as _words_outside_the_page

pytestmark = pytest.mark.django_db


def _url(card):
    return reverse("procedures:card_pdf", args=[card.network_id, card.pk])


def _text(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def _card_1(network):
    return Card.objects.get(network=network, number=1)


def test_card_pdf_has_the_mlw_fields(client, personas, full_lsr, kis):
    card = _card_1(full_lsr)
    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    ops = Organisation.objects.get(name="GOPS Żmudź")
    person = ContactPerson.objects.create(
        organisation=kis,
        name="Józefina Łęcka-Żurawska",
        function="Koordynatorka LSR",
        legal_basis=LegalBasis.PUBLIC_TASK,
    )
    services.card_update_fields(
        card=card, responsible=person, cooperating=[culture], informed=[ops]
    )
    client.force_login(personas["animator"])

    with translation.override("en"):
        response = client.get(_url(card))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''karta-1-lsr-%C5%BCmud%C5%BA.pdf"
    )
    pages = _text(response.content)
    text = " ".join(pages)
    assert "LSR Żmudź" in text
    assert "gmina Żmudź" in text
    assert "1. Inicjacja LSR" in text
    assert "KIS w Żmudzi" in text
    for activity in card.activities.all():
        beginning = " ".join(activity.text.split()[:3])
        assert beginning in text, beginning
    assert "Józefina Łęcka-Żurawska" in text and "Koordynatorka LSR" in text
    assert "Gminne Centrum Kultury" in text and "GOPS Żmudź" in text
    for label in (
        "Procedure card / institution introducing the procedure",
        "Procedure name",
        "Activities",
        "Cooperating institutions",
        "Institutions receiving information within the procedure",
        "Person responsible for the procedure in the institution",
    ):
        assert label in text, label
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page
    assert re.search(r"Generated \d\d\.\d\d\.\d{4}", text)


def test_card_pdf_shows_activity_status_dates_and_reason(client, personas, full_lsr):
    card = _card_1(full_lsr)
    first, second = card.activities.order_by("position")[:2]
    services.activity_transition(
        activity=first,
        to=ActivityStatus.DONE,
        expected_version=first.version,
        done_date=first.updated_at.date(),
    )
    services.activity_transition(
        activity=second,
        to=ActivityStatus.NOT_APPLICABLE,
        expected_version=second.version,
        reason="Spotkanie zastąpiono konsultacjami",
    )
    Activity.objects.filter(pk=card.activities.order_by("position")[2].pk).update(
        planned_date=datetime.date(2027, 3, 15)
    )
    client.force_login(personas["admin"])

    with translation.override("en"):
        text = " ".join(_text(client.get(_url(card)).content))

    assert f"done · done date: {first.updated_at.date():%d.%m.%Y}" in text
    assert "not applicable" in text
    assert "Spotkanie zastąpiono konsultacjami" in text
    assert "to do · planned date: 15.03.2027" in text


def test_partner_of_another_organisation_gets_404(client, personas, full_lsr, territory):
    card = _card_1(full_lsr)
    partner = personas["partner"]
    partner.organisation = make_org(territory["warsaw"], name="Fundacja z Warszawy")
    partner.save()
    client.force_login(partner)

    assert client.get(_url(card)).status_code == 404

    # a partner of a member organisation sees its own cards only, not the main node's card 1
    partner.organisation = Organisation.objects.get(name="Firma Lokalna")
    partner.save()
    assert client.get(_url(card)).status_code == 404
    own = Card.objects.filter(network=full_lsr, organisation=partner.organisation).first()
    assert client.get(_url(own)).status_code == 200


def test_other_animator_gets_404(client, personas, full_lsr):
    client.force_login(personas["other_animator"])
    assert client.get(_url(_card_1(full_lsr))).status_code == 404


def test_anonymous_is_sent_to_login(client, full_lsr):
    url = _url(_card_1(full_lsr))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_only_get(client, personas, full_lsr):
    client.force_login(personas["animator"])
    assert client.post(_url(_card_1(full_lsr))).status_code == 405


def test_long_card_renders_and_stays_on_the_page(client, personas, full_lsr, kis):
    card = _card_1(full_lsr)
    long_word = "Międzygminne" + "Ż" * 60 + "Stowarzyszenie"
    kis.name = (f"Klub Integracji Społecznej {long_word} " + "przy Ośrodku Pomocy " * 20)[:250]
    kis.save()
    assert len(kis.name) == 250
    note_word = "https://example.org/" + "ścieżka" * 40
    note = (f"Notatka {note_word} " + "Zażółć gęślą jaźń, spotkanie partnerów LSR. " * 60)[:2000]
    assert len(note) == 2000
    Activity.objects.filter(card=card).update(notes=note)
    card.cooperating.set(
        [
            make_org(full_lsr.gmina, "C", InstitutionKind.CULTURE, Sector.PUBLIC, name=f"Inst {i}")
            for i in range(3)
        ]
    )
    client.force_login(personas["animator"])

    response = client.get(_url(card))

    assert response.status_code == 200
    pages = _text(response.content)
    assert len(pages) >= 2
    text = "".join(" ".join(pages).split())  # long words are wrapped: compare without spaces
    assert "".join(kis.name.split()) in text
    assert "".join(note.split()) in text
    assert "".join(card.activities.order_by("-position").first().text.split()) in text
    assert _words_outside_the_page(response.content) == []


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English msgids: requests and services run in English."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
