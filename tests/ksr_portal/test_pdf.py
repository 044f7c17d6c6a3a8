"""The PDF mechanism (ksr_portal.core.pdf): Polish letters, pagination, footer, no network access."""

import copy
import io
import re
import socket

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.utils import translation
from pypdf import PdfReader

from ksr_portal.core.pdf import (
    PdfResourceRefused,
    StaticFilesURLFetcher,
    TocEntry,
    page_counter_css,
    pdf_response,
    render_pdf,
)
from tests.pdf_utils import dark_fraction as _dark_fraction
from tests.pdf_utils import normalised as _normalised
from tests.pdf_utils import page_images as _page_images
from tests.pdf_utils import pages_text as _pages_text

POLISH = "ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"

TEST_TEMPLATES = {
    "test_pdf/polish.html": (
        '{% extends "pdf/base.html" %}'
        "{% block title %}Zażółć gęślą jaźń{% endblock %}"
        "{% block header_title %}Dokument próbny{% endblock %}"
        "{% block content %}<h1>{{ heading }}</h1><p>{{ text }}</p>{% endblock %}"
    ),
    "test_pdf/long.html": (
        '{% extends "pdf/base.html" %}'
        "{% block header_title %}Długa tabela{% endblock %}"
        "{% block content %}<table><thead><tr><th>Lp.</th><th>Treść</th></tr></thead><tbody>"
        "{% for row in rows %}<tr><td>{{ forloop.counter }}</td><td>{{ row }}</td></tr>{% endfor %}"
        "</tbody></table>{% endblock %}"
    ),
    "test_pdf/external.html": (
        '{% extends "pdf/base.html" %}'
        "{% block content %}"
        '<link rel="stylesheet" href="https://cdn.example.com/evil.css">'
        '<img src="https://example.com/logo.png" alt="">'
        '<img src="file:///etc/hostname" alt="">'
        '<img src="/media/secret.png" alt="">'
        "<p>Treść bez zasobów zewnętrznych</p>{% endblock %}"
    ),
    "test_pdf/report.html": (
        '{% extends "pdf/base.html" %}'
        "{% block header_title %}Raport ewaluacyjny{% endblock %}"
        '{% block cover %}{% include "pdf/_cover.html" with title="Raport ewaluacyjny" '
        'subtitle="LSR Żmudź" %}{% endblock %}'
        '{% block content %}{% include "pdf/_toc.html" with entries=toc %}'
        '<h2 id="wstep">Wstęp</h2><p>Tekst wstępu.</p>'
        '<h2 id="wnioski" class="pdf-page-break">Wnioski</h2><p>Tekst wniosków.</p>'
        "{% endblock %}"
    ),
}


