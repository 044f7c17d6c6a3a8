"""Export of members (CSV/XLSX) and import of organisations (CSV/XLSX) into an LSR."""

import csv
import io
import re
import time
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from networks.models import MemberRole, Membership, Network
from networks.services.networks import lsr_create, membership_add, membership_end
from networks.views.io import SESSION_KEY
from stakeholders.import_files import MAX_FILE_SIZE, ImportFileError
from stakeholders.imports import parse_table
from stakeholders.models import ContactPerson, LegalBasis, Organisation
from tests.factories import KisFactory

pytestmark = pytest.mark.django_db

VALID_NIP = "1234563218"
VALID_NIP_2 = "5261040828"
BAD_NIP = "1234563219"  # wrong check digit
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POLISH_HEADER = (
    "nazwa;nazwa skrócona;typ (A/B/C);rodzaj instytucji;sektor;forma prawna;zasięg;ulica;"
    "kod pocztowy;miejscowość;gmina TERYT;NIP;REGON;KRS;e-mail;telefon;www"
)


# ------------------------------------------------------------------------------------ helpers


def add_member(network, organisation=None, *, representatives=0, **kwargs):
    organisation = organisation or KisFactory(gmina=network.gmina)
    people = [
        ContactPerson.objects.create(
            organisation=organisation,
            name=f"Osoba {i} {organisation.pk}",
            legal_basis=LegalBasis.PUBLIC_TASK,
        )
        for i in range(representatives)
    ]
    return membership_add(
        network=network, organisation=organisation, representatives=people, **kwargs
    ).obj


@pytest.fixture
def lsr(personas, territory):
    return lsr_create(
        user=personas["animator"],
        gmina=territory["zmudz"],
        network=Network(name="LSR Żmudź", variant="civic", initiators="Jan Kowalski, sołtys"),
    )


def export_url(network, fmt):
    return reverse("networks:member_export", args=[network.pk, fmt])


def import_url(network):
    return reverse("networks:organisation_import", args=[network.pk])


def upload(client, network, name, content, content_type="text/csv"):
    return client.post(
        import_url(network), {"file": SimpleUploadedFile(name, content, content_type)}
    )


def pending_token(client):
    pending = client.session.get(SESSION_KEY, {})
    assert len(pending) == 1
    return next(iter(pending))


def confirm(client, network, token, **extra):
    return client.post(import_url(network), {"token": token, **extra})


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def row_html(response, number):
    body = response.content.decode()
    match = re.search(rf'<tr class="([^"]*)" data-row="{number}">(.*?)</tr>', body, re.S)
    assert match, f"row {number} not in the preview"
    return match.group(1), match.group(2)


def csv_file(lines, *, encoding="utf-8-sig"):
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


GOOD_ROWS = [
    POLISH_HEADER,
    f"Klub Integracji Społecznej;KIS;A;kis;public;jednostka budżetowa;local;ul. Główna 1;"
    f"22-130;Żmudź;0603142;{VALID_NIP};123456785;;kis@example.org;+48 82 000 00 00;"
    "https://example.org",
    "Stowarzyszenie „Razem”;;b;NGO;ngo;stowarzyszenie;county;;;;;;;0000123456;;;",
    "Piekarnia Kłos;;C;Business;BUSINESS;;;;;;0603142;;;;;;",
]


# ------------------------------------------------------------------------------------- export


@pytest.fixture
def members(lsr, territory):
    kis = add_member(
        lsr,
        KisFactory(
            gmina=territory["zmudz"],
            name="Klub Integracji Społecznej „Żmudź”",
            short_name="KIS",
            nip=VALID_NIP,
            regon="123456785",
        ),
        role=MemberRole.MAIN_NODE,
        representatives=2,
    )
    bakery = add_member(
        lsr,
        KisFactory(
            gmina=territory["zmudz"],
            name="Piekarnia; Kłos",  # the delimiter inside a value must be quoted
            stakeholder_type="C",
            institution_kind="business",
            sector="business",
        ),
    )
    former = add_member(
        lsr,
        KisFactory(
            gmina=territory["zmudz"], name="Była Fundacja", stakeholder_type="B", sector="ngo"
        ),
        joined_on=date(2024, 1, 15),
    )
    membership_end(membership=former, left_on=date(2024, 6, 30))
    return {"kis": kis, "bakery": bakery, "former": former}


