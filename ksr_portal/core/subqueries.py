"""Correlated subqueries shared by the apps' querysets and selectors (imports no app)."""

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(queryset: QuerySet, group: str, field: str = "pk", distinct: bool = False) -> Coalesce:
    """The number of rows of ``queryset`` (filtered on an ``OuterRef``) per ``group``, as a
    correlated COUNT subquery: 0 when there are none, and no join that would multiply the rows of
    the outer query or of its other annotations."""
    counted = (
        queryset.order_by().values(group).annotate(c=Count(field, distinct=distinct)).values("c")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
