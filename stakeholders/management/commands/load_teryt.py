from typing import Any

from django.core.management.base import BaseCommand

from stakeholders.models import County, Gmina, Voivodeship
from stakeholders.services import teryt_load


class Command(BaseCommand):
    help = "Load the TERYT register (voivodeships, counties, gminas) shipped with the portal."

    def handle(self, *args: Any, **options: Any) -> None:
        result = teryt_load()
        self.stdout.write(
            f"TERYT: created {result.created}, updated {result.updated}; now {Voivodeship.objects.count()} voivodeships, {County.objects.count()} counties, {Gmina.objects.count()} gminas."
        )
