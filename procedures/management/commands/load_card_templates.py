from django.core.management.base import BaseCommand

from procedures.services.cards import card_templates_load


class Command(BaseCommand):
    help = "Load the 13 procedure card templates (new versions only where the content changed)."

    def handle(self, *args, **options):
        created = card_templates_load()
        self.stdout.write(f"Procedure card templates: {created} new version(s).")
