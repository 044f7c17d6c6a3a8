"""Scoped reads of evaluations: the report for a user (published ones for member partners),
an LSR's evaluations, what an evaluation may combine, a partner's open deficiencies."""

from __future__ import annotations

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ksr_portal.core.scoping import (
    get_for_user_or_404,
    has_capability,
    scope_of,
)
from networks.models import Network
from networks.selectors import (
    in_reach,
    lsr_get_for_user,
    member_organisations,
)
from stakeholders.models import Organisation, User
from surveys.models import (
    Campaign,
    Interview,
)

from .models import Deficiency, Evaluation


def report_for_user(
    *, user: User, pk: int, evaluation_pk: int | None = None
) -> tuple[Network, Evaluation | None, bool]:
    """(network, evaluation or None, public) of a report the user may read, else 404.

    The research team and the coordinators of the territory read every evaluation of the LSR
    (``public`` False). Representatives of the LSR's member organisations read published ones
    only (``public`` True: aggregates under the small-group rule, no interviews); the latest
    means the latest published. Everyone else gets 404.
    """
    network = lsr_get_for_user(user=user, pk=pk)  # a partner reaches it through its membership
    if scope_of(user).covers(network.teryt_code):
        if evaluation_pk is None:
            return network, latest_evaluation(network), False
        return network, evaluation_get(user=user, network=network, pk=evaluation_pk), False
    if not in_reach(user, network, getattr(user, "organisation_id", None)):
        raise Http404
    published = Evaluation.objects.filter(network=network, published_at__isnull=False)
    if evaluation_pk is None:
        return network, published.order_by("-period_end", "-pk").first(), True
    evaluation = published.select_related("network").filter(pk=evaluation_pk).first()
    if evaluation is None:
        raise Http404
    return network, evaluation, True


def evaluations_of(network: Network) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(network=network)
        .annotate(
            campaign_count=Count("campaigns", distinct=True),
            finding_count=Count("findings", distinct=True),
            open_deficiency_count=Count(
                "deficiencies", filter=Q(deficiencies__removed_on__isnull=True), distinct=True
            ),
        )
        .order_by("-period_end", "-pk")
    )


def evaluation_get(*, user: User, network: Network, pk: int) -> Evaluation:
    return get_for_user_or_404(
        Evaluation.objects.select_related("network"), user, pk=pk, network=network
    )


def latest_evaluation(network: Network) -> Evaluation | None:
    return Evaluation.objects.filter(network=network).order_by("-period_end", "-pk").first()


def campaigns_for_evaluation(network: Network) -> QuerySet[Campaign]:
    """The launched survey campaigns of the network, with their number of responses."""
    return (
        Campaign.objects.filter(network=network, launched_at__isnull=False)
        .annotate(response_count=Count("responses"))
        .order_by("audience", "-opens_at", "pk")
    )


def interviews_for_evaluation(network: Network) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(network=network)
        .select_related("organisation")
        .annotate(participant_count=Count("participants"))
        .order_by("-held_on", "-pk")
    )


def obligable_organisations(network: Network) -> QuerySet[Organisation]:
    """Organisations a deficiency may oblige: the network's active members."""
    return member_organisations(network)


def open_deficiencies_for(user: User) -> QuerySet[Deficiency]:
    """Deficiencies still to remove, for the "my tasks" page: a partner representative's are
    those obliging its organisation; an animator's (or administrator's) those of the LSRs in
    their scope. Everyone else has none. Overdue ones carry ``overdue=True``."""
    qs = (
        Deficiency.objects.open()
        .select_related("evaluation__network", "obliged")
        .annotate(
            overdue=ExpressionWrapper(
                Q(deadline__lt=timezone.localdate()), output_field=BooleanField()
            )
        )
        .order_by("deadline", "pk")
    )
    if has_capability(user, "run_evaluations"):
        return qs.for_user(user)
    if has_capability(user, "work_own_tasks") and getattr(user, "organisation_id", None):
        # only in LSRs the organisation is still an active member of (as on the network pages)
        return qs.for_user(user).filter(obliged_id=user.organisation_id)
    return qs.none()
