"""Reading a bulk invitation file: the import machinery's file reading, our own columns."""

from django.utils.translation import gettext as _

from stakeholders.import_files import MAX_ROWS, ImportFileError, read_records
from stakeholders.imports import normalise_header

COLUMNS = {
    "email": ("e-mail", "email", "adres e-mail", "adres email", "mail"),
    "first_name": ("imię", "imie", "first name", "first_name"),
    "last_name": ("nazwisko", "last name", "last_name", "surname"),
    "scope": (
        "zakres",
        "scope",
        "gmina",
        "gminy",
        "kod teryt",
        "teryt",
        "województwo",
        "wojewodztwo",
        "organizacja",
        "organisation",
        "nip",
    ),
}
HEADERS = {normalise_header(s): name for name, spellings in COLUMNS.items() for s in spellings}


def read_invitation_file(uploaded_file) -> list[dict]:
    """Rows as dicts with email, first_name, last_name, scope and the row number."""
    records = read_records(uploaded_file)
    _number, header = records[0]
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        name = HEADERS.get(normalise_header(title))
        if name and name not in columns.values():
            columns[index] = name
    missing = [COLUMNS[n][0] for n in ("email", "scope") if n not in columns.values()]
    if missing:
        raise ImportFileError(
            _("The file lacks required columns: %(missing)s. Columns found: %(found)s.")
            % {
                "missing": ", ".join(f"„{m}”" for m in missing),
                "found": ", ".join(f"„{t}”" for t in header if t) or "—",
            }
        )
    body = records[1:]
    if not body:
        raise ImportFileError(_("The file has a header row but no people."))
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    rows = []
    for number, values in body:
        row: dict[str, str | int] = dict.fromkeys(COLUMNS, "")
        for index, name in columns.items():
            row[name] = values[index] if index < len(values) else ""
        row["row"] = number
        rows.append(row)
    return rows
