from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The ROPS and KSR dashboards and the per-LSR summary rows they read.

    The summary is maintained by the services of networks, procedures and surveys: they publish
    FIGURES_CHANGED (networks.events, the layer all three may import) at the end of their writes,
    and the listener below recomputes those LSRs' rows inside the same transaction. The summary
    lives here, above the three apps, because procedures and surveys must not import each other
    and networks must not import either of them.
    """

    name = "ksr_portal.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from networks.events import FIGURES_CHANGED, subscribe

        from . import freshness
        from .search import register_sqlite_fold

        # the services' writes, in their transaction; the others (admin, shell, cascades) at
        # commit
        subscribe(FIGURES_CHANGED, freshness.on_figures_changed)
        freshness.connect()
        connection_created.connect(register_sqlite_fold, dispatch_uid="ksr_fold")
