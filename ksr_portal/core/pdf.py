"""The one PDF mechanism of the portal: a Django template rendered to HTML, then to PDF by WeasyPrint.

This module imports no app model: callers pass a template name and a context.

Print templates extend ``pdf/base.html`` (A4, running header, "page X of Y" footer, DejaVu fonts
that carry Polish letters) and load their assets with ``{% static %}``. WeasyPrint never touches
the network: the URL fetcher below serves only URLs under ``STATIC_URL``, read from the files the
staticfiles finders (or, after ``collectstatic``, the static storage) know, and refuses every
other URL — remote hosts, ``file:`` paths, ``data:`` URIs, media uploads.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The base URL of documents rendered without a request. Under the reserved .invalid TLD it can
# never name a real host; it only gives relative and root-relative URLs something to resolve to.
DEFAULT_BASE_URL = "https://ksr-portal.invalid/"
PDF_CONTENT_TYPE = "application/pdf"
_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\"]+')


class PdfResourceRefused(ValueError):
    """The PDF asked for a resource other than a static file of the portal."""


class StaticFilesURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that only reads the portal's static files from the filesystem.

    ``base_url`` is the URL the document is rendered against; a resource is served only when its
    URL starts with ``base_url`` joined with ``STATIC_URL`` (so an absolute ``STATIC_URL`` on a
    CDN works too). Nothing is ever fetched over the network.
    """

    def __init__(self, base_url: str = DEFAULT_BASE_URL, **kwargs: Any) -> None:
        kwargs.setdefault("allowed_protocols", ("http", "https"))
        super().__init__(**kwargs)
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)

    def static_path(self, url: str) -> Path | None:
        """The file behind a static URL, or None if the URL is not a known static file."""
        if not url.startswith(self.static_prefix):
            return None
        name = unquote(urlsplit(url[len(self.static_prefix) :]).path)
        if not name or name.startswith("/") or "\\" in name or "\x00" in name:
            return None
        if ".." in Path(name).parts:
            return None
        try:
            found = finders.find(name)
            if not found and settings.STATIC_ROOT and staticfiles_storage.exists(name):
                # after collectstatic, with hashed names from the manifest storage
                found = staticfiles_storage.path(name)
        except (ImproperlyConfigured, SuspiciousFileOperation, NotImplementedError, ValueError):
            return None
        if not found:
            return None
        path = Path(found[0] if isinstance(found, list) else found)
        return path if path.is_file() else None

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self.static_path(url)
        if path is None:
            logger.warning("PDF rendering refused a resource that is not a static file: %s", url)
            raise PdfResourceRefused(f"Only the portal's static files may be used in a PDF: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


@dataclass(frozen=True)
class TocEntry:
    """One line of a table of contents (``pdf/_toc.html``): links to the element ``#anchor``."""

    anchor: str
    title: str
    level: int = 1


def _css_string(text: str) -> str:
    """A CSS string literal: quotes, backslashes and ``<`` (no ``</style>``) escaped."""
    escaped = re.sub(r'[\\"<\n\r\f]', lambda m: f"\\{ord(m.group()):x} ", text)
    return f'"{escaped}"'


def page_counter_css() -> SafeString:
    """The CSS ``content`` value of the "page X of Y" footer, in the active language."""
    marker_page, marker_pages = "\x01PAGE\x01", "\x01PAGES\x01"
    label = _("Page %(page)s of %(pages)s") % {"page": marker_page, "pages": marker_pages}
    parts = re.split(f"({marker_page}|{marker_pages})", label)
    css = []
    for part in parts:
        if part == marker_page:
            css.append("counter(page)")
        elif part == marker_pages:
            css.append("counter(pages)")
        elif part:
            css.append(_css_string(part))
    return mark_safe(" ".join(css))  # noqa: S308 - every literal is escaped by _css_string


def render_html(
    template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None
) -> str:
    """The HTML of a print template, with the variables ``pdf/base.html`` relies on."""
    full_context = {
        "pdf_generated_at": timezone.localtime(),
        "pdf_page_counter_css": page_counter_css(),
        **context,
    }
    return render_to_string(template_name, full_context, request=request)


def render_pdf(
    template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None
) -> bytes:
    """Render a Django template to PDF bytes.

    Static assets resolve from the filesystem through :class:`StaticFilesURLFetcher`; with a
    request, links in the document point at the portal's real host.
    """
    html = render_html(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else DEFAULT_BASE_URL
    document = HTML(
        string=html, base_url=base_url, url_fetcher=StaticFilesURLFetcher(base_url=base_url)
    )
    return document.write_pdf()


_ASCII_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "đ": "d", "Đ": "D"})


def ascii_filename(filename: str) -> str:
    """The file name in plain ASCII for old clients: Polish letters without their marks."""
    decomposed = unicodedata.normalize("NFKD", filename.translate(_ASCII_EXTRA))
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = re.sub(r"[^\x20-\x7e]+", "-", text).replace('"', "-").replace("\\", "-")
    return re.sub(r"-{2,}", "-", text)


def document_filename(*parts: object, extension: str = "pdf", max_length: int = 100) -> str:
    """One file name for a document: its parts slugified (Polish letters kept), joined by "-",
    shortened to ``max_length`` at a word boundary, never in the middle of a word."""
    slugs = [slugify(str(part), allow_unicode=True) for part in parts if part not in (None, "")]
    stem = ""
    for word in "-".join(s for s in slugs if s).split("-"):
        candidate = f"{stem}-{word}" if stem else word
        if len(candidate) + len(extension) + 1 > max_length and stem:
            break
        stem = candidate
    stem = stem[: max_length - len(extension) - 1] or "document"
    return f"{stem}.{extension}"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition value that keeps Polish letters (RFC 5987 ``filename*``) with a
    plain ASCII ``filename`` for clients that do not read it."""
    disposition = "inline" if inline else "attachment"
    fallback = ascii_filename(filename)
    if fallback == filename:
        return f'{disposition}; filename="{filename}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def safe_pdf_filename(filename: str) -> str:
    """A file name without path parts, quotes or control characters, ending in ``.pdf``.

    Polish letters stay: the header carries them RFC 5987-encoded (``filename*=utf-8''…``).
    """
    name = _UNSAFE_FILENAME.sub("-", filename).strip(" .-") or "document"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name


def pdf_response(pdf_bytes: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF download (or, with ``inline``, a PDF shown in the browser)."""
    response = HttpResponse(pdf_bytes, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(
        safe_pdf_filename(filename), inline=inline
    )
    response["Content-Length"] = str(len(pdf_bytes))
    response["Cache-Control"] = "private, no-store"
    return response
