"""Who is told about what happens to an organisation or in a territory (for notifications).

Only active accounts; partner representatives through their organisation, animators through
their gminas, ROPS coordinators through their voivodeship."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import User
from .roles import Role


def representatives(organisation_ids: Iterable[int]) -> QuerySet[User]:
    """Partner representatives of the organisations (KIS staff among them)."""
    return User.objects.filter(
        is_active=True, role=Role.PARTNER, organisation_id__in=list(organisation_ids)
    )


def territory_leads(teryt_code: str) -> QuerySet[User]:
    """Those who run a network of this territory: the animators of a gmina (7 digits), the ROPS
    coordinators of a voivodeship (2 digits); nobody for the country (KSR coordinators are told
    through their own queue)."""
    if len(teryt_code) == 7:
        return User.objects.filter(is_active=True, role=Role.ANIMATOR, gminas__code=teryt_code)
    if len(teryt_code) == 2:
        return User.objects.filter(is_active=True, role=Role.ROPS, voivodeship__code=teryt_code)
    return User.objects.none()
