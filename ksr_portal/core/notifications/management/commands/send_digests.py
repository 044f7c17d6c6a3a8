from typing import Any

from django.core.management.base import BaseCommand

from ksr_portal.core.notifications.email import send_digests


class Command(BaseCommand):
    help = "Send the daily digest of notifications to everyone who asked for one (run once a day)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        self.stdout.write(f"digests sent: {sent}")
