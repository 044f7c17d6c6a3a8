"""Search by name ignoring diacritics and case (issue 14 §5): the unaccent and pg_trgm extensions,
the IMMUTABLE folding function ``ksr_fold`` (unaccent is only STABLE, so an index cannot call it
directly; ``ł`` is translated explicitly, as older unaccent rules leave it) and GIN trigram indexes
on the folded names of networks and organisations. Nothing on SQLite: there ``ksr_fold`` is a
Python function registered per connection (``ksr_portal.dashboards.search``)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

FOLD = """
CREATE OR REPLACE FUNCTION ksr_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(translate(public.unaccent('public.unaccent'::regdictionary, $1), 'łŁ', 'lL')) $$
"""
INDEXES = [
    ("networks_network", "networks_network_name_fold_trgm"),
    ("stakeholders_organisation", "stakeholders_organisation_name_fold_trgm"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FOLD)
    for table, index in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (ksr_fold(name) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, index in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
    schema_editor.execute("DROP FUNCTION IF EXISTS ksr_fold(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0002_region_summary"),
        ("networks", "0003_import_receipt"),
        ("stakeholders", "0002_historicalorganisation_organisation_and_more"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