def read_csv(response):
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_content(login, personas, lsr, members):
    client = login(personas["animator"])
    response = client.get(export_url(lsr, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert ".csv" in response["Content-Disposition"]
    assert b";" in response.content.splitlines()[0]
    rows = read_csv(response)
    assert len(rows[0]) == 13
    body = rows[1:]
    names = sorted(r[0] for r in body)
    # active only by default, as on the member list page
    assert names == ["Klub Integracji Społecznej „Żmudź”", "Piekarnia; Kłos"]
    kis = next(r for r in body if r[0].startswith("Klub"))
    assert kis[1] == "KIS"
    assert kis[2] == "A"
    assert kis[5] == "0603142"
    assert kis[6] == VALID_NIP
    assert kis[7] == "123456785"
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", kis[10])
    assert kis[11] == ""
    assert kis[12].count("Osoba") == 2
    assert '"Piekarnia; Kłos"' in response.content.decode("utf-8-sig")


def test_csv_export_applies_the_member_list_filters(login, personas, lsr, members):
    client = login(personas["animator"])
    rows = read_csv(client.get(export_url(lsr, "csv"), {"stakeholder_type": "C"}))
    assert [r[0] for r in rows[1:]] == ["Piekarnia; Kłos"]
    rows = read_csv(client.get(export_url(lsr, "csv"), {"status": "left"}))
    assert [r[0] for r in rows[1:]] == ["Była Fundacja"]
    assert rows[1][10:12] == ["15.01.2024", "30.06.2024"]
    rows = read_csv(client.get(export_url(lsr, "csv"), {"status": "all", "name": "klub"}))
    assert [r[0] for r in rows[1:]] == ["Klub Integracji Społecznej „Żmudź”"]


def test_xlsx_export_reads_back(login, personas, lsr, members):
    client = login(personas["animator"])
    response = client.get(export_url(lsr, "xlsx"), {"status": "all"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response.content.startswith(b"PK")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4
    assert len(rows[0]) == 13
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width > 10
    former = next(r for r in rows if r[0] == "Była Fundacja")
    assert former[10].date().isoformat() == "2024-01-15"
    assert sheet.cell(row=rows.index(former) + 1, column=11).number_format == "dd.mm.yyyy"


def test_export_neutralises_formulas(login, personas, lsr):
    add_member(lsr, KisFactory(gmina=lsr.gmina, name='=HYPERLINK("http://evil")'))
    client = login(personas["animator"])
    rows = read_csv(client.get(export_url(lsr, "csv")))
    assert rows[1][0].startswith("'=")
    sheet = load_workbook(io.BytesIO(client.get(export_url(lsr, "xlsx")).content)).active
    assert sheet["A2"].data_type == "s"


def test_export_unknown_format_is_404(login, personas, lsr):
    client = login(personas["animator"])
    assert client.get(export_url(lsr, "pdf")).status_code == 404


def test_export_query_count_does_not_grow_with_members(login, personas, lsr, territory):
    client = login(personas["animator"])
    for _ in range(3):
        add_member(lsr, representatives=1)
    client.get(export_url(lsr, "csv"))  # warm up the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(export_url(lsr, "csv")).status_code == 200
    for _ in range(27):
        add_member(lsr, representatives=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(export_url(lsr, "xlsx"))
    assert response.status_code == 200
    assert len(load_workbook(io.BytesIO(response.content)).active["A"]) == 31
    assert len(many) == len(few)


# ------------------------------------------------------------------------------------ scoping


def test_other_gminas_animator_gets_404(login, personas, lsr):
    client = login(personas["other_animator"])
    assert client.get(export_url(lsr, "csv")).status_code == 404
    assert client.get(import_url(lsr)).status_code == 404
    assert upload(client, lsr, "a.csv", csv_file(GOOD_ROWS)).status_code == 404


def test_rops_of_the_voivodeship_exports_but_cannot_import(login, personas, lsr, members):
    client = login(personas["rops"])
    assert client.get(export_url(lsr, "csv")).status_code == 200
    assert client.get(export_url(lsr, "xlsx")).status_code == 200
    assert client.get(import_url(lsr)).status_code == 403
    assert upload(client, lsr, "a.csv", csv_file(GOOD_ROWS)).status_code == 403
    assert client.post(import_url(lsr), {"token": "x"}).status_code == 403


def test_rops_of_another_voivodeship_gets_404(login, personas, lsr):
    client = login(personas["other_rops"])
    assert client.get(export_url(lsr, "csv")).status_code == 404


def test_anonymous_is_sent_to_login(client, lsr):
    response = client.get(export_url(lsr, "csv"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# ------------------------------------------------------------------------------------- import


def test_upload_page(login, personas, lsr):
    response = login(personas["animator"]).get(import_url(lsr))
    assert response.status_code == 200
    body = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", body)) == 1
    assert 'type="file"' in body
    assert 'accept=".csv,.xlsx' in body
    assert re.search(r'<label for="id_file"', body)
    assert "csrfmiddlewaretoken" in body
    assert "<caption>" in body and 'scope="col"' in body
    assert " style=" not in body
    assert "samples/organisations_sample.csv" in body


def test_good_utf8_csv_preview_saves_nothing_then_confirm_imports(login, personas, lsr):
    client = login(personas["animator"])
    before = Organisation.objects.count()
    response = upload(client, lsr, "organizacje.csv", csv_file(GOOD_ROWS))
    assert response.status_code == 200
    body = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", body)) == 1
    assert " style=" not in body and "<script>" not in body
    for number in (2, 3, 4):
        css, _cells = row_html(response, number)
        assert "table-danger" not in css
    assert Organisation.objects.count() == before  # nothing saved before confirm
    assert not lsr.memberships.exists()

    token = pending_token(client)
    assert f'value="{token}"' in body
    response = confirm(client, lsr, token)
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:member_list", args=[lsr.pk])
    assert Organisation.objects.count() == before + 3
    kis = Organisation.objects.get(name="Klub Integracji Społecznej")
    assert (kis.nip, kis.regon, kis.postal_code, kis.city) == (
        VALID_NIP,
        "123456785",
        "22-130",
        "Żmudź",
    )
    ngo = Organisation.objects.get(name="Stowarzyszenie „Razem”")
    assert (ngo.stakeholder_type, ngo.institution_kind, ngo.sector) == ("B", "ngo", "ngo")
    assert ngo.operating_scope == "county"
    assert ngo.gmina == lsr.gmina  # empty TERYT cell -> the network's gmina
    assert Organisation.objects.get(name="Piekarnia Kłos").sector == "business"
    assert lsr.memberships.active().count() == 3
    assert set(lsr.memberships.values_list("role", flat=True)) == {MemberRole.MEMBER}
    texts = message_texts(response)
    assert len(texts) == 1 and "3" in texts[0] and "0" in texts[0]
    assert client.session.get(SESSION_KEY) == {}


def test_cp1250_csv_with_polish_letters(login, personas, lsr):
    client = login(personas["animator"])
    lines = [
        "nazwa,typ (A/B/C),rodzaj instytucji,sektor,zasięg,miejscowość,ulica",
        "Spółdzielnia Socjalna „Źródło” ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ,A,social_enterprise,business,"
        "local,Żółkiewka,ul. Łąkowa 7",
    ]
    content = csv_file(lines, encoding="cp1250")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    response = upload(client, lsr, "ORGANIZACJE.CSV", content)
    assert response.status_code == 200
    assert "table-danger" not in row_html(response, 2)[0]
    confirm(client, lsr, pending_token(client))
    organisation = Organisation.objects.get(name__startswith="Spółdzielnia")
    assert organisation.name == "Spółdzielnia Socjalna „Źródło” ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"
    assert organisation.city == "Żółkiewka"
    assert organisation.street == "ul. Łąkowa 7"
    assert organisation.institution_kind == "social_enterprise"
    assert lsr.memberships.filter(organisation=organisation).exists()


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_import_with_english_headers_and_labels(login, personas, lsr):
    client = login(personas["animator"])
    content = xlsx_bytes(
        [
            ["name", "stakeholder_type", "institution_kind", "sector", "gmina", "nip", "extra"],
            [
                "Klub XLSX",
                "A",
                "Social integration club (KIS)",
                "Public (local government)",
                "0603142",
                int(VALID_NIP_2),
                "ignored",
            ],
            [None, None, None, None, None, None, None],  # an empty row is skipped
            ["Urząd Pracy", "B", "PUP", "public", None, None, None],
        ]
    )
    response = upload(client, lsr, "lista.xlsx", content, XLSX_TYPE)
    assert response.status_code == 200
    row_html(response, 2)
    row_html(response, 4)
    confirm(client, lsr, pending_token(client))
    kis = Organisation.objects.get(name="Klub XLSX")
    assert (kis.institution_kind, kis.sector, kis.nip) == ("kis", "public", VALID_NIP_2)
    assert Organisation.objects.get(name="Urząd Pracy").institution_kind == "labour_office"
    assert lsr.memberships.count() == 2


def test_bad_rows_are_reported_and_skipped_good_rows_imported(login, personas, lsr, territory):
    client = login(personas["animator"])
    lines = [
        POLISH_HEADER,
        "Dobra Organizacja;;A;kis;public;;;;;;;;;;;;",
        f"Zły NIP;;B;ngo;ngo;;;;;;;{BAD_NIP};;;;;",
        "Zły typ;;D;ngo;ngo;;;;;;;;;;;;",
        "Zły rodzaj i kod;;C;nieznany;ngo;;;;22130;;;;;;;;",
        "Nieznana gmina;;C;ngo;ngo;;;;;;9999999;;;;;;",
        # a local organisation from another gmina cannot join the LSR
        f"Obca lokalna;;C;ngo;ngo;;local;;;;{territory['rejowiec'].code};;;;;;",
        f"Obca ponadlokalna;;C;ngo;ngo;;regional;;;;{territory['rejowiec'].code};;;;;;",
        ";;A;kis;public;;;;;;;;;;;;",
    ]
    response = upload(client, lsr, "mieszane.csv", csv_file(lines))
    assert response.status_code == 200
    assert "table-danger" not in row_html(response, 2)[0]
    css, cells = row_html(response, 3)
    assert "table-danger" in css and 'data-field-error="NIP"' in cells
    css, cells = row_html(response, 4)
    assert "table-danger" in css and 'data-field-error="typ (A/B/C)"' in cells
    assert "Wybierz poprawną wartość. D nie jest żadną z dostępnych opcji." in cells
    css, cells = row_html(response, 5)
    assert 'data-field-error="rodzaj instytucji"' in cells
    assert 'data-field-error="kod pocztowy"' in cells
    assert "nieznany" in cells
    css, cells = row_html(response, 6)
    assert "table-danger" in css and 'data-field-error="gmina TERYT"' in cells
    assert "9999999" in cells
    css, cells = row_html(response, 7)
    assert "table-danger" in css and 'data-field-error="zasięg"' in cells
    assert "table-danger" not in row_html(response, 8)[0]
    css, cells = row_html(response, 9)
    assert 'data-field-error="nazwa"' in cells and "To pole jest wymagane." in cells
    assert Organisation.objects.count() == 0

    response = confirm(client, lsr, pending_token(client))
    assert response.status_code == 302
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Dobra Organizacja",
        "Obca ponadlokalna",
    }
    assert lsr.memberships.count() == 2
    (text,) = message_texts(response)
    assert "2" in text and "6" in text


def test_duplicates_are_warned_and_skipped_unless_asked(login, personas, lsr):
    KisFactory(gmina=lsr.gmina, name="Istniejąca", nip=VALID_NIP)
    client = login(personas["animator"])
    lines = [
        "nazwa;typ (A/B/C);rodzaj instytucji;sektor;NIP",
        f"Inna nazwa, ten sam NIP;A;kis;public;{VALID_NIP}",
        "ISTNIEJĄCA;A;kis;public;",
        "Nowa;C;business;business;",
        "Nowa;C;business;business;",
    ]
    response = upload(client, lsr, "dup.csv", csv_file(lines))
    for number in (2, 3, 5):
        css, cells = row_html(response, number)
        assert "table-warning" in css, number
    assert "Istniejąca" in row_html(response, 2)[1]
    assert "table-warning" not in row_html(response, 4)[0]
    assert 'name="include_duplicates"' in response.content.decode()
    confirm(client, lsr, pending_token(client))
    assert Organisation.objects.filter(name__iexact="Istniejąca").count() == 1
    assert Organisation.objects.filter(name="Nowa").count() == 1

    upload(client, lsr, "dup.csv", csv_file(lines[:3]))
    confirm(client, lsr, pending_token(client), include_duplicates="1")
    assert Organisation.objects.filter(name__iexact="Istniejąca").count() == 2
    assert Organisation.objects.filter(nip=VALID_NIP).count() == 2


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("brak.csv", csv_file(["nazwa;sektor", "Coś;public"]), "text/csv"),
        ("smieci.csv", bytes(range(256)) * 20, "text/csv"),
        ("smieci.xlsx", b"\x00\x01binary junk" * 50, XLSX_TYPE),
        ("zip.xlsx", b"PK\x03\x04" + b"\x00junk" * 100, XLSX_TYPE),
        ("xlsx-udaje.csv", b"PK\x03\x04" + b"junk" * 100, "text/csv"),
        ("dokument.pdf", b"%PDF-1.4 hello", "application/pdf"),
        ("tylko-naglowek.csv", csv_file([POLISH_HEADER]), "text/csv"),
        ("puste-wiersze.csv", b"\r\n;;;\r\n", "text/csv"),
    ],
)
def test_malformed_files_reshow_the_upload_page(login, personas, lsr, name, content, content_type):
    client = login(personas["animator"])
    response = upload(client, lsr, name, content, content_type)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="invalid-feedback d-block" role="alert"' in body
    assert 'type="file"' in body
    assert 'name="token"' not in body
    assert not client.session.get(SESSION_KEY)
    assert Organisation.objects.count() == 0


def test_missing_columns_are_named(login, personas, lsr):
    client = login(personas["animator"])
    response = upload(client, lsr, "brak.csv", csv_file(["nazwa;sektor;NIP", "Coś;public;"]))
    body = response.content.decode()
    error = body.split('role="alert"')[1].split("</div>")[0]
    assert "typ (A/B/C)" in error and "rodzaj instytucji" in error


def test_empty_file_gets_djangos_polish_message(login, personas, lsr):
    client = login(personas["animator"])
    response = upload(client, lsr, "pusty.csv", b"")
    assert response.status_code == 200
    assert "Wysłany plik jest pusty." in response.content.decode()


def test_over_size_file_is_refused(login, personas, lsr):
    client = login(personas["animator"])
    line = b"Organizacja;A;kis;public\r\n"
    content = b"nazwa;typ;rodzaj instytucji;sektor\r\n" + line * (MAX_FILE_SIZE // len(line) + 1)
    assert len(content) > MAX_FILE_SIZE
    response = upload(client, lsr, "duzy.csv", content)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert Organisation.objects.count() == 0


def test_parse_table_errors_directly():
    with pytest.raises(ImportFileError):
        parse_table(SimpleUploadedFile("x.csv", b"\x00\x00\x00"))
    content = "\ufeffName,Type,Institution kind,Sector,Kolumna\n\nA,b,kis,ngo,x\n".encode()
    (row,) = parse_table(SimpleUploadedFile("x.csv", content))
    assert row["_row"] == 3  # the header is row 1, the empty row 2 is skipped
    assert (row["name"], row["stakeholder_type"], row["sector"], row["nip"]) == (
        "A",
        "b",
        "ngo",
        "",
    )


def test_confirm_with_unknown_token(login, personas, lsr):
    client = login(personas["animator"])
    response = confirm(client, lsr, "not-a-token")
    assert response.status_code == 302
    assert response["Location"] == import_url(lsr)
    assert len(message_texts(response)) == 1
    assert Organisation.objects.count() == 0


def test_confirm_with_expired_token(login, personas, lsr):
    client = login(personas["animator"])
    upload(client, lsr, "a.csv", csv_file(GOOD_ROWS))
    token = pending_token(client)
    session = client.session
    session[SESSION_KEY][token]["created"] = time.time() - 2 * 60 * 60
    session.save()
    response = confirm(client, lsr, token)
    assert response.status_code == 302
    assert response["Location"] == import_url(lsr)
    assert len(message_texts(response)) == 1
    assert Organisation.objects.count() == 0


def test_token_is_single_use_and_bound_to_its_network(login, personas, lsr, territory):
    client = login(personas["animator"])
    upload(client, lsr, "a.csv", csv_file(GOOD_ROWS))
    token = pending_token(client)
    assert confirm(client, lsr, token).status_code == 302
    assert Organisation.objects.count() == 3
    response = confirm(client, lsr, token)  # replayed
    assert response["Location"] == import_url(lsr)
    assert Organisation.objects.count() == 3
    assert Membership.objects.count() == 3


def test_token_of_another_users_session_is_useless(login, personas, lsr):
    animator = login(personas["animator"])
    upload(animator, lsr, "a.csv", csv_file(GOOD_ROWS))
    token = pending_token(animator)
    other = Client()
    other.force_login(personas["admin"])
    response = other.post(import_url(lsr), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == import_url(lsr)
    assert Organisation.objects.count() == 0
