"""Scoped reads of the stakeholders app: the first line of every view."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ksr_portal.core.scoping import get_for_user_or_404, require_capability
from ksr_portal.core.subqueries import count_of

from .filters import GminaFilter
from .models import County, Gmina, GminaKind, Organisation, User, Voivodeship
from .services import organisation_duplicates


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
    # counted by correlated subqueries: COUNT(DISTINCT) over the county x gmina join sorted
    # every gmina of the country on each national dashboard (3 ms of 26, issue 16)
    return Voivodeship.objects.for_user(user).annotate(
        county_count=count_of(County.objects.filter(voivodeship=OuterRef("pk")), "voivodeship"),
        # per county through its index, summed: the planner otherwise scans every gmina of
        # the country once per voivodeship
        gmina_count=Coalesce(
            Subquery(
                County.objects.filter(voivodeship=OuterRef("pk"))
                .order_by()
                .values("voivodeship")
                .annotate(c=Sum(count_of(Gmina.objects.filter(county=OuterRef("pk")), "county")))
                .values("c"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
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


@dataclass
class Duplicates:
    """Possible duplicates of a new organisation as a user may see them: those in the user's
    scope by name, the others only counted (an anonymous "already registered")."""

    visible: list[Organisation] = field(default_factory=list)
    hidden: int = 0

    def __bool__(self) -> bool:
        return bool(self.visible or self.hidden)


def organisation_duplicates_for_user(
    *,
    user: User | None,
    name: str,
    gmina_id: int | None,
    nip: str = "",
    regon: str = "",
    krs: str = "",
    exclude_pk: int | None = None,
) -> Duplicates:
    """Never an oracle: an organisation outside the user's scope is not named. ``exclude_pk``:
    the organisation being edited, which is no duplicate of itself."""
    matches = list(
        organisation_duplicates(
            name=name, gmina_id=gmina_id, nip=nip, regon=regon, krs=krs, exclude_pk=exclude_pk
        ).order_by("name", "pk")[:20]
    )
    if not matches:
        return Duplicates()
    in_scope = (
        set(
            Organisation.objects.for_user(user)
            .filter(pk__in=[o.pk for o in matches])
            .values_list("pk", flat=True)
        )
        if user is not None
        else set()
    )
    visible = [o for o in matches if o.pk in in_scope]
    return Duplicates(visible=visible[:5], hidden=len(matches) - len(visible))
