"""Write the printed documents of one LSR into a directory.

    python manage.py print_documents --lsr Żmudź --out DIR
    python manage.py print_documents --lsr 0603142 --out DIR

Writes the LSR's agreement, each task partnership's agreement, the letters (letter of intent,
invitation to the working group), every procedure card and, when the evaluation module and its
template are there, the latest evaluation report.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ksr_portal.core.pdf import document_filename, render_pdf
from ksr_portal.evaluations.report import report_context
from ksr_portal.evaluations.selectors import latest_evaluation
from ksr_portal.printing import agreements

EVALUATION_TEMPLATE = "evaluations/report_pdf.html"


class Command(BaseCommand):
    help = (
        "Write an LSR's agreements, letters, procedure cards and latest evaluation report as PDFs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--lsr", required=True, help="The gmina of the LSR: its name or its TERYT code."
        )
        parser.add_argument("--out", required=True, help="The directory to write the PDFs to.")

    def handle(self, *args, lsr: str, out: str, **options):
        network = self._find(lsr)
        directory = Path(out)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create the directory {directory}: {exc}") from exc
        self.directory = directory
        self.written: list[Path] = []

        self._write(
            "porozumienie.pdf",
            "printing/agreement_pdf.html",
            {"network": network, "agreement": agreements.lsr_agreement(network)},
        )
        for partnership in network.partnerships.select_related("leader").order_by("pk"):
            self._write(
                f"partnerstwo-{partnership.pk}-porozumienie.pdf",
                "printing/agreement_pdf.html",
                {
                    "network": network,
                    "agreement": agreements.partnership_agreement(network, partnership),
                },
            )
        for kind in agreements.LETTER_KINDS.values():
            self._write(
                f"pisma-{kind.slug}.pdf",
                "printing/letters_pdf.html",
                {"network": network, "letters": agreements.letter_set(network, kind)},
            )
        self._write_cards(network)
        self._write_evaluation(network)
        self.stdout.write(
            self.style.SUCCESS(
                f"{network.name} ({network.teryt_code}): {len(self.written)} files in {directory}"
            )
        )

    def _find(self, query: str):
        try:
            return agreements.lsr_find(query)
        except agreements.LsrAmbiguous as exc:
            listing = "\n".join(
                f"  {n.teryt_code}  {n.gmina.name} ({n.gmina.county.name}, "  # type: ignore[union-attr]  # an LSR has a gmina
                f"{n.gmina.county.voivodeship.name}) – {n.name}"  # type: ignore[union-attr]
                for n in exc.matches
            )
            raise CommandError(
                f"“{query}” matches {len(exc.matches)} LSRs; give the TERYT code of the gmina:\n"
                f"{listing}"
            ) from exc
        except agreements.LsrNotFound as exc:
            raise CommandError(
                f"No LSR found for “{query}”: give the name or the 7-digit TERYT code of a gmina "
                "that has an LSR."
            ) from exc

    def _write(self, filename: str, template: str, context: dict) -> None:
        path = self.directory / filename
        path.write_bytes(render_pdf(template, context))
        self.written.append(path)
        self.stdout.write(f"  {path}")

    def _write_cards(self, network) -> None:
        from procedures.models import Activity, Card

        cards = (
            Card.objects.filter(network=network)
            .select_related("organisation", "responsible", "template", "network")
            .prefetch_related("cooperating", "informed")
            .order_by("number", "organisation__name", "pk")
        )
        for card in cards:
            organisation = card.organisation.label if card.organisation else ""
            activities = list(Activity.objects.filter(card=card).order_by("position"))
            self._write(
                document_filename("karta", f"{card.number:02d}", card.pk, organisation),
                "procedures/card_pdf.html",
                {"network": network, "card": card, "activities": activities},
            )

    def _write_evaluation(self, network) -> None:
        evaluation = latest_evaluation(network)
        if evaluation is None:
            self.stdout.write("  Evaluation report skipped: the LSR has no evaluation yet.")
            return
        self._write("raport-ewaluacyjny.pdf", EVALUATION_TEMPLATE, report_context(evaluation))
