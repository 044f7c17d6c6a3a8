"""The main menu: which entries each capability opens. Composed once, shown by base.html."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .scoping import has_capability


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: str | Promise
    capability: str


MENU: list[MenuItem] = [
    MenuItem("home", _("Start"), "view_networks"),
    MenuItem("networks:list", _("Networks"), "view_networks"),
    MenuItem("stakeholders:gmina_list", _("Gminas"), "view_territory"),
    MenuItem("dashboards:country", _("National dashboard"), "view_national_dashboard"),
    MenuItem("ksr_portal:country", _("Country"), "view_national_dashboard"),
    MenuItem("ksr_portal:my_tasks", _("My tasks"), "work_own_tasks"),
    MenuItem("recommendations:recommendation_list", _("Recommendations"), "view_networks"),
    MenuItem("accounts:invitation_list", _("Invitations"), "invite_users"),
    MenuItem("ksr_portal:administration", _("Administration"), "manage_users"),
    MenuItem("printing_batch:overview", _("Documents"), "view_networks"),
]


def menu_for(
    user: Any,
    *,
    landing: str | None = None,
    allowed: Callable[[str], bool] | None = None,
) -> list[MenuItem]:
    """The entries the user may open. ``allowed`` decides per capability (by default the user's
    ``has_capability``); ``landing`` names the page "Start" leads to: when that page is an entry
    of its own, "Start" is left out rather than offered twice."""
    may = allowed or (lambda capability: has_capability(user, capability))
    items = [item for item in MENU if may(item.capability)]
    if landing is not None and any(item.url_name == landing for item in items):
        items = [item for item in items if item.url_name != "home"]
    return items
