from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Procedure cards")

    def ready(self) -> None:
        from networks.events import NETWORK_CHANGED, subscribe

        from .services.cards import cards_sync

        subscribe(NETWORK_CHANGED, cards_sync)
