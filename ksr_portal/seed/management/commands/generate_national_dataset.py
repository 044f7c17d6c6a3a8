from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ksr_portal.seed.national_dataset import DatasetExists, generate


class Command(BaseCommand):
    help = (
        "Build a synthetic national data set for load tests: an LSR in every gmina of the TERYT "
        "register with members, procedure cards, meetings, a task partnership and survey "
        "responses, written in bulk. Refuses when LSRs exist, unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--gminas", type=int, default=None, help="Only the first N gminas (by TERYT code)."
        )
        parser.add_argument("--members", type=int, default=30, help="Members per LSR (about).")
        parser.add_argument("--responses", type=int, default=100, help="Survey responses per LSR.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (same seed: same data)."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete every existing LSR (and the organisations generated before) first.",
        )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False) and not settings.DEBUG:
            self.stderr.write(
                "Warning: production settings; the data set is synthetic (for load tests only)."
            )
        if options["gminas"] is not None and options["gminas"] < 1:
            raise CommandError("--gminas must be at least 1.")
        self.stdout.write(
            "Generating the national data set "
            f"(gminas: {options['gminas'] or 'all'}, members: {options['members']}, "
            f"responses: {options['responses']}, seed: {options['seed']})"
        )
        try:
            report = generate(
                gminas=options["gminas"],
                members=options["members"],
                responses=options["responses"],
                seed=options["seed"],
                replace=options["replace"],
                log=self.stdout.write,
            )
        except DatasetExists as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{name}: {count:,}" for name, count in report.counts.items())
        self.stdout.write(f"Rows: {counts}")
        self.stdout.write(
            self.style.SUCCESS(f"National data set generated in {report.total_seconds:.1f} s")
        )
