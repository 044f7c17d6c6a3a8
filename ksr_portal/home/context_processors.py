"""The main menu of each role (replaces ``ksr_portal.core.context_processors.navigation`` in the
settings): the role table decides, also for the superuser (an administrator is not offered "my
tasks", which only animators and partners have), and "Start" is not offered next to the entry
it leads to."""

from typing import Any

from django.http import HttpRequest

from ksr_portal.core.navigation import menu_for
from stakeholders.roles import CAPABILITIES, Role

from .views import HOME_BY_ROLE


def navigation(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    role = Role.ADMIN if user.is_superuser else user.role

    def allowed(capability: str) -> bool:
        return bool(user.is_active) and role in CAPABILITIES.get(capability, ())

    return {"menu": menu_for(user, landing=HOME_BY_ROLE.get(role), allowed=allowed)}
