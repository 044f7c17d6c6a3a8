"""Load the default questionnaires of the three respondent groups (institutions – the ANKIETA,
partnership members, residents) from surveys/data/*.yaml; idempotent."""

from django.core.management.base import BaseCommand

from surveys.services import responses as services


class Command(BaseCommand):
    help = "Load the default questionnaires (institutions, partnership members, residents)."

    def handle(self, *args, **options):
        for audience, questionnaire in services.questionnaire_load_defaults().items():
            self.stdout.write(f"{audience}: {questionnaire.title}")
