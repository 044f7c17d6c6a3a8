"""Every table fits the printable width, a full letter of intent fits one page, and the test
helper that looks for text off the page really finds it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from weasyprint import HTML

from networks.models import PartnershipMember
from networks.services import networks as network_services
from tests.ksr_portal.test_print_documents import VALID_NIP, contact, get_pdf, rich_lsr  # noqa: F401
from tests.pdf_utils import pages_text, words_off_the_page

pytestmark = pytest.mark.django_db

PAGE = "<style>@page {{ size: A4; margin: 24mm 18mm; }}</style>{body}"


def test_the_helper_finds_text_beyond_the_printable_width_and_the_page_edge():
    wide = PAGE.format(
        body="<table style='width: 190mm'><tr><td style='width: 150mm'>a</td>"
        "<td style='text-align: right'>Wartość</td></tr></table>"
    )
    off = words_off_the_page(HTML(string=wide).write_pdf())
    assert any(word.startswith("Wartość") for word in off), off
    into_the_margin = PAGE.format(body="<p style='margin-left: -10mm'>Margines</p>")
    assert words_off_the_page(HTML(string=into_the_margin).write_pdf())
    fits = PAGE.format(body="<table style='width: 100%'><tr><td>Wartość</td></tr></table>")
    assert words_off_the_page(HTML(string=fits).write_pdf()) == []


def test_partnership_agreement_amounts_stay_inside_the_page(rich_lsr, personas, login):  # noqa: F811
    firm = rich_lsr.memberships.get(organisation__name="Firma Lokalna").organisation
    network_services.partnership_add_partner(
        partnership=rich_lsr.partnership,
        partner=PartnershipMember(
            organisation=firm,
            role="partner finansowy i organizacyjny",
            contribution_kind="funds",
            contribution="Środki finansowe na wynagrodzenia trenerów i materiały szkoleniowe",
            amount=Decimal("1234567.89"),
        ),
    )
    url = reverse("printing:partnership_agreement_pdf", args=[rich_lsr.pk, rich_lsr.partnership.pk])
    pdf = get_pdf(login(personas["admin"]), url, language="pl")
    assert words_off_the_page(pdf) == []
    text = "".join(" ".join(pages_text(pdf)).split())
    assert "Wartość" in text and "1234567,89" in text


def test_letter_of_intent_with_a_full_sender_block_fits_one_page(rich_lsr, personas, login):  # noqa: F811
    kis = rich_lsr.memberships.get(role="main").organisation
    kis.street = "ul. Generała Władysława Andersa 123/45 lok. 6"
    kis.postal_code, kis.city = "22-130", "Żmudź-Kolonia Druga"
    kis.nip, kis.regon, kis.krs = VALID_NIP, "123456785", "0000123456"
    kis.email = "sekretariat.klubu.integracji.spolecznej@zmudz-gmina.example.pl"
    kis.phone = "+48 82 123 45 67 wew. 123"
    kis.save()
    coordinator = kis.contacts.first()
    coordinator.email, coordinator.phone = "zofia.zdzblo@zmudz-gmina.example.pl", "+48 600 100 200"
    coordinator.save()
    rich_lsr.main_goal = " ".join(
        ["Wspieranie rozwoju lokalnego dla ograniczenia bezrobocia i skali ubóstwa"] * 4
    )
    rich_lsr.save()
    url = reverse("printing:letters_pdf", args=[rich_lsr.pk, "list-intencyjny"])
    pdf = get_pdf(login(personas["animator"]), url, language="pl")
    pages = pages_text(pdf)
    addressees = rich_lsr.memberships.active().exclude(role="main").count()
    assert len(pages) == addressees  # one letter, one page
    for page in pages:
        flat = "".join(page.split())
        assert "NIP5260250274" in flat and "KRS0000123456" in flat and "wew.123" in flat
        assert "Wspieranierozwojulokalnego" in flat
        assert "Zwyrazamiszacunku" in flat and "KoordynatorLSR" in flat
    assert words_off_the_page(pdf, side_margin_mm=22) == []
