"""The one access-scoping mechanism of the portal.

Every territorial object carries, or reaches with a join, the TERYT code of its gmina or
voivodeship. A user's scope is a set of TERYT prefixes (``None`` means the whole country) plus,
for partner representatives, the organisations they speak for. "What may this user see" is then
one filter everywhere: ``<teryt field>__startswith=<prefix>`` OR ``<organisation field> in <ids>``.

This module imports no app model: the user model answers ``get_scope()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, Self

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone


@dataclass(frozen=True)
class Scope:
    """What a user may see: TERYT prefixes (None = the whole country) and organisations."""

    prefixes: tuple[str, ...] | None = ()
    organisation_ids: tuple[int, ...] = ()

    @property
    def is_national(self) -> bool:
        return self.prefixes is None

    def q(self, teryt_field: str | None) -> Q:
        """A filter on TERYT prefixes; the organisation part is added by ``for_user``."""
        if self.prefixes is None:
            return Q()
        parts = (
            [Q(**{f"{teryt_field}__startswith": p}) for p in self.prefixes] if teryt_field else []
        )
        return reduce(or_, parts) if parts else Q(pk__in=[])

    def covers(self, code: str | None) -> bool:
        """Does this TERYT code lie in the territorial part of the scope? (Organisations do not
        count: a partner representative covers no territory.)"""
        if self.prefixes is None:
            return True
        return code is not None and any(code.startswith(p) for p in self.prefixes)

    def reaches(self, code: str | None, organisation_id: int | None) -> bool:
        """May a capability be used on something of this territory and organisation? Inside the
        territory, on anything; a partner representative only on its own organisation's."""
        return self.covers(code) or (
            organisation_id is not None and organisation_id in self.organisation_ids
        )


NO_SCOPE = Scope()
NATIONAL = Scope(prefixes=None)


def scope_of(user: Any) -> Scope:
    """The scope of a user, computed once per request and cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_ksr_scope", None)
    if cached is None:
        cached = user.get_scope()
        user._ksr_scope = cached
    return cached


def has_capability(user: Any, capability: str) -> bool:
    return bool(user and user.is_authenticated and user.has_capability(capability))


class ScopedQuerySet(models.QuerySet):
    """Base QuerySet of every scoped model: subclasses name their TERYT/organisation paths.

    ``membership_path`` names the membership through which ``organisation_field`` is reached
    (e.g. ``network__memberships``): then only a membership active today opens the object, so an
    organisation that has left a network no longer sees it. When ``organisation_field`` lies
    outside that path (a card's ``organisation``, a need's ``addressees``), the active membership
    must be the one of that very organisation."""

    teryt_field: str | None = None
    organisation_field: str | None = None
    membership_path: str | None = None
    # Openness: the foreign key to the network an object belongs to. Objects of a network that is
    # opened to the user read-only (``opened_to(user)`` of that network's manager: the RSR and
    # the KSR above the user's networks) are visible too; what the user may *do* there is
    # decided by the capability rule, not here.
    open_network_path: str | None = None

    def for_user(self, user: Any) -> Self:
        if scope_of(user).is_national:
            return self.all()
        condition = self.reach_condition(user)
        if self.open_network_path:
            network_model = self.model._meta.get_field(self.open_network_path).related_model
            opened = network_model._default_manager.opened_to(user)
            condition |= Q(**{f"{self.open_network_path}__in": opened.values("pk")})
        return self.filter(condition)

    def for_user_within(self, user: Any, code: str) -> Self:
        """``for_user(user)`` narrowed to the territory of a TERYT code (a voivodeship, county
        or gmina). When the user's territory covers that code, nothing inside it is out of
        reach, so the territory condition alone gives the same rows (and PostgreSQL serves it
        from the TERYT index, without the scope's subqueries)."""
        if self.teryt_field is None:
            raise TypeError(f"{type(self).__name__} has no territory")
        within = self.filter(**{f"{self.teryt_field}__startswith": code})
        if scope_of(user).covers(code):
            return within
        return self.for_user(user).filter(**{f"{self.teryt_field}__startswith": code})

    def reach_condition(self, user: Any) -> Q:
        """The filter of the user's own reach (territory or organisation), without openness: a
        plain condition on this table, so that PostgreSQL can use the TERYT index directly."""
        scope = scope_of(user)
        if scope.is_national:
            return Q()
        condition = scope.q(self.teryt_field)
        if self.organisation_field and scope.organisation_ids:
            reach = Q(**{f"{self.organisation_field}__in": scope.organisation_ids})
            if self.membership_path:
                today = timezone.localdate()
                path = self.membership_path
                reach &= Q(**{f"{path}__joined_on__lte": today}) & (
                    Q(**{f"{path}__left_on__isnull": True}) | Q(**{f"{path}__left_on__gt": today})
                )
                if not self.organisation_field.startswith(f"{path}__"):
                    reach &= Q(**{f"{path}__organisation": F(self.organisation_field)})
            # one filter() call, so every condition binds the same membership row; a subquery,
            # so paths over to-many relations never duplicate rows
            reachable = self.model._default_manager.filter(reach).values("pk")
            condition |= Q(pk__in=reachable)
        return condition


def get_for_user_or_404(queryset: ScopedQuerySet, user: Any, **lookup: Any) -> Any:
    """The object if it lies in the user's scope; 404 (never 403) for everyone else."""
    return get_object_or_404(queryset.for_user(user), **lookup)


def require_capability(user: Any, capability: str) -> None:
    """403 for a user who is in scope but whose role may not do this."""
    if not has_capability(user, capability):
        raise PermissionDenied
