"""State changes of the stakeholders app."""

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Q, QuerySet

from .models import ContactPerson, County, Gmina, GminaKind, Organisation, Voivodeship

TERYT_FILE = Path(__file__).resolve().parent / "data" / "teryt_terc.csv"
GMINA_KINDS = {k.value for k in GminaKind}
_Territory = TypeVar("_Territory", Voivodeship, County, Gmina)


@dataclass
class TerytLoadResult:
    created: dict[str, int]
    updated: dict[str, int]


def _sync(
    model: type[_Territory], rows: dict[str, dict[str, Any]], fields: list[str]
) -> tuple[int, int]:
    """Insert missing rows, update changed ones; idempotent and in bulk."""
    existing = {obj.code: obj for obj in model.objects.all()}
    to_create: list[_Territory] = []
    to_update: list[_Territory] = []
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, **values))
        elif any(getattr(obj, f) != values[f] for f in fields):
            for f in fields:
                setattr(obj, f, values[f])
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=1000)
    return len(to_create), len(to_update)


@transaction.atomic
def teryt_load(*, path: Path = TERYT_FILE) -> TerytLoadResult:
    """Load voivodeships, counties and gminas (kinds 1-3) from a TERC CSV file."""
    voivodeships: dict[str, dict[str, Any]] = {}
    counties: dict[str, dict[str, Any]] = {}
    gminas: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            kind = row["kind"]
            if kind == "voivodeship":
                voivodeships[row["woj"]] = {"name": row["name"].lower()}
            elif kind == "county":
                counties[row["woj"] + row["pow"]] = {"name": row["name"], "woj": row["woj"]}
            elif kind == "municipality" and row["rodz"] in GMINA_KINDS:
                code = row["woj"] + row["pow"] + row["gmi"] + row["rodz"]
                gminas[code] = {
                    "name": row["name"],
                    "kind": row["rodz"],
                    "county": row["parent_code"],
                }

    created: dict[str, int] = {}
    updated: dict[str, int] = {}
    created["voivodeships"], updated["voivodeships"] = _sync(Voivodeship, voivodeships, ["name"])
    woj_ids = dict(Voivodeship.objects.values_list("code", "id"))
    county_rows = {
        c: {"name": v["name"], "voivodeship_id": woj_ids[v["woj"]]} for c, v in counties.items()
    }
    created["counties"], updated["counties"] = _sync(
        County, county_rows, ["name", "voivodeship_id"]
    )
    county_ids = dict(County.objects.values_list("code", "id"))
    gmina_rows = {
        c: {"name": v["name"], "kind": v["kind"], "county_id": county_ids[v["county"]]}
        for c, v in gminas.items()
    }
    created["gminas"], updated["gminas"] = _sync(Gmina, gmina_rows, ["name", "kind", "county_id"])
    return TerytLoadResult(created=created, updated=updated)


def organisation_duplicates(
    *,
    name: str,
    gmina_id: int | None,
    nip: str,
    regon: str = "",
    krs: str = "",
    exclude_pk: int | None = None,
) -> QuerySet[Organisation]:
    """Organisations that look like the same one: same NIP, REGON or KRS, or same name in the
    same gmina. Unscoped: show users only ``selectors.organisation_duplicates_for_user``."""

    from .models import Organisation

    condition = Q(pk__in=[])
    if nip:
        condition |= Q(nip=nip)
    if regon:
        condition |= Q(regon=regon)
    if krs:
        condition |= Q(krs=krs)
    if name and gmina_id:
        condition |= Q(name__iexact=name.strip(), gmina_id=gmina_id)
    qs = Organisation.objects.filter(condition).select_related("gmina")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


@transaction.atomic
def organisation_save(*, organisation: Organisation) -> Organisation:
    """Create or update an organisation validated by OrganisationForm."""
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def contact_person_add(*, organisation: Organisation, contact: ContactPerson) -> ContactPerson:
    contact.organisation = organisation
    contact.full_clean()
    contact.save()
    return contact
