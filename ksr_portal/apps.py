from axes.apps import AppConfig as AxesAppConfig  # type: ignore[import-untyped]
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class KsrPortalConfig(AppConfig):
    name = "ksr_portal"
    verbose_name = _("KSR Portal")


# Third-party apps whose admin section would otherwise carry an English name.
class AxesConfig(AxesAppConfig):
    verbose_name = _("Login attempts")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]  # lazy: translated when shown
