from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ksr_portal.seed.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo users and data (idempotent). Refused in production mode."

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("Demo data is never loaded in production mode.")
        summary = load_demo()
        for line in summary:
            self.stdout.write(line)
        self.stdout.write(f"Demo users: {', '.join(summary.users)}; password: {DEMO_PASSWORD}")
