"""Import of organisations from a spreadsheet: read the file, validate every row.

Reading (``parse_table``) turns a CSV or XLSX upload into plain dicts keyed by the fields of
``OrganisationForm``; validating (``validate_rows``) runs every row through that form, so an
imported organisation obeys exactly the rules of the page form. Saving, and joining a network,
happens in ``networks.services.io`` (this app does not know networks).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _

from ksr_portal.core.exports import is_formula_like

from .forms import OrganisationForm
from .models import (
    Gmina,
    InstitutionKind,
    OperatingScope,
    Organisation,
    Sector,
    StakeholderType,
    User,
)
from .selectors import organisation_duplicates_for_user
from .validators import digits_only, validate_regon

if TYPE_CHECKING:
    import zipfile

    from django.db.models import QuerySet

MAX_FILE_SIZE = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 60
MAX_CELL_LENGTH = 2000
# an XLSX is a zip: 2 MB of it can unpack to gigabytes of sheet XML; refuse that before parsing
MAX_XLSX_UNPACKED = 40 * 1024 * 1024
# free-text columns: a formula-looking value is stored with a leading apostrophe (neutralised)
TEXT_FIELDS = ("name", "short_name", "legal_form", "street", "city", "phone", "website")
ROW_KEY = "_row"
ALLOWED_EXTENSIONS = (".csv", ".xlsx")

# field -> the header of the sample file (shown to users) and the other accepted spellings
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("nazwa", "nazwa organizacji", "name"),
    "short_name": ("nazwa skrócona", "skrót", "short_name", "short name"),
    "stakeholder_type": ("typ (A/B/C)", "typ", "typ interesariusza", "stakeholder_type", "type"),
    "institution_kind": ("rodzaj instytucji", "rodzaj", "institution_kind", "institution kind"),
    "sector": ("sektor", "sector"),
    "legal_form": ("forma prawna", "legal_form", "legal form"),
    "operating_scope": ("zasięg", "zasięg działania", "operating_scope", "scope"),
    "street": ("ulica", "ulica i numer", "adres", "street"),
    "postal_code": ("kod pocztowy", "kod", "postal_code", "postal code"),
    "city": ("miejscowość", "miasto", "city", "town"),
    "gmina": ("gmina TERYT", "TERYT gminy", "TERYT", "gmina", "gmina_teryt", "gmina teryt"),
    "nip": ("NIP",),
    "regon": ("REGON",),
    "krs": ("KRS", "numer KRS", "krs number"),
    "email": ("e-mail", "email", "adres e-mail"),
    "phone": ("telefon", "tel.", "phone"),
    "website": ("www", "strona www", "strona internetowa", "website"),
}
REQUIRED_COLUMNS = ("name", "stakeholder_type", "institution_kind", "sector")
CHOICE_FIELDS: dict[str, type[TextChoices]] = {
    "stakeholder_type": StakeholderType,
    "institution_kind": InstitutionKind,
    "sector": Sector,
    "operating_scope": OperatingScope,
}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _norm(text: object) -> str:
    """Lower-case, NFC, single spaces, no BOM: the form in which headers and labels compare."""
    text = unicodedata.normalize("NFC", str(text or "")).replace("\ufeff", "")
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def _header_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for name, spellings in COLUMNS.items():
        mapping.setdefault(_norm(name), name)
        for spelling in spellings:
            mapping.setdefault(_norm(spelling), name)
    return mapping


HEADERS = _header_map()


def column_title(name: str) -> str:
    """The header of a field as the sample file spells it."""
    return COLUMNS[name][0]


def _choice_map(choices: type[TextChoices]) -> dict[str, str]:
    """Accepted spellings of a choice: its value, its label in Polish and in English, and the
    abbreviation in brackets of the label (``Labour office (PUP)`` -> ``pup``)."""
    mapping: dict[str, str] = {}
    for value, label in choices.choices:
        mapping.setdefault(_norm(value), value)
        for language in ("pl", "en"):
            with translation.override(language):
                text = str(label)
            mapping.setdefault(_norm(text), value)
            for abbreviation in re.findall(r"\(([^)]+)\)", text):
                mapping.setdefault(_norm(abbreviation), value)
    return mapping


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


def parse_table(uploaded_file: UploadedFile) -> list[dict[str, Any]]:
    """The rows of a CSV or XLSX upload as dicts keyed by organisation fields.

    Each dict also has ``ROW_KEY``: the row number in the spreadsheet (the header is row 1).
    Empty rows are skipped; unknown columns are ignored. Raises ``ImportFileError``.
    """
    extension, content = _check_upload(uploaded_file)
    records = _xlsx_records(content) if extension == ".xlsx" else _csv_records(content)
    records = [(n, [_cell(v) for v in values]) for n, values in records]
    records = [(n, values) for n, values in records if any(values)]
    if not records:
        raise ImportFileError(_("The file is empty."))
    _header_number, header = records[0]
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        name = HEADERS.get(_norm(title))
        if name and name not in columns.values():
            columns[index] = name
    missing = [column_title(n) for n in REQUIRED_COLUMNS if n not in columns.values()]
    if missing:
        found = ", ".join(f"„{t}”" for t in header if t) or "—"
        raise ImportFileError(
            _(
                "The file lacks required columns: %(missing)s. Columns found: %(found)s. "
                "Use the headers of the sample file."
            )
            % {"missing": ", ".join(f"„{m}”" for m in missing), "found": found}
        )
    body = records[1:]
    if not body:
        raise ImportFileError(_("The file has a header row but no organisations."))
    if len(body) > MAX_ROWS:
        raise _too_many_rows()
    rows = []
    for number, values in body:
        row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
        for index, name in columns.items():
            row[name] = values[index] if index < len(values) else ""
        row[ROW_KEY] = number
        rows.append(row)
    return rows


@dataclass
class RowResult:
    """One spreadsheet row after validation."""

    row: int
    values: dict[str, str]
    cleaned: dict[str, Any] | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # shown in the preview; the row is valid
    form: OrganisationForm | None = field(default=None, repr=False, compare=False)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def is_duplicate(self) -> bool:
        return bool(self.duplicates)

    def add_error(self, name: str, message: object) -> None:
        self.errors.setdefault(name, []).append(str(message))
        self.cleaned = None

    @property
    def labelled_errors(self) -> list[tuple[str, str]]:
        """(column, message) pairs for display."""
        pairs: list[tuple[str, str]] = []
        for name, messages in self.errors.items():
            label = column_title(name) if name in COLUMNS else ""
            pairs.extend((label, message) for message in messages)
        return pairs


def _neutralise_formulas(data: dict, result: RowResult) -> None:
    """A cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) is flagged
    and stored with a leading apostrophe, so it never runs when the data is opened again."""
    for name in TEXT_FIELDS:
        value = data.get(name, "")
        if is_formula_like(value):
            data[name] = "'" + value
            result.warnings.append(
                _(
                    "%(column)s looks like a spreadsheet formula; it is stored as text, with an "
                    "apostrophe in front."
                )
                % {"column": column_title(name)}
            )


def _restore_leading_zeros(data: dict, result: RowResult) -> None:
    """REGON and KRS that a spreadsheet stored as numbers lose their leading zeros: a KRS number
    always has 10 digits, a REGON 9 or 14 and a check digit. Padded back when that is
    unambiguous (the KRS; a REGON whose padded form passes its check digit)."""
    regon = digits_only(data.get("regon", ""))
    if regon.isdigit() and len(regon) not in (9, 14) and len(regon) < 14:
        padded = [
            candidate
            for candidate in (regon.zfill(9), regon.zfill(14))
            if len(candidate) > len(regon) and _regon_ok(candidate)
        ]
        if len(padded) == 1:
            data["regon"] = padded[0]
            result.warnings.append(
                _(
                    "REGON %(raw)s had lost its leading zeros (the spreadsheet stored it as a "
                    "number); read as %(fixed)s. Format the column as text."
                )
                % {"raw": regon, "fixed": padded[0]}
            )
        else:
            result.add_error(
                "regon",
                _(
                    "REGON %(raw)s has %(n)s digits: a REGON has 9 or 14. If the spreadsheet "
                    "dropped its leading zeros, format the column as text and type it again."
                )
                % {"raw": regon, "n": len(regon)},
            )
            data["regon"] = ""
    krs = digits_only(data.get("krs", ""))
    if krs.isdigit() and len(krs) < 10:
        data["krs"] = krs.zfill(10)
        result.warnings.append(
            _(
                "KRS %(raw)s had lost its leading zeros (the spreadsheet stored it as a number); "
                "read as %(fixed)s. Format the column as text."
            )
            % {"raw": krs, "fixed": data["krs"]}
        )


def _regon_ok(value: str) -> bool:
    try:
        validate_regon(value)
    except ValidationError:
        return False
    return True


def _form_data(
    values: dict[str, str], gmina_ids: dict[str, int], default_gmina: Gmina | None
) -> dict[str, Any]:
    data: dict[str, Any] = {name: values.get(name, "") for name in COLUMNS}
    for name in CHOICE_FIELDS:
        raw = data[name]
        if raw:
            data[name] = CHOICE_MAPS[name].get(_norm(raw), raw.strip())
    if not data["operating_scope"]:
        data["operating_scope"] = OperatingScope.LOCAL
    code = re.sub(r"\s", "", data["gmina"])
    if not code:
        data["gmina"] = default_gmina.pk if default_gmina is not None else ""
    elif code in gmina_ids:
        data["gmina"] = gmina_ids[code]
    else:
        data["gmina"] = ""
        data["_unknown_gmina"] = code
    return data


CHOICE_MAPS: dict[str, dict[str, str]] = {}


def _ensure_choice_maps() -> None:
    # built lazily: translations are not ready when the module is imported
    if not CHOICE_MAPS:
        for name, choices in CHOICE_FIELDS.items():
            CHOICE_MAPS[name] = _choice_map(choices)


def validate_rows(
    rows: list[dict[str, Any]],
    *,
    gminas_qs: QuerySet[Gmina],
    default_gmina: Gmina | None = None,
    user: User | None = None,
) -> list[RowResult]:
    """Every row through ``OrganisationForm`` (gminas limited to ``gminas_qs``; an empty TERYT
    cell means ``default_gmina``) plus duplicate warnings against the database and the file
    (naming only organisations in the scope of ``user``)."""
    _ensure_choice_maps()
    gmina_ids = dict(gminas_qs.values_list("code", "pk"))
    results = []
    seen_nips: dict[str, int] = {}
    seen_names: dict[tuple[str, int], int] = {}
    for values in rows:
        number = values.get(ROW_KEY, 0)
        shown = {name: str(values.get(name, "") or "") for name in COLUMNS}
        result = RowResult(row=number, values=shown)
        data = _form_data(shown, gmina_ids, default_gmina)
        unknown_gmina = data.pop("_unknown_gmina", None)
        _neutralise_formulas(data, result)
        _restore_leading_zeros(data, result)
        form = OrganisationForm(data=data, gminas=gminas_qs)
        valid = form.is_valid()
        for name, messages in form.errors.items():
            if name == "gmina" and unknown_gmina:
                continue
            for message in messages:
                result.add_error(name if name in COLUMNS else "__all__", message)
        if unknown_gmina:
            result.add_error(
                "gmina",
                _("There is no gmina with the TERYT code %(code)s (7 digits, e.g. 0603142).")
                % {"code": unknown_gmina},
            )
        if valid and not result.errors:
            result.form = form
            result.cleaned = {
                name: (value.pk if isinstance(value, Gmina) else value)
                for name, value in form.cleaned_data.items()
            }
            _mark_duplicates(result, form.cleaned_data, seen_nips, seen_names, user)
        results.append(result)
    return results


def _mark_duplicates(
    result: RowResult,
    cleaned: dict[str, Any],
    seen_nips: dict[str, int],
    seen_names: dict[tuple[str, int], int],
    user: User | None = None,
) -> None:
    gmina = cleaned["gmina"]
    name_key = (_norm(cleaned["name"]), gmina.pk)
    found = organisation_duplicates_for_user(
        user=user,
        name=cleaned["name"],
        gmina_id=gmina.pk,
        nip=cleaned["nip"],
        regon=cleaned.get("regon", ""),
        krs=cleaned.get("krs", ""),
    )
    for existing in found.visible:
        result.duplicates.append(
            _("Looks like an existing organisation: %(name)s (gmina %(gmina)s, NIP %(nip)s).")
            % {"name": existing.name, "gmina": existing.gmina.code, "nip": existing.nip or "—"}
        )
    if found.hidden:
        result.duplicates.append(
            _(
                "An organisation with the same NIP, REGON, KRS or name is already registered "
                "in the portal."
            )
        )
    earlier = seen_nips.get(cleaned["nip"]) if cleaned["nip"] else None
    earlier = earlier or seen_names.get(name_key)
    if earlier:
        result.duplicates.append(
            _("The same organisation as in row %(row)s of this file.") % {"row": earlier}
        )
    if cleaned["nip"]:
        seen_nips.setdefault(cleaned["nip"], result.row)
    seen_names.setdefault(name_key, result.row)


def build_organisation(result: RowResult) -> Organisation:
    """An unsaved organisation from a valid row."""
    if not result.is_valid or result.form is None:
        raise ValueError("only valid rows can be built")
    return result.form.save(commit=False)
