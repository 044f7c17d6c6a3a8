"""The shipped theme list (``data/themes.yaml``)."""

from django.db import migrations


def load_themes(apps, schema_editor):
    from ksr_portal.recommendations.themes import themes_ensure

    themes_ensure(apps.get_model("recommendations", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_experience_recommendations")]

    operations = [migrations.RunPython(load_themes, migrations.RunPython.noop)]
