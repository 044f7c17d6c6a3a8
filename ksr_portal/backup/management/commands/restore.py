from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ksr_portal.backup.archive import BackupError, PgTarget, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by “manage.py backup” into an empty PostgreSQL database "
        "(DATABASE_URL) and its uploaded files into MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, type=Path)
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--force", action="store_true", help="replace the contents of a non-empty database"
        )

    def handle(self, *args, source: Path, database: str, force: bool, **options):
        try:
            target = PgTarget.from_settings(database)
            manifest = backup_restore(
                source=source, target=target, media_root=Path(settings.MEDIA_ROOT), force=force
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {source} into {target.name}: {len(manifest['row_counts'])} tables with "
            f"the row counts of the manifest, {manifest['media_files']} uploaded files."
        )
