"""Backup and restore round-trip the demo data on PostgreSQL: same row counts, the same files,
the Żmudź agreement identical in text."""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from ksr_portal.backup.archive import PgTarget, backup_restore, django_row_counts, pg_row_counts
from tests.pdf_utils import pages_text

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="restore needs PostgreSQL",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
RENDER = (
    "from ksr_portal.core.pdf import render_pdf; from ksr_portal.printing import agreements; "
    "from networks.models import Network; import sys; "
    "n = Network.objects.get(tier='lsr', gmina__name='Żmudź'); "
    "sys.stdout.buffer.write(render_pdf('printing/agreement_pdf.html', "
    "{'network': n, 'agreement': agreements.lsr_agreement(n)}))"
)


def _url(target: PgTarget) -> str:
    auth = target.user + (f":{target.password}" if target.password else "")
    return f"postgres://{auth}@{target.host}:{target.port}/{target.name}"


def _agreement_text(target: PgTarget, media_root: Path) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": _url(target),
        "DJANGO_SETTINGS_MODULE": "ksr_portal.settings.test",
        "MEDIA_ROOT": str(media_root),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", RENDER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
        check=True,
    )
    # the footer carries the minute of generation; everything else must be the same
    return re.sub(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", "<time>", " ".join(pages_text(result.stdout)))


@pytest.fixture
def restore_target():
    source = PgTarget.from_settings()
    name = f"ksr_restore_{uuid.uuid4().hex[:8]}"
    admin = source.connect()
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield PgTarget(name, source.user, source.password, source.host, source.port)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_backup_and_restore_round_trip_the_demo(tmp_path, settings, restore_target):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "evidence" / "1").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "1" / "lista-obecności.pdf").write_bytes(b"%PDF-1.4 x")
    call_command("load_teryt", verbosity=0)
    call_command("load_card_templates", verbosity=0)
    call_command("load_demo", verbosity=0)
    connection.close()  # the data is committed; pg_dump sees it

    out = tmp_path / "backup"
    call_command("backup", out=out)
    assert {p.name for p in out.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", out=out)

    restored_media = tmp_path / "restored-media"
    manifest = backup_restore(source=out, target=restore_target, media_root=restored_media)
    counts = pg_row_counts(restore_target)
    assert counts == django_row_counts() == manifest["row_counts"]
    assert counts["networks_network"] > 0 and counts["stakeholders_organisation"] > 0
    restored = restored_media / "evidence" / "1" / "lista-obecności.pdf"
    assert restored.read_bytes() == b"%PDF-1.4 x"

    original = _agreement_text(PgTarget.from_settings(), tmp_path / "media")
    assert "Żmudź" in original
    assert _agreement_text(restore_target, restored_media) == original

    # a second restore into the now non-empty database is refused unless forced
    with pytest.raises(Exception, match="not empty"):
        backup_restore(source=out, target=restore_target, media_root=restored_media)
    backup_restore(source=out, target=restore_target, media_root=restored_media, force=True)
    assert pg_row_counts(restore_target) == manifest["row_counts"]


def test_a_damaged_backup_is_refused(tmp_path, settings, restore_target):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", out=tmp_path / "b")
    with (tmp_path / "b" / "database.dump").open("ab") as handle:
        handle.write(b"x")
    with pytest.raises(Exception, match="damaged"):
        backup_restore(source=tmp_path / "b", target=restore_target, media_root=tmp_path / "m")
