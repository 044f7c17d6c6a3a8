from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "ksr_portal.printing"
    label = "printing"
