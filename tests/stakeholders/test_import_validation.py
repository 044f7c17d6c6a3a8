"""Import validation: formula cells neutralised, numbers that lost their leading zeros, other
encodings, and limits that refuse a huge sheet at once."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from networks.services.io import import_commit, validate_for_network
from stakeholders.import_files import MAX_COLUMNS, MAX_ROWS, ImportFileError
from stakeholders.imports import parse_table
from stakeholders.models import Organisation
from tests.builders import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English msgids."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


HEADER = "nazwa;typ;rodzaj instytucji;sektor;REGON;KRS;telefon\n"


def csv_file(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("o.csv", text.encode(encoding), content_type="text/csv")


def rows_of(text, encoding="utf-8"):
    return parse_table(csv_file(text, encoding))


def test_formula_cells_are_flagged_and_stored_neutralised(lsr, personas):
    text = HEADER + "=SUM(1,2)*CMD();C;ngo;ngo;;;+48 82 123 45 67\n"
    results = validate_for_network(network=lsr, rows=rows_of(text), user=personas["animator"])
    (result,) = results
    assert result.is_valid, result.errors
    assert any("formula" in w for w in result.warnings)
    assert not any(
        "Telefon" in w or "telefon" in w for w in result.warnings
    )  # a phone is no formula
    import_commit(network=lsr, row_results=results, user=personas["animator"])
    org = Organisation.objects.get(name="'=SUM(1,2)*CMD()")
    assert org.phone == "+48 82 123 45 67"


def test_formula_warning_shows_in_the_preview(client, personas, lsr):
    client.force_login(personas["animator"])
    content = (HEADER + "@SUM(A1:A9);C;ngo;ngo;;;\n").encode()
    response = client.post(
        reverse("networks:organisation_import", args=[lsr.pk]),
        {"file": SimpleUploadedFile("o.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "data-import-warnings" in response.content.decode()


def test_regon_and_krs_that_lost_leading_zeros(lsr, personas):
    text = (
        HEADER
        + "Padded;C;ngo;ngo;12345675;123456;\n"  # REGON 012345675 passes its check digit
        + "Broken;C;ngo;ngo;12345678;;\n"  # no padding passes: explained, refused
    )
    padded, broken = validate_for_network(network=lsr, rows=rows_of(text), user=None)
    assert padded.is_valid, padded.errors
    assert padded.cleaned["regon"] == "012345675" and padded.cleaned["krs"] == "0000123456"
    assert any("leading zeros" in w for w in padded.warnings)
    assert not broken.is_valid
    assert any("leading zeros" in m for m in broken.errors["regon"]), broken.errors


def test_regon_as_an_excel_number(lsr):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["nazwa", "typ", "rodzaj instytucji", "sektor", "REGON"])
    sheet.append(["Z Excela", "C", "ngo", "ngo", 12345675])  # a number: the zero is gone
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = parse_table(SimpleUploadedFile("o.xlsx", buffer.getvalue()))
    (result,) = validate_for_network(network=lsr, rows=rows)
    assert result.is_valid and result.cleaned["regon"] == "012345675"


@pytest.mark.parametrize("encoding", ["iso-8859-2", "cp1250", "utf-16", "utf-16-le", "utf-8-sig"])
def test_polish_encodings_are_detected(encoding):
    text = HEADER + "Gminny Ośrodek Pomocy Społecznej w Łęcznej - Źródło Ąś;B;ops;public;;;\n"
    (row,) = rows_of(text, encoding)
    assert row["name"] == "Gminny Ośrodek Pomocy Społecznej w Łęcznej - Źródło Ąś"
    assert "Łęcznej" in row["name"] and "Źródło Ąś" in row["name"]


def test_a_file_in_no_known_encoding_is_refused_with_a_clear_message():
    content = HEADER.encode() + bytes(range(1, 9)) * 20 + b"\n"
    with pytest.raises(ImportFileError, match="UTF-8, UTF-16, Windows-1250 or ISO-8859-2"):
        parse_table(SimpleUploadedFile("o.csv", content))


def test_a_huge_csv_is_refused_quickly():
    text = HEADER + "Organizacja;C;ngo;ngo;;;\n" * 60_000
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match=str(MAX_ROWS)):
        rows_of(text)
    assert time.perf_counter() - started < 1.0
    wide = HEADER.strip() + ";x" * (MAX_COLUMNS + 5) + "\nA;C;ngo;ngo;;;" + ";1" * (MAX_COLUMNS + 5)
    with pytest.raises(ImportFileError, match="columns"):
        rows_of(wide + "\n")
    with pytest.raises(ImportFileError, match="characters"):
        rows_of(HEADER + "A" * 5000 + ";C;ngo;ngo;;;\n")


def test_a_huge_sheet_is_refused_quickly():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["nazwa", "typ", "rodzaj instytucji", "sektor"])
    for n in range(30_000):
        sheet.append([f"Organizacja {n}", "C", "ngo", "ngo"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match=str(MAX_ROWS)):
        parse_table(SimpleUploadedFile("o.xlsx", buffer.getvalue()))
    assert time.perf_counter() - started < 1.0


def test_import_preview_does_not_name_duplicates_outside_scope(client, personas, lsr, territory):
    make_org(territory["warsaw"], "C", name="Fundacja Tajna Warszawska", nip="5260250274")
    client.force_login(personas["animator"])
    content = b"nazwa;typ;rodzaj instytucji;sektor;NIP\nNowa Fundacja;C;ngo;ngo;5260250274\n"
    response = client.post(
        reverse("networks:organisation_import", args=[lsr.pk]),
        {"file": SimpleUploadedFile("o.csv", content, content_type="text/csv")},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tajna" not in body
    assert "already registered" in body or "już zarejestrowan" in body
