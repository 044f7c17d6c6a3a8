from django.core.management.base import BaseCommand

from stakeholders.models import County, Gmina, Voivodeship
from stakeholders.services import teryt_load


class Command(BaseCommand):
    help = "Load the TERYT register (voivodeships, counties, gminas) shipped with the portal."

    def handle(self, *args, **options):
        result = teryt_load()
        self.stdout.write(
            "TERYT: created {c}, updated {u}; now {v} voivodeships, {p} counties, {g} gminas.".format(
                c=result.created,
                u=result.updated,
                v=Voivodeship.objects.count(),
                p=County.objects.count(),
                g=Gmina.objects.count(),
            )
        )
