"""Scoped reads of the stakeholders app: the first line of every view."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from ksr_portal.core.scoping import get_for_user_or_404, require_capability

from .filters import GminaFilter
from .models import County, Gmina, GminaKind, Voivodeship


def gmina_filter_for_user(*, user: Any, data: dict[str, Any] | None = None) -> GminaFilter:
    """The user's gminas, filtered by ``data``; ``.qs`` is the result, ``.form`` the form."""
    require_capability(user, "view_territory")
    qs = Gmina.objects.for_user(user).select_related("county__voivodeship")
    return GminaFilter(data or None, queryset=qs, user=user)


def gmina_get_for_user(*, user: Any, code: str) -> Gmina:
    require_capability(user, "view_territory")
    return get_for_user_or_404(Gmina.objects.select_related("county__voivodeship"), user, code=code)


def voivodeship_list_for_user(*, user: Any) -> QuerySet[Voivodeship]:
    require_capability(user, "view_territory")
    return Voivodeship.objects.for_user(user).annotate(
        county_count=Count("counties", distinct=True),
        gmina_count=Count("counties__gminas", distinct=True),
    )


def voivodeship_get_for_user(*, user: Any, code: str) -> Voivodeship:
    require_capability(user, "view_territory")
    return get_for_user_or_404(Voivodeship.objects.all(), user, code=code)


def counties_with_gmina_counts(*, voivodeship: Voivodeship) -> QuerySet[County]:
    kinds = {
        f"{kind.name.lower()}_count": Count("gminas", filter=Q(gminas__kind=kind))
        for kind in GminaKind
    }
    return voivodeship.counties.annotate(gmina_count=Count("gminas"), **kinds)
