"""Scoped reads of needs (cards 9, 10, 13): the animator's list, a partner's list, one need."""

from typing import Any, TypeVar

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from ksr_portal.core.scoping import get_for_user_or_404, scope_of
from ksr_portal.core.subqueries import count_of
from networks.models import Network, Tier
from networks.selectors import network_get_for_user
from stakeholders.models import Organisation, User

from ..models import Need, NeedEvent, NeedResponse, ResponseKind
from ..services.needs import NeedStatus

_Needs = TypeVar("_Needs", bound=QuerySet[Need])


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """COUNT(*) of a correlated subquery on ``need``, 0 when it has no rows."""
    return count_of(queryset, "need")


def with_status(queryset: _Needs) -> _Needs:
    """Annotate answer counts and ``status`` (the SQL twin of ``status_from_counts``)."""
    responses = NeedResponse.objects.filter(need=OuterRef("pk"))
    return queryset.annotate(
        addressee_count=_count(Need.addressees.through.objects.filter(need=OuterRef("pk"))),
        offer_count=_count(responses.filter(kind=ResponseKind.OFFER)),
        decline_count=_count(responses.filter(kind=ResponseKind.DECLINE)),
        accepted_count=_count(responses.filter(accepted_at__isnull=False)),
    ).annotate(
        status=Case(
            When(closed_at__isnull=False, then=Value(NeedStatus.CLOSED.value)),
            When(accepted_count__gt=0, then=Value(NeedStatus.MET.value)),
            When(offer_count__gt=0, then=Value(NeedStatus.MATCHED.value)),
            When(
                addressee_count__gt=0,
                decline_count__gte=F("addressee_count"),
                then=Value(NeedStatus.DECLINED.value),
            ),
            default=Value(NeedStatus.OPEN.value),
            output_field=CharField(),
        )
    )


def with_own_answer(queryset: _Needs, organisation_id: int | None) -> _Needs:
    """Annotate ``own_answer``: the kind of the organisation's answer, or None."""
    if not organisation_id:
        return queryset.annotate(own_answer=Value(None, output_field=CharField()))
    return queryset.annotate(
        own_answer=Subquery(
            NeedResponse.objects.filter(
                need=OuterRef("pk"), organisation_id=organisation_id
            ).values("kind")[:1]
        )
    )


def status_counts(queryset: QuerySet[Need]) -> dict[str, int]:
    """How many needs of an annotated queryset are in each status (one query), plus ``all``."""
    counts = queryset.order_by().aggregate(
        all=Count("pk"), **{s: Count("pk", filter=Q(status=s)) for s in NeedStatus.values}
    )
    return {key: value or 0 for key, value in counts.items()}


def clean_status(value: str | None) -> str | None:
    return value if value in NeedStatus.values else None


def needs_for_lsr(*, user: User, network: Network) -> QuerySet[Need]:
    """The needs of an LSR the user may see, with status and counts (constant queries).

    The animator, ROPS and KSR see every need of an LSR in their territory; a partner
    representative only those addressed to its organisation (``Need.objects.for_user``)."""
    queryset = (
        Need.objects.for_user(user)
        .filter(network=network)
        .select_related("posted_by")
        .order_by("-created_at", "-pk")
    )
    return with_own_answer(with_status(queryset), user.organisation_id)


def filter_status(queryset: _Needs, status: str | None) -> _Needs:
    status = clean_status(status)
    return queryset.filter(status=status) if status else queryset


def needs_for_organisation(
    *,
    organisation: Organisation | int,
    network: Network | None = None,
    status: str | None = None,
    awaiting_answer: bool = False,
) -> QuerySet[Need]:
    """Needs addressed to an organisation (for the partner's list and the "my tasks" page).

    Each need carries ``status``, the counts and ``own_answer`` (None: not answered yet).
    ``awaiting_answer`` keeps only needs the organisation has not answered that still take
    answers (not closed, no offer accepted)."""
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    queryset = (
        Need.objects.filter(addressees=organisation_id)
        .select_related("network", "posted_by")
        .order_by("-created_at", "-pk")
    )
    if network is not None:
        queryset = queryset.filter(network=network)
    queryset = filter_status(with_own_answer(with_status(queryset), organisation_id), status)
    if awaiting_answer:
        queryset = queryset.filter(closed_at__isnull=True, own_answer__isnull=True).exclude(
            status=NeedStatus.MET
        )
    return queryset


def _responses_prefetch() -> Prefetch:
    """A need's answers in order, with who answered: the detail pages of both tiers."""
    return Prefetch(
        "responses",
        queryset=NeedResponse.objects.select_related("organisation", "responded_by").order_by(
            "created_at"
        ),
    )


def need_get_for_user(*, user: User, network: Network, pk: int) -> Need:
    """One need with its addressees and answers; 404 outside the user's scope."""
    return get_for_user_or_404(
        with_status(
            Need.objects.select_related("posted_by", "network").prefetch_related(
                "addressees",
                _responses_prefetch(),
                Prefetch(
                    "events",
                    queryset=NeedEvent.objects.select_related("organisation", "user"),
                ),
            )
        ),
        user,
        pk=pk,
        network=network,
    )


def sees_all_needs(user: User, network: Network) -> bool:
    """Territorial readers (animator, ROPS, KSR) see every need and every answer of the LSR."""
    return scope_of(user).covers(network.teryt_code)


def answer_of(need: Need, organisation_id: int | None) -> NeedResponse | None:
    """The organisation's answer among the need's prefetched answers."""
    if not organisation_id:
        return None
    return next((r for r in need.responses.all() if r.organisation_id == organisation_id), None)


# --- escalated needs: the queues of the RSR and the KSR -------------------------------------------


def escalation_network_get_for_user(
    *, user: User, pk: int, capability: str | None = "offer_resources"
) -> Network:
    """The gate of the escalated-needs pages: an RSR or the KSR in the user's reach (an LSR
    answers 404 here), 403 without ``capability``."""
    network = network_get_for_user(user=user, pk=pk, capability=capability)
    if network.tier not in (Tier.RSR, Tier.KSR):
        raise Http404
    return network


def escalated_needs(*, network: Network) -> QuerySet[Need]:
    """The needs escalated to an RSR (from its LSRs) or to the KSR, newest escalation first, with
    status, counts and the number of offers made in this tier (constant queries)."""
    if network.tier == Tier.RSR:
        queryset = Need.objects.filter(network__parent=network, escalated_at__isnull=False)
        order = "-escalated_at"
    else:
        queryset = Need.objects.filter(
            network__parent__parent=network, escalated_to_ksr_at__isnull=False
        )
        order = "-escalated_to_ksr_at"
    queryset = queryset.annotate(
        tier_offer_count=_count(NeedResponse.objects.filter(need=OuterRef("pk"), tier=network.tier))
    )
    return with_status(queryset.select_related("network", "posted_by").order_by(order, "-pk"))


def escalated_need_get(*, network: Network, pk: int) -> Need:
    """One need escalated to this RSR or KSR, with its answers; 404 when it is not in the queue."""
    need = (
        escalated_needs(network=network)
        .select_related("network__parent__parent")
        .prefetch_related(
            "addressees",
            _responses_prefetch(),
        )
        .filter(pk=pk)
        .first()
    )
    if need is None:
        raise Http404
    return need
