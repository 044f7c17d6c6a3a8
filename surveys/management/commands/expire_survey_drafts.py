"""Delete the drafts of closed survey campaigns and the rate-limit counters whose window ended
(for a daily cron job; draft saves also expire closed campaigns' drafts as they go)."""

from django.core.management.base import BaseCommand

from surveys import ratelimit
from surveys.services import responses as services


class Command(BaseCommand):
    help = "Delete drafts of closed survey campaigns and expired rate-limit counters."

    def handle(self, *args, **options):
        drafts = services.drafts_expire()
        counters = ratelimit.purge()
        self.stdout.write(f"{drafts} drafts and {counters} rate-limit counters deleted.")
