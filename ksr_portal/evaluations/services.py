"""Writes of evaluations: the evaluation with its sources, findings and deficiencies at once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from networks.models import Membership, Network

from . import notifications
from .models import Deficiency, Evaluation, Finding


def _check_sources(network: Network, campaigns, interviews) -> None:
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
    campaigns: list,
    interviews: list,
    findings: list[Finding] = (),
    deficiencies: list[Deficiency] = (),
    deleted: list = (),
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
