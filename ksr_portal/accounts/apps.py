from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ksr_portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and invitations")
    default_auto_field = "django.db.models.BigAutoField"
