"""The default accessibility statement and RODO clause (Polish legal texts: data, edited later by
the administrator in data administration)."""

from django.db import migrations

from ksr_portal.legal.defaults import NOTICE, STATEMENT


def seed(apps, schema_editor):
    statement = apps.get_model("legal", "AccessibilityStatement")
    notice = apps.get_model("legal", "PrivacyNotice")
    if not statement.objects.exists():
        statement.objects.create(**STATEMENT)
    if not notice.objects.exists():
        notice.objects.create(**NOTICE)


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_legal_pages")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
