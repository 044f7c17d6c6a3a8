"""Reading an uploaded spreadsheet safely: type and size, the encoding of a CSV (UTF-8, CP1250,
ISO-8859-2, UTF-16 detected; anything else refused), limits on rows, columns, cells and on how
far an XLSX unpacks, checked before the whole file is parsed. Messages are meant for the user."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    import zipfile

MAX_FILE_SIZE = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 60
MAX_CELL_LENGTH = 2000
# an XLSX is a zip: 2 MB of it can unpack to gigabytes of sheet XML; refuse that before parsing
MAX_XLSX_UNPACKED = 40 * 1024 * 1024
ALLOWED_EXTENSIONS = (".csv", ".xlsx")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _cell(value: object) -> str:
    """A cell as text, the way a person reads it in the spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_upload(uploaded_file: UploadedFile) -> tuple[str, bytes]:
    name = (getattr(uploaded_file, "name", "") or "").lower()
    extension = next((e for e in ALLOWED_EXTENSIONS if name.endswith(e)), None)
    if extension is None:
        raise ImportFileError(
            _("The file is not a CSV or XLSX spreadsheet. Save it as .csv or .xlsx and try again.")
        )
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_FILE_SIZE:
        raise ImportFileError(
            _("The file is too large (over %(size)s MB). Split it into smaller files.")
            % {"size": MAX_FILE_SIZE // (1024 * 1024)}
        )
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    content = uploaded_file.read(MAX_FILE_SIZE + 1)
    if len(content) > MAX_FILE_SIZE:
        raise ImportFileError(
            _("The file is too large (over %(size)s MB). Split it into smaller files.")
            % {"size": MAX_FILE_SIZE // (1024 * 1024)}
        )
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    return extension, content


POLISH_LETTERS = re.compile("[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
# what ISO-8859-2 Polish letters look like when read as CP1250
MOJIBAKE = re.compile("[±¶Ľ¬¦ˇ]")
# control characters other than tab and line ends: a sign of a wrong encoding (C0, DEL, C1)
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _utf16_encoding(content: bytes) -> str | None:
    """UTF-16 (as Excel's "Unicode text" saves): by its BOM, or by the zero bytes of ASCII."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = content[:4000]
    if len(sample) >= 4 and sample.count(b"\x00") * 3 >= len(sample):
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        if odd_zeros > even_zeros * 4:
            return "utf-16-le"
        if even_zeros > odd_zeros * 4:
            return "utf-16-be"
    return None


def _controls(text: str) -> bool:
    return CONTROLS.search(text) is not None


def _polish_score(text: str) -> int:
    return len(POLISH_LETTERS.findall(text)) - 3 * len(MOJIBAKE.findall(text))


def _decode_csv(content: bytes) -> str:
    """The text of a CSV: UTF-8 (with or without BOM), UTF-16 (with or without BOM), or
    whichever of Windows-1250 and ISO-8859-2 reads as Polish; anything else is refused."""
    if content.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("The file is not a CSV or XLSX spreadsheet. Save it as .csv or .xlsx and try again.")
        )
    utf16 = _utf16_encoding(content)
    if utf16:
        try:
            text = content.decode(utf16).lstrip("\ufeff")
        except UnicodeDecodeError:
            text = None
        if text is not None and not _controls(text):
            return text
    if b"\x00" not in content:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is not None and not _controls(text):
            return text
        # one-byte Polish encodings: both decode any byte, so the one that reads as Polish wins
        candidates = []
        for encoding in ("cp1250", "iso-8859-2"):
            try:
                decoded = content.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not _controls(decoded):
                candidates.append((_polish_score(decoded), encoding == "cp1250", decoded))
        if candidates:
            return max(candidates)[2]
    raise ImportFileError(
        _(
            "The file cannot be read as text in UTF-8, UTF-16, Windows-1250 or ISO-8859-2. "
            "Save it from the spreadsheet as “CSV UTF-8” (or CSV) and try again."
        )
    )


def _csv_records(content: bytes) -> list[tuple[int, list]]:
    text = _decode_csv(content)
    first_line = next((line for line in text[:65536].splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first_line.count)
    if not first_line.count(delimiter):
        delimiter = ";"
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        records = []
        for number, record in enumerate(reader, start=1):
            _check_limits(number, record)
            records.append((number, record))
            if len(records) > MAX_ROWS + 50:  # blank rows are dropped later; stop reading here
                break
        return records
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed (%(problem)s).") % {"problem": exc}
        ) from exc


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_ROWS}
    )


def _check_limits(number: int, record: list) -> None:
    """Refuse a row with too many columns or an over-long cell (while reading: stop at once)."""
    filled = [index for index, value in enumerate(record) if value not in (None, "")]
    if filled and filled[-1] >= MAX_COLUMNS:
        raise ImportFileError(
            _(
                "Row %(row)s has more than %(max)s columns. Keep only the columns of the sample file."
            )
            % {"row": number, "max": MAX_COLUMNS}
        )
    for index in filled:
        if len(str(record[index])) > MAX_CELL_LENGTH:
            raise ImportFileError(
                _("Row %(row)s, column %(column)s holds more than %(max)s characters.")
                % {"row": number, "column": index + 1, "max": MAX_CELL_LENGTH}
            )


def _count_sheet(archive: zipfile.ZipFile, name: str) -> None:
    """Count rows and cells of a sheet's XML as it unpacks and stop past the limits: openpyxl
    would read a whole sheet without a dimension before answering anything."""
    rows = cells = 0
    with archive.open(name) as stream:
        while chunk := stream.read(1 << 20):
            rows += chunk.count(b"<row") + chunk.count(b":row ")
            cells += chunk.count(b"<c ") + chunk.count(b"<c>") + chunk.count(b":c ")
            if rows > MAX_ROWS + 51:
                raise _too_many_rows()
            if cells > (MAX_ROWS + 51) * MAX_COLUMNS:
                raise ImportFileError(
                    _(
                        "The sheet has more than %(max)s columns. Keep only the columns of the "
                        "sample file."
                    )
                    % {"max": MAX_COLUMNS}
                )


def _check_xlsx_size(content: bytes) -> None:
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked <= MAX_XLSX_UNPACKED:
                sheets = sorted(
                    (
                        n
                        for n in archive.namelist()
                        if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)
                    ),
                    key=lambda n: int(re.sub(r"\D", "", n)),
                )
                if sheets:
                    _count_sheet(archive, sheets[0])
    except (
        zipfile.BadZipFile,
        zlib.error,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise ImportFileError(_("The XLSX file is damaged or is not an Excel workbook.")) from exc
    if unpacked > MAX_XLSX_UNPACKED:
        raise ImportFileError(
            _(
                "The workbook is too large once unpacked (%(rows)s rows and %(columns)s columns "
                "at most). Copy the organisations into a new sheet and save it again."
            )
            % {"rows": MAX_ROWS, "columns": MAX_COLUMNS}
        )


def _xlsx_records(content: bytes) -> list[tuple[int, list]]:
    if not content.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("The file is not a CSV or XLSX spreadsheet. Save it as .csv or .xlsx and try again.")
        )
    _check_xlsx_size(content)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl fails in many ways on a damaged file: all mean the same
        raise ImportFileError(_("The XLSX file is damaged or is not an Excel workbook.")) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError(_("The file is empty."))
        # the sheet's own dimension first: a huge sheet is refused before a cell is read
        if (sheet.max_row or 0) > MAX_ROWS + 50:
            raise _too_many_rows()
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise ImportFileError(
                _(
                    "The sheet has more than %(max)s columns. Keep only the columns of the sample file."
                )
                % {"max": MAX_COLUMNS}
            )
        records = []
        rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 51, max_col=MAX_COLUMNS + 1)
        for number, values in enumerate(rows, start=1):
            _check_limits(number, list(values))
            records.append((number, list(values)))
        return records
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip
        raise ImportFileError(_("The XLSX file is damaged or is not an Excel workbook.")) from exc
    finally:
        workbook.close()


def read_records(uploaded_file: UploadedFile) -> list[tuple[int, list[str]]]:
    """The non-empty rows of a CSV or XLSX upload as (row number, cells as text); the header
    is the first. Raises ``ImportFileError`` with a message for the user."""
    extension, content = _check_upload(uploaded_file)
    records = _xlsx_records(content) if extension == ".xlsx" else _csv_records(content)
    records = [(n, [_cell(v) for v in values]) for n, values in records]
    records = [(n, values) for n, values in records if any(values)]
    if not records:
        raise ImportFileError(_("The file is empty."))
    return records
