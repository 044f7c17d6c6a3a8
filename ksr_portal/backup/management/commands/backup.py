from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ksr_portal.backup.archive import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files (MEDIA_ROOT) into a new directory."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="a new (or empty) directory")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, out: Path, database: str, **options):
        try:
            manifest = backup_create(out=out, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Backup written to {out}: {manifest['database']} ({len(manifest['row_counts'])} "
            f"tables, {rows} rows), {manifest['media_files']} uploaded files, manifest.json."
        )
