"""The one export mechanism of the portal: a table (headers + rows) as CSV or XLSX.

This module imports no app model: callers pass plain values (str, int, Decimal, date, None).

CSV is written for Polish Excel: UTF-8 with a BOM (so Excel detects the encoding), ``;`` as the
delimiter (the Polish list separator) and every field quoted when needed. Dates are the portal's
one format, 01.12.2026, in both (real date cells in XLSX). Text that a spreadsheet would run as a formula (``=…``, ``@…``) is neutralised.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify

if TYPE_CHECKING:  # openpyxl loads only when a workbook is written
    from openpyxl.worksheet.worksheet import Worksheet

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XLSX_DATE_FORMAT = "dd.mm.yyyy"
MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 8
# Phone numbers and signed numbers may start with + or -; anything else with those is suspicious.
_HARMLESS_SIGNED = re.compile(r"[+-][\d\s()./-]*")


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet evaluate this text as a formula (CSV/formula injection)?"""
    if not text:
        return False
    if text[0] in "=@\t\r":
        return True
    return text[0] in "+-" and not _HARMLESS_SIGNED.fullmatch(text)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value.date(), "SHORT_DATE_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    return "'" + text if is_formula_like(text) else text


def _csv_bytes(headers: list[str], rows: Iterable[list]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([_as_text(h) for h in headers])
    for row in rows:
        writer.writerow([_as_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _fill_sheet(sheet: Worksheet, headers: list[str], rows: Iterable[list]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    widths = [len(str(h)) for h in headers]
    bold = Font(bold=True)
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=col, value=str(header))
        cell.font = bold
    for row_index, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            if isinstance(value, datetime):
                value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
            if isinstance(value, date):
                cell = sheet.cell(row=row_index, column=col, value=value)
                cell.number_format = XLSX_DATE_FORMAT
                shown = 10
            elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                cell = sheet.cell(row=row_index, column=col, value=value)
                shown = len(str(value))
            else:
                text = "" if value is None else str(value)
                cell = sheet.cell(row=row_index, column=col, value=text or None)
                if text:
                    # never a formula: openpyxl would store "=..." as one
                    cell.data_type = "s"
                shown = max((len(line) for line in text.splitlines()), default=0)
            if col <= len(widths):
                widths[col - 1] = max(widths[col - 1], shown)
            else:
                widths.append(shown)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(
            max(width + 2, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH
        )
    sheet.freeze_panes = "A2"
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"


def _xlsx_bytes(headers: list[str], rows: Iterable[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    _fill_sheet(cast("Worksheet", workbook.active), headers, rows)  # a new workbook's one sheet
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_MAX = 31


def _sheet_title(title: str, used: set[str]) -> str:
    """A valid, unique worksheet name: no []:*?/\\ characters, at most 31 characters."""
    base = _SHEET_TITLE_FORBIDDEN.sub(" ", str(title)).strip().strip("'")[:SHEET_TITLE_MAX]
    base = base or "Sheet"
    candidate, n = base, 1
    while candidate.casefold() in used:
        n += 1
        suffix = f" ({n})"
        candidate = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
    used.add(candidate.casefold())
    return candidate


def _workbook_bytes(sheets: list[tuple[str, list[str], Iterable[list]]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    used: set[str] = set()
    for title, headers, rows in sheets:
        _fill_sheet(workbook.create_sheet(_sheet_title(title, used)), headers, rows)
    if not sheets:
        workbook.create_sheet("Sheet")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _attachment(content: bytes, *, filename_stem: str, fmt: str) -> HttpResponse:
    stem = slugify(filename_stem) or "export"
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"{stem}.{fmt}")
        or ""  # never empty: a file name is given
    )
    response["Cache-Control"] = "private, no-store"
    return response


def tabular_response(
    *, filename_stem: str, fmt: str, headers: list[str], rows: Iterable[list]
) -> HttpResponse:
    """A download of the table as ``fmt`` ("csv" or "xlsx"); any other format is a 404."""
    if fmt not in FORMATS:
        raise Http404
    content = _csv_bytes(headers, rows) if fmt == "csv" else _xlsx_bytes(headers, rows)
    return _attachment(content, filename_stem=filename_stem, fmt=fmt)


def workbook_response(
    *, filename_stem: str, sheets: list[tuple[str, list[str], Iterable[list]]]
) -> HttpResponse:
    """A download of several tables as one XLSX workbook: one sheet per ``(title, headers,
    rows)``, each written like ``tabular_response`` writes its one sheet (bold frozen header,
    filter, dates as dates, text never a formula). Titles are made valid sheet names."""
    return _attachment(_workbook_bytes(sheets), filename_stem=filename_stem, fmt="xlsx")
