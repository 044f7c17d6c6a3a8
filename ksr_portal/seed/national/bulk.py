"""Writing in bulk, and deleting the data set again (--replace) without loading it."""

import itertools
import random
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import connection, models

from ksr_portal.seed.national.vocabulary import SYNTHETIC_DOMAIN
from networks.models import Membership, Network, Tier
from stakeholders.models import Gmina, Organisation

BATCH = 5000


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def _bulk(model: type[models.Model], objects: Iterable, batch_size: int = BATCH) -> int:
    """bulk_create an iterable in batches without holding it all in memory; returns the count."""
    iterator = iter(objects)
    total = 0
    while chunk := list(itertools.islice(iterator, batch_size)):
        model.objects.bulk_create(chunk, batch_size=batch_size)
        total += len(chunk)
    return total


def _bulk_keep(model: type[models.Model], objects: list) -> list:
    """bulk_create keeping the objects (PostgreSQL returns their primary keys)."""
    model.objects.bulk_create(objects, batch_size=BATCH)
    return objects


def _gmina_label(gmina: Gmina) -> str:
    prefix = {"1": "miasto", "2": "gmina", "3": "gmina miejsko-wiejska"}.get(gmina.kind, "gmina")
    return f"{prefix} {gmina.name}"


def _random_day(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _delete_where(model: type[models.Model], where: str, params: list, _path=()) -> None:
    """Delete rows of `model` matching `where` with SQL, following the cascades of the model's
    relations (CASCADE: delete the children first, SET_NULL: clear the reference; PROTECT and
    DO_NOTHING are left to the database, whose deferred foreign keys check them at commit).
    Django's collector would load every row and write an audit record for each; this does not."""
    meta = model._meta
    qn = connection.ops.quote_name
    selection = f"SELECT {qn(meta.pk.column)} FROM {qn(meta.db_table)} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        for rel in meta.get_fields(include_hidden=True):
            if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
                continue
            child = rel.related_model
            column = qn(rel.field.column)
            child_where = f"{column} IN ({selection})"
            if rel.on_delete is models.CASCADE and child not in _path:
                _delete_where(child, child_where, params, (*_path, model))
            elif rel.on_delete is models.SET_NULL:
                cursor.execute(
                    f"UPDATE {qn(child._meta.db_table)} SET {column} = NULL WHERE {child_where}",  # noqa: S608
                    params,
                )
        cursor.execute(f"DELETE FROM {qn(meta.db_table)} WHERE {where}", params)  # noqa: S608


def delete_dataset() -> tuple[int, int]:
    """Remove every LSR (with all its data) and the organisations this generator made."""
    networks = Network.objects.filter(tier=Tier.LSR).count()
    _delete_where(Network, "tier = %s", [Tier.LSR.value])
    membership_table = connection.ops.quote_name(Membership._meta.db_table)
    org_table = connection.ops.quote_name(Organisation._meta.db_table)
    where = (
        f"email LIKE %s AND NOT EXISTS (SELECT 1 FROM {membership_table} m "  # noqa: S608
        f"WHERE m.organisation_id = {org_table}.id)"
    )
    generated = Organisation.objects.filter(email__endswith=f"@{SYNTHETIC_DOMAIN}")
    before = generated.count()
    _delete_where(Organisation, where, [f"%@{SYNTHETIC_DOMAIN}"])
    return networks, before - generated.count()
