"""Backup and restore of the portal: the database and the uploaded files, with a manifest.

A backup is a directory:

- ``database.dump``: ``pg_dump --format=custom`` of a PostgreSQL database (or ``database.json``,
  ``dumpdata`` of every app, for the embedded SQLite database of ``make run``);
- ``media.tar.gz``: every file under ``MEDIA_ROOT`` (evidence, library documents);
- ``manifest.json``: when and from what it was made, the row count of every table and the
  SHA-256 of each file, checked before a restore and compared after it.

A restore goes into an **empty** PostgreSQL database (``pg_restore``) and refuses a database that
has tables unless forced. ``pg_dump``/``pg_restore`` are taken from the PostgreSQL installation
of the server's major version (``/usr/lib/postgresql/<major>/bin``) when it is there: a client
older than the server refuses to dump it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP_FILE = "database.dump"
JSON_DUMP_FILE = "database.json"
MEDIA_FILE = "media.tar.gz"
FORMAT_VERSION = 1


class BackupError(Exception):
    """The backup or the restore cannot be done; the message says why."""


@dataclass(frozen=True)
class PgTarget:
    """Where a PostgreSQL database is: what libpq and the client programs need."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, alias: str = "default") -> PgTarget:
        db = settings.DATABASES[alias]
        if db["ENGINE"] != "django.db.backends.postgresql":
            raise BackupError(f"The database “{alias}” is not PostgreSQL.")
        return cls(
            name=db["NAME"],
            user=db.get("USER") or "",
            password=db.get("PASSWORD") or "",
            host=db.get("HOST") or "",
            port=str(db.get("PORT") or ""),
        )

    def args(self) -> list[str]:
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def env(self) -> dict[str, str]:
        env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self):
        import psycopg2

        return psycopg2.connect(
            dbname=self.name,
            user=self.user or None,
            password=self.password or None,
            host=self.host or None,
            port=self.port or None,
            connect_timeout=10,
        )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _count_rows(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - introspected names
        counts[table] = cursor.fetchone()[0]
    return counts


def django_row_counts(alias: str = "default") -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _count_rows(cursor, tables, connection.ops.quote_name)


def pg_tables(target: PgTarget) -> list[str]:
    with target.connect() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return [row[0] for row in cursor.fetchall()]


def pg_row_counts(target: PgTarget) -> dict[str, int]:
    tables = pg_tables(target)
    with target.connect() as conn, conn.cursor() as cursor:
        return _count_rows(cursor, tables, lambda name: '"' + name.replace('"', '""') + '"')


def _server_major(target: PgTarget) -> int:
    with target.connect() as conn, conn.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_program(name: str, target: PgTarget) -> str:
    """``pg_dump``/``pg_restore`` of the server's major version (PG_BIN overrides)."""
    directory = os.environ.get("PG_BIN") or f"/usr/lib/postgresql/{_server_major(target)}/bin"
    candidate = Path(directory) / name
    if candidate.is_file():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found: install the PostgreSQL client programs.")
    return found


def _run(command: list[str], target: PgTarget) -> None:
    result = subprocess.run(  # noqa: S603 - fixed programs, arguments are not a shell line
        command, env=target.env(), capture_output=True, text=True, timeout=3600
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _tar_media(media_root: Path, out: Path) -> int:
    files = 0
    with tarfile.open(out, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    files += 1
    return files


def backup_create(*, out: Path, alias: str = "default") -> dict[str, Any]:
    """Write a backup of the database ``alias`` and of ``MEDIA_ROOT`` into the directory ``out``
    (created; it must be empty). Returns the manifest."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty: choose a new directory for the backup.")
    out.mkdir(parents=True, exist_ok=True)
    vendor = connections[alias].vendor
    if vendor == "postgresql":
        target = PgTarget.from_settings(alias)
        dump = out / PG_DUMP_FILE
        program = pg_program("pg_dump", target)
        _run(
            [program, "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump)]
            + target.args()
            + ["--dbname", target.name],
            target,
        )
    else:
        dump = out / JSON_DUMP_FILE
        call_command(
            "dumpdata",
            "--natural-foreign",
            "--exclude=contenttypes",
            "--exclude=auth.permission",
            f"--database={alias}",
            f"--output={dump}",
            verbosity=0,
        )
    media_root = Path(settings.MEDIA_ROOT)
    media_files = _tar_media(media_root, out / MEDIA_FILE)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "vendor": vendor,
        "database": dump.name,
        "media_files": media_files,
        "row_counts": django_row_counts(alias),
        "checksums": {name: sha256(out / name) for name in (dump.name, MEDIA_FILE)},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of a backup directory, with every file's checksum verified."""
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} has no {MANIFEST}: it is not a backup of the portal.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, expected in manifest["checksums"].items():
        file = Path(source) / name
        if not file.is_file() or sha256(file) != expected:
            raise BackupError(f"{name} is missing or damaged (checksum differs).")
    return manifest


def _extract_media(archive_path: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(media_root, filter="data")  # no absolute paths, no "..", no links


def backup_restore(
    *, source: Path, target: PgTarget, media_root: Path, force: bool = False
) -> dict[str, Any]:
    """Restore a PostgreSQL backup into ``target`` (empty unless ``force``) and its files into
    ``media_root``; the row count of every table must then equal the manifest's."""
    source = Path(source)
    manifest = read_manifest(source)
    if manifest["vendor"] != "postgresql":
        raise BackupError(
            "This backup holds a SQLite dump (database.json): load it with "
            "“manage.py migrate” and “manage.py loaddata database.json” instead."
        )
    existing = pg_tables(target)
    if existing and not force:
        raise BackupError(
            f"The database {target.name} is not empty ({len(existing)} tables). Restore into an "
            "empty database, or give --force to replace its contents."
        )
    program = pg_program("pg_restore", target)
    command = [program, "--no-owner", "--no-privileges", "--exit-on-error"]
    if existing:
        command += ["--clean", "--if-exists"]
    _run(command + target.args() + ["--dbname", target.name, str(source / PG_DUMP_FILE)], target)
    _extract_media(source / MEDIA_FILE, Path(media_root))
    counts = pg_row_counts(target)
    differ = {
        table: (expected, counts.get(table))
        for table, expected in manifest["row_counts"].items()
        if counts.get(table) != expected
    }
    if differ:
        raise BackupError(f"Row counts differ after the restore: {differ}")
    return manifest
