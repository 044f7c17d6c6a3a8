"""Writes of evaluations: the evaluation with its sources, findings and deficiencies at once."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.models import Membership, Network
from stakeholders.models import User
from surveys.models import Campaign, Interview

from . import notifications
from .models import Deficiency, Evaluation, Finding


def _check_sources(
    network: Network, campaigns: list[Campaign], interviews: list[Interview]
) -> None:
    foreign = [c for c in campaigns if c.network_id != network.pk] + [
        i for i in interviews if i.network_id != network.pk
    ]
    if foreign:
        raise ValidationError(
            _("Only the survey campaigns and interviews of this LSR can be linked.")
        )
    if any(c.launched_at is None for c in campaigns):
        raise ValidationError(
            {"campaigns": _("A survey that has not been launched has no results.")}
        )


def _check_obliged(network: Network, deficiency: Deficiency) -> None:
    """The obliged partner is an active member; a deficiency kept unchanged for a partner that
    has left since stays as it is (its history)."""
    if deficiency.pk:
        previous = Deficiency.objects.filter(pk=deficiency.pk).values_list("obliged_id", flat=True)
        if previous and previous[0] == deficiency.obliged_id:
            return
    active = (
        Membership.objects.active()
        .filter(network=network, organisation_id=deficiency.obliged_id)
        .exists()
    )
    if not active:
        raise ValidationError(
            {"obliged": _("The obliged partner must be an active member of the LSR.")}
        )


@transaction.atomic
def evaluation_save(
    *,
    network: Network,
    evaluation: Evaluation,
    campaigns: Iterable[Campaign],
    interviews: Iterable[Interview],
    findings: Iterable[Finding] = (),
    deficiencies: Iterable[Deficiency] = (),
    deleted: Iterable[Finding | Deficiency] = (),
) -> Evaluation:
    """Create or update an evaluation of ``network`` with its linked campaigns and interviews,
    its findings and deficiencies (new or changed ones) and delete the ``deleted`` rows."""
    campaigns, interviews = list(campaigns), list(interviews)
    _check_sources(network, campaigns, interviews)
    evaluation.network = network
    evaluation.full_clean()
    evaluation.save()
    evaluation.campaigns.set(campaigns)
    evaluation.interviews.set(interviews)
    for row in deleted:
        if row.pk and row.evaluation_id == evaluation.pk:
            row.delete()
    for finding in findings:
        finding.evaluation = evaluation
        finding.full_clean()
        finding.save()
    for deficiency in deficiencies:
        deficiency.evaluation = evaluation
        deficiency.full_clean()
        _check_obliged(network, deficiency)
        deficiency.save()
        if deficiency.removed_on is None:
            notifications.deficiency_obliged(deficiency)
    return evaluation


@transaction.atomic
def evaluation_publish(*, evaluation: Evaluation, by: User) -> Evaluation:
    """Make a final evaluation's report readable by the LSR's member organisations (openness of
    results), recording when and by whom. Only a completed evaluation with a conclusion can be
    published; publishing twice changes nothing."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.is_published:
        return evaluation
    if evaluation.completed_on is None or not evaluation.conclusion.strip():
        raise ValidationError(
            _(
                "Only a final evaluation can be published: fill in the completion date "
                "and the conclusion first."
            )
        )
    evaluation.published_at = timezone.now()
    evaluation.published_by = by
    evaluation.save(update_fields=["published_at", "published_by"])
    return evaluation
