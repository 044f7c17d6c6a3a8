"""Import of organisations from a spreadsheet: read the file, validate every row.

Reading (``parse_table``) turns a CSV or XLSX upload into plain dicts keyed by the fields of
``OrganisationForm``; validating (``validate_rows``) runs every row through that form, so an
imported organisation obeys exactly the rules of the page form. Saving, and joining a network,
happens in ``networks.services.io`` (this app does not know networks).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _

from ksr_portal.core.exports import is_formula_like

from .forms import OrganisationForm
from .import_files import (
    MAX_ROWS,
    ImportFileError,
    _too_many_rows,
    read_records,
)
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
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import QuerySet

# free-text columns: a formula-looking value is stored with a leading apostrophe (neutralised)
TEXT_FIELDS = ("name", "short_name", "legal_form", "street", "city", "phone", "website")
ROW_KEY = "_row"

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


def normalise_header(text: object) -> str:
    return _norm(text)


def parse_table(uploaded_file: UploadedFile) -> list[dict[str, Any]]:
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
