from django.apps import AppConfig


class SeedConfig(AppConfig):
    name = "ksr_portal.seed"
    label = "seed"
