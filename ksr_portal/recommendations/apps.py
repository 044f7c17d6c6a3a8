from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "ksr_portal.recommendations"
    label = "recommendations"
    verbose_name = _("KSR recommendations")

    def ready(self) -> None:
        from ksr_portal.printing.documents import register_general_printables

        from .selectors import recommendation_printables

        register_general_printables(recommendation_printables)
