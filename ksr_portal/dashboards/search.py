"""Search across LSRs and organisations by name, ignoring Polish diacritics and case (issue 14 §5).

One folding rule, ``ksr_fold``: unaccent, then ``ł``/``Ł`` → ``l``/``L`` (not every version of the
unaccent rules decomposes them), then lower case. On PostgreSQL it is an IMMUTABLE SQL function
over the ``unaccent`` extension (migration ``0003_search_unaccent_trigram``), with GIN trigram
indexes on the folded names, so ``LIKE '%zmudz%'`` is an index scan; on SQLite (``make run``) the
same rule is a Python function registered on every connection (``register_sqlite_fold``). The
query text is folded in Python with the same rule.
"""

import unicodedata
from typing import Any

from django.db.models import F, Func, Prefetch, QuerySet, TextField

from networks.models import Membership, Network
from stakeholders.models import Organisation

MIN_QUERY = 2
MAX_QUERY = 100


def fold(text: str) -> str:
    """``Żmudź`` → ``zmudz``, ``ŁÓDŹ`` → ``lodz``: what ``ksr_fold`` does in the database."""
    text = str(text).replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class Folded(Func):
    function = "ksr_fold"
    output_field = TextField()


def register_sqlite_fold(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` listener: the folding function for SQLite (``make run``)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("ksr_fold", 1, fold, deterministic=True)


def clean_query(text: str | None) -> str:
    """The search text folded, with runs of whitespace made one space (at most ``MAX_QUERY``)."""
    return fold(" ".join((text or "").split()))[:MAX_QUERY]


def lsr_search(*, user: Any, query: str) -> QuerySet[Network]:
    """LSRs in the user's scope whose name contains the folded ``query``, by name then id."""
    return (
        Network.objects.for_user(user)
        .lsrs()
        .annotate(folded_name=Folded(F("name")))
        .filter(folded_name__contains=query)
        .select_related("gmina__county__voivodeship")
        .order_by("name", "pk")
    )


def organisation_search(*, user: Any, query: str) -> QuerySet[Organisation]:
    """Organisations in the user's scope whose name contains the folded
    ``query``, each with the memberships (networks) through which the user may open it."""
    visible = Membership.objects.filter(
        network__in=Network.objects.for_user(user).values("pk")
    ).select_related("network")
    return (
        Organisation.objects.for_user(user)
        .annotate(folded_name=Folded(F("name")))
        .filter(folded_name__contains=query)
        .select_related("gmina")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=visible.order_by("network__name", "pk"),
                to_attr="visible_memberships",
            )
        )
        .order_by("name", "pk")
    )
