from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KsrPortalConfig(AppConfig):
    name = "ksr_portal"
    verbose_name = _("KSR Portal")
