"""The administrator opens an LSR and downloads its partnership agreement as a PDF.

Elements are found by ids, names and URLs, never by visible text (the texts are translated).
"""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from networks.models import MemberRole
from networks.services import networks as network_services
from stakeholders.models import InstitutionKind, Sector
from tests.builders import make_lsr, make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"
LSR_NAME = "Lokalna Sieć Reintegracji w Gminie Żmudź"


def test_admin_downloads_the_agreement_of_an_lsr(territory, personas, page, log_in, tmp_path):
    zmudz = territory["zmudz"]
    network = make_lsr(personas["admin"], zmudz, name=LSR_NAME)
    kis = make_org(zmudz, "A", InstitutionKind.KIS, Sector.NGO, name="Klub Integracji Społecznej")
    culture = make_org(zmudz, "C", InstitutionKind.CULTURE, Sector.PUBLIC, name="Gminny Ośrodek")
    network_services.membership_add(network=network, organisation=kis, role=MemberRole.MAIN_NODE)
    network_services.membership_add(network=network, organisation=culture)

    log_in(personas["admin"].username, PASSWORD)
    page.goto(reverse("networks:detail", args=[network.pk]))
    assert page.locator("h1").count() == 1

    # the documents page of the LSR (until the network page includes the documents block)
    page.goto(reverse("printing:documents", args=[network.pk]))
    link = page.locator("#lsr-documents a[href$='porozumienie.pdf']").first
    assert link.get_attribute("href") == reverse("printing:agreement_pdf", args=[network.pk])
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    target = Path(tmp_path) / "porozumienie.pdf"
    download.save_as(target)

    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert LSR_NAME in text
    assert "Klub Integracji Społecznej" in text and "Gminny Ośrodek" in text
