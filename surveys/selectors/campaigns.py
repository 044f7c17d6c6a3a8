"""Scoped reads of the surveys app (questionnaires, campaigns, invitations).

Every function expects a network already checked with ``networks.selectors.network_get_for_user``.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from ksr_portal.core.scoping import get_for_user_or_404
from ksr_portal.core.subqueries import count_of
from networks.models import Network
from stakeholders.models import User

from ..models import Campaign, Invitation, Question, Questionnaire, Response


def _count_of(model: type[Model], fk: str, **extra: Any) -> Coalesce:
    """A correlated COUNT(*) subquery: counts without multiplying rows of other annotations."""
    return count_of(model._default_manager.filter(**{fk: OuterRef("pk")}, **extra), fk)


# --- questionnaires --------------------------------------------------------------------------


def questionnaires_for_network(network: Network) -> QuerySet[Questionnaire]:
    """The portal's default templates and the network's own copies."""
    return Questionnaire.objects.filter(Q(network__isnull=True) | Q(network=network))


def questionnaire_list_for_network(*, network: Network) -> QuerySet[Questionnaire]:
    return (
        questionnaires_for_network(network)
        .select_related("based_on")
        .annotate(
            question_count=_count_of(Question, "questionnaire"),
            campaign_count=_count_of(Campaign, "questionnaire", network=network),
        )
        .order_by("-is_default", "network_id", "title", "pk")
    )


def questionnaire_get(*, network: Network, pk: int, editable: bool = False) -> Questionnaire:
    """A template or a copy of the network (404 otherwise); with ``editable``, templates are
    read-only (403)."""
    questionnaire = get_object_or_404(questionnaires_for_network(network), pk=pk)
    if editable and questionnaire.network_id != network.pk:
        raise PermissionDenied
    return questionnaire


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    return list(questionnaire.questions.order_by("number"))


def get_question(*, questionnaire: Questionnaire, pk: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("questionnaire"), pk=pk, questionnaire=questionnaire
    )


# --- campaigns -------------------------------------------------------------------------------


def campaign_list_for_network(*, user: User, network: Network) -> QuerySet[Campaign]:
    """The network's campaigns in the user's scope, with their response and invitation counts
    (one query, however many campaigns)."""
    return (
        Campaign.objects.for_user(user)
        .filter(network=network)
        .select_related("questionnaire")
        .annotate(
            response_count=_count_of(Response, "campaign"),
            invitation_count=_count_of(Invitation, "campaign"),
        )
        .order_by("-opens_at", "-pk")
    )


def campaign_get_for_user(*, user: User, network: Network, pk: int) -> Campaign:
    """A campaign of the network in the user's scope; 404 for everything else."""
    return get_for_user_or_404(
        Campaign.objects.select_related("questionnaire", "network").annotate(
            response_count=_count_of(Response, "campaign")
        ),
        user,
        pk=pk,
        network=network,
    )


def invitation_stats(campaign: Campaign) -> dict[str, int]:
    """How many invitations there are, were sent, reminded and answered (one query)."""
    return campaign.invitations.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        reminded=Count("pk", filter=Q(reminded_at__isnull=False)),
        answered=Count("pk", filter=Q(responded=True)),
        unsent=Count("pk", filter=Q(sent_at__isnull=True)),
        to_remind=Count("pk", filter=Q(sent_at__isnull=False, responded=False)),
    )


def invitations_of(campaign: Campaign) -> QuerySet[Invitation]:
    return campaign.invitations.order_by("email")
