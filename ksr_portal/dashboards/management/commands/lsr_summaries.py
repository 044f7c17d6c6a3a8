"""Recompute the dashboards' per-LSR summary rows from the live tables and report differences."""

from django.core.management.base import BaseCommand, CommandError

from ksr_portal.dashboards.summaries import (
    regions_differences,
    summaries_differences,
    summaries_refresh,
)

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Compare every LSR's summary row with the figures computed from the live tables, print "
        "each difference, then store the recomputed rows. --check stores nothing and fails when "
        "there is a difference. The voivodeship roll-ups are compared with the LSR rows too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only compare; exit 1 on any difference."
        )

    def handle(self, *args, check: bool = False, **options):
        differences = summaries_differences()
        for network_id, figure, stored, live in differences[:SHOWN]:
            self.stdout.write(f"LSR {network_id}: {figure}: stored {stored!r}, live {live!r}")
        if len(differences) > SHOWN:
            self.stdout.write(f"… and {len(differences) - SHOWN} more")
        lsrs = len({d[0] for d in differences})
        self.stdout.write(f"differences: {len(differences)} in {lsrs} LSR(s)")
        # the voivodeship roll-ups against the stored LSR rows
        regional = regions_differences()
        for code, figure, stored, live in regional[:SHOWN]:
            self.stdout.write(f"voivodeship {code}: {figure}: stored {stored!r}, live {live!r}")
        if regional:
            self.stdout.write(f"voivodeship roll-up differences: {len(regional)}")
        if check:
            if differences or regional:
                raise CommandError("the summary rows differ from the live tables")
            return
        count = summaries_refresh()
        self.stdout.write(f"recomputed: {count} LSR summary row(s)")
