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

from django.utils import translation
from django.utils.translation import gettext as _

from .forms import OrganisationForm
from .models import (
    Gmina,
    InstitutionKind,
    OperatingScope,
    Organisation,
    Sector,
    StakeholderType,
)
from .services import organisation_duplicates

MAX_FILE_SIZE = 2 * 1024 * 1024
MAX_ROWS = 1000
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
CHOICE_FIELDS = {
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


def _norm(text) -> str:
    """Lower-case, NFC, single spaces, no BOM: the form in which headers and labels compare."""
    text = unicodedata.normalize("NFC", str(text or "")).replace("\ufeff", "")
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def _header_map() -> dict[str, str]:
    mapping = {}
    for name, spellings in COLUMNS.items():
        mapping.setdefault(_norm(name), name)
        for spelling in spellings:
            mapping.setdefault(_norm(spelling), name)
    return mapping


HEADERS = _header_map()


def column_title(name: str) -> str:
    """The header of a field as the sample file spells it."""
    return COLUMNS[name][0]


def _choice_map(choices) -> dict[str, str]:
    """Accepted spellings of a choice: its value, its label in Polish and in English, and the
    abbreviation in brackets of the label (``Labour office (PUP)`` -> ``pup``)."""
    mapping = {}
    for value, label in choices.choices:
        mapping.setdefault(_norm(value), value)
        for language in ("pl", "en"):
            with translation.override(language):
                text = str(label)
            mapping.setdefault(_norm(text), value)
            for abbreviation in re.findall(r"\(([^)]+)\)", text):
                mapping.setdefault(_norm(abbreviation), value)
    return mapping


def _cell(value) -> str:
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


def _check_upload(uploaded_file) -> tuple[str, bytes]:
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


def _decode_csv(content: bytes) -> str:
    if content.startswith(b"PK\x03\x04") or b"\x00" in content:
        raise ImportFileError(
            _("The file is not a CSV or XLSX spreadsheet. Save it as .csv or .xlsx and try again.")
        )
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t")
        if controls:
            break
        return text
    raise ImportFileError(
        _(
            "The file cannot be read as text. Save it from the spreadsheet as “CSV UTF-8” "
            "(or CSV) and try again."
        )
    )


def _csv_records(content: bytes) -> list[tuple[int, list]]:
    text = _decode_csv(content)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first_line.count)
    if not first_line.count(delimiter):
        delimiter = ";"
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [(number, record) for number, record in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed (%(problem)s).") % {"problem": exc}
        ) from exc


def _xlsx_records(content: bytes) -> list[tuple[int, list]]:
    if not content.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("The file is not a CSV or XLSX spreadsheet. Save it as .csv or .xlsx and try again.")
        )
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl fails in many ways on a damaged file: all mean the same
        raise ImportFileError(_("The XLSX file is damaged or is not an Excel workbook.")) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError(_("The file is empty."))
        records = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            records.append((number, list(values)))
            if len(records) > MAX_ROWS + 50:
                break
        return records
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip
        raise ImportFileError(_("The XLSX file is damaged or is not an Excel workbook.")) from exc
    finally:
        workbook.close()


def read_records(uploaded_file) -> list[tuple[int, list[str]]]:
    """The non-empty rows of a CSV or XLSX upload as (row number, cells as text); the header
    is the first. Raises ``ImportFileError`` with a message for the user."""
    extension, content = _check_upload(uploaded_file)
    records = _xlsx_records(content) if extension == ".xlsx" else _csv_records(content)
    records = [(n, [_cell(v) for v in values]) for n, values in records]
    records = [(n, values) for n, values in records if any(values)]
    if not records:
        raise ImportFileError(_("The file is empty."))
    return records


def normalise_header(text) -> str:
    return _norm(text)


def parse_table(uploaded_file) -> list[dict]:
    """The rows of a CSV or XLSX upload as dicts keyed by organisation fields.

    Each dict also has ``ROW_KEY``: the row number in the spreadsheet (the header is row 1).
    Empty rows are skipped; unknown columns are ignored. Raises ``ImportFileError``.
    """
    records = read_records(uploaded_file)
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
        raise ImportFileError(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    rows = []
    for number, values in body:
        row = dict.fromkeys(COLUMNS, "")
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
    cleaned: dict | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    form: OrganisationForm | None = field(default=None, repr=False, compare=False)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def is_duplicate(self) -> bool:
        return bool(self.duplicates)

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(str(message))
        self.cleaned = None

    @property
    def labelled_errors(self) -> list[tuple[str, str]]:
        """(column, message) pairs for display."""
        pairs = []
        for name, messages in self.errors.items():
            label = column_title(name) if name in COLUMNS else ""
            pairs.extend((label, message) for message in messages)
        return pairs


def _form_data(values: dict[str, str], gmina_ids: dict[str, int], default_gmina) -> dict:
    data = {name: values.get(name, "") for name in COLUMNS}
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


def validate_rows(rows: list[dict], *, gminas_qs, default_gmina=None) -> list[RowResult]:
    """Every row through ``OrganisationForm`` (gminas limited to ``gminas_qs``; an empty TERYT
    cell means ``default_gmina``) plus duplicate warnings against the database and the file."""
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
            _mark_duplicates(result, form.cleaned_data, seen_nips, seen_names)
        results.append(result)
    return results


def _mark_duplicates(result: RowResult, cleaned: dict, seen_nips: dict, seen_names: dict) -> None:
    gmina = cleaned["gmina"]
    name_key = (_norm(cleaned["name"]), gmina.pk)
    for existing in organisation_duplicates(
        name=cleaned["name"], gmina_id=gmina.pk, nip=cleaned["nip"]
    )[:5]:
        result.duplicates.append(
            _("Looks like an existing organisation: %(name)s (gmina %(gmina)s, NIP %(nip)s).")
            % {"name": existing.name, "gmina": existing.gmina.code, "nip": existing.nip or "—"}
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