def _templates_with_test_templates():
    templates = copy.deepcopy(settings.TEMPLATES)
    engine = templates[0]
    engine["APP_DIRS"] = False
    engine["OPTIONS"]["loaders"] = [
        ("django.template.loaders.locmem.Loader", TEST_TEMPLATES),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    return templates


@pytest.fixture(autouse=True)
def test_templates():
    with override_settings(TEMPLATES=_templates_with_test_templates()):
        yield


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test on any attempt to resolve a host name or open a connection."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_polish_letters_survive_in_text_and_metadata():
    pdf = render_pdf("test_pdf/polish.html", {"heading": f"Nagłówek {POLISH}", "text": POLISH})

    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = _normalised(reader.pages[0].extract_text())
    assert f"Nagłówek {POLISH}" in text
    assert "ąćęłńóśźż" in text and "ĄĆĘŁŃÓŚŹŻ" in text
    assert "Dokument próbny" in text  # running header
    assert reader.metadata.title == "Zażółć gęślą jaźń"
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVu" in name for name in fonts), fonts


def test_long_table_spans_pages_with_page_x_of_y_footer_on_each():
    rows = [f"Wiersz {i}: zażółć gęślą jaźń – wspólne działania LSR" for i in range(1, 201)]
    with translation.override("en"):
        pdf = render_pdf("test_pdf/long.html", {"rows": rows})

    pages = _pages_text(pdf)
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {total}" in text
        assert "Długa tabela" in text  # running header on every page
        assert "Lp. Treść" in text  # the table header repeats
    everything = " ".join(pages)
    assert "Wiersz 1:" in everything and "Wiersz 200:" in everything
    # no row is split: each row's text sits on a single page
    for i in (1, 57, 123, 200):
        row = f"Wiersz {i}: zażółć gęślą jaźń – wspólne działania LSR"
        assert sum(row in text for text in pages) == 1


def test_footer_follows_the_active_language():
    with translation.override("en"):
        css = page_counter_css()
    assert css == '"Page " counter(page) " of " counter(pages)'


def test_rendered_pages_are_not_blank():
    rows = [f"Wiersz {i} " + "treść " * 20 for i in range(1, 121)]
    pdf = render_pdf("test_pdf/long.html", {"rows": rows})

    images = _page_images(pdf)
    assert len(images) == len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    for image in images:
        assert image.getextrema()[0] < 100  # some truly dark pixels
        assert _dark_fraction(image) > 0.01
        # the body, not only the header and footer, carries ink
        body = image.crop((0, image.height // 4, image.width, image.height * 3 // 4))
        assert _dark_fraction(body) > 0.01


def test_static_assets_resolve_from_the_filesystem(no_network):
    fetcher = StaticFilesURLFetcher()

    response = fetcher.fetch(fetcher.static_prefix + "css/print.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()
    assert no_network == []


def test_static_prefix_follows_the_request_host(rf: RequestFactory, no_network):
    request = rf.get("/", HTTP_HOST="portal.example.org")
    pdf = render_pdf("test_pdf/polish.html", {"heading": "x", "text": "y"}, request=request)
    assert pdf.startswith(b"%PDF-")
    fetcher = StaticFilesURLFetcher(base_url="http://portal.example.org/")
    assert fetcher.static_path("http://portal.example.org/static/css/print.css")
    assert fetcher.static_path("http://other.example.org/static/css/print.css") is None
    assert no_network == []


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://169.254.169.254/latest/meta-data/",
        "https://ksr-portal.invalid/media/evidence/1/2/umowa.pdf",
        "https://ksr-portal.invalid/static/../ksr_portal/settings/base.py",
        "https://ksr-portal.invalid/static/css/../../../etc/passwd",
        "https://ksr-portal.invalid/static//etc/passwd",
        "https://ksr-portal.invalid/static/css/missing.css",
        "file:///etc/passwd",
        "data:text/plain;base64,QQ==",
        "ftp://example.com/file.txt",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url, no_network):
    with pytest.raises(PdfResourceRefused):
        StaticFilesURLFetcher().fetch(url)
    assert no_network == []


def test_document_with_external_resources_renders_without_network(no_network):
    pdf = render_pdf("test_pdf/external.html", {})

    assert "Treść bez zasobów zewnętrznych" in _pages_text(pdf)[0]
    assert no_network == []


def test_cover_page_and_table_of_contents():
    toc = [TocEntry("wstep", "Wstęp"), TocEntry("wnioski", "Wnioski")]
    with translation.override("en"):
        pdf = render_pdf("test_pdf/report.html", {"toc": toc})

    pages = _pages_text(pdf)
    assert len(pages) == 4  # cover, contents, introduction, conclusions
    assert "Raport ewaluacyjny" in pages[0] and "LSR Żmudź" in pages[0]
    assert "Page" not in pages[0]  # no footer on the cover
    assert "Contents" in pages[1]
    assert re.search(r"Wstęp\W*3", pages[1]), pages[1]
    assert re.search(r"Wnioski\W*4", pages[1]), pages[1]
    assert "Wnioski" in pages[3] and "Page 4 of 4" in pages[3]


def test_pdf_response_download_with_polish_file_name():
    response = pdf_response(b"%PDF-1.7 test", "karta-1-lsr-żmudź.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="karta-1-lsr-zmudz.pdf"; '
        "filename*=UTF-8''karta-1-lsr-%C5%BCmud%C5%BA.pdf"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == str(len(b"%PDF-1.7 test"))


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("raport.pdf", 'inline; filename="raport.pdf"'),
        ('../../etc/"x"\r\nSet-Cookie: a=b', 'inline; filename="etc-x-Set-Cookie: a=b.pdf"'),
        ("", 'inline; filename="document.pdf"'),
    ],
)
def test_pdf_response_inline_and_unsafe_names(filename, expected):
    response = pdf_response(b"%PDF-", filename, inline=True)
    assert response["Content-Disposition"] == expected


def test_document_file_names_are_cut_between_words_only():
    from ksr_portal.core.pdf import ascii_filename, document_filename

    name = document_filename(
        "karta", 11, "Gminny Ośrodek Kultury w Żmudzi " * 5, "LSR Żmudź", max_length=60
    )
    assert name == "karta-11-gminny-ośrodek-kultury-w-żmudzi-gminny-ośrodek.pdf"
    assert len(name) <= 60
    assert ascii_filename("łódź-ŻÓŁW.pdf") == "lodz-ZOLW.pdf"
