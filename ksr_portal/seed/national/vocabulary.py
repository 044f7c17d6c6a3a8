"""The vocabulary of the synthetic national data set: words, names, texts and the kinds of member
organisations, read from `data/national.yaml` and `data/national_organisations.csv`."""

from ksr_portal.seed.datafiles import load_csv, load_yaml
from stakeholders.models import InstitutionKind, Sector, StakeholderType

SYNTHETIC_DOMAIN = "syntetyczne.invalid"
# The reason the card service writes when a type C member leaves (its Polish translation).
LEFT_REASON = "Instytucja wystąpiła z LSR."

_DATA = load_yaml("national.yaml")
WORDS: list[str] = _DATA["words"]
FIRST_NAMES: list[str] = _DATA["first_names"]
LAST_NAMES: list[str] = _DATA["last_names"]
SAINTS: list[str] = _DATA["saints"]
NA_REASONS: list[str] = _DATA["na_reasons"]
ACTIVITY_NOTES: list[str] = _DATA["activity_notes"]
MEETING_TOPICS: list[str] = _DATA["meeting_topics"]
RHYTHMS: list[str] = _DATA["rhythms"]
ROLES_IN_PARTNERSHIP: list[str] = _DATA["roles_in_partnership"]
VISIONS: list[str] = _DATA["visions"]
MISSIONS: list[str] = _DATA["missions"]
GOALS: list[str] = _DATA["goals"]
ONCE_PER_LSR = frozenset(_DATA["once_per_lsr"])
# Survey answer material (questionnaire_lsr.yaml); combined into validated answer templates.
Q1_OPTIONS: list[str] = _DATA["q1_options"]
SURVEY_ITEMS: dict[str, list[str]] = _DATA["survey_items"]
SURVEY_TEXTS: dict[str, list[str]] = _DATA["survey_texts"]

# (type, kind, sector, name pattern, legal form, weight); {g} = gmina label, {w} = a word,
# {n} = a running number, {s} = a patron saint.
CATALOGUE: list[tuple[str, str, str, str, str, int]] = [
    (
        StakeholderType(row["type"]),
        InstitutionKind(row["kind"]),
        Sector(row["sector"]),
        row["name"],
        row["legal_form"],
        int(row["weight"]),
    )
    for row in load_csv("national_organisations.csv")
]
