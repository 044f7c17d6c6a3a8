"""Evaluations of a network's work: findings, deficiencies obliging partners, the conclusion.

The tables keep their first names (``surveys_*``): the models moved here without touching the data.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ksr_portal.core.scoping import ScopedQuerySet
from networks.models import Network
from stakeholders.models import Organisation
from surveys.models import Audience, Campaign, Interview


class EvaluationQuerySet(ScopedQuerySet):
    teryt_field = "network__teryt_code"
    organisation_field = "network__memberships__organisation"
    membership_path = "network__memberships"


class EvaluationMethod(models.TextChoices):
    OWN = "own", _("own evaluation")
    EXTERNAL = "external", _("external evaluation")


class Evaluation(models.Model):
    """An evaluation of a network's work over a period, ending with a document that lists
    deficiencies and obliges partners to remove them (the KSR model)."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("network")
    )
    title = models.CharField(_("title"), max_length=255)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    method = models.CharField(
        _("method"), max_length=16, choices=EvaluationMethod.choices, default=EvaluationMethod.OWN
    )
    evaluators = models.TextField(
        _("evaluators"), help_text=_("Persons or institution carrying out the evaluation.")
    )
    aim = models.TextField(_("aim of the evaluation"), blank=True)
    campaigns = models.ManyToManyField(
        Campaign, blank=True, related_name="evaluations", verbose_name=_("survey campaigns")
    )
    interviews = models.ManyToManyField(
        Interview, blank=True, related_name="evaluations", verbose_name=_("interviews")
    )
    conclusion = models.TextField(_("conclusion (reasumpcja)"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EvaluationQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[campaigns, interviews], table_name="surveys_historicalevaluation"
    )

    class Meta:
        db_table = "surveys_evaluation"
        ordering = ["-period_end"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="evaluation_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class FindingKind(models.TextChoices):
    BARRIER = "barrier", _("barrier / deficit")
    SUCCESS = "success", _("success")
    NEED = "need", _("need")
    OTHER = "other", _("other finding")


class Finding(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="findings", verbose_name=_("evaluation")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    audience = models.CharField(
        _("respondent group"), max_length=16, choices=Audience.choices, blank=True
    )
    text = models.TextField(_("finding"))
    share = models.DecimalField(
        _("share of indications (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    band_low = models.PositiveSmallIntegerField(
        _("reported band from (%)"),
        null=True,
        blank=True,
        help_text=_(
            "When the report gives a band of indications (e.g. 40–60%) instead of a share."
        ),
    )
    band_high = models.PositiveSmallIntegerField(_("reported band to (%)"), null=True, blank=True)

    history = HistoricalRecords(table_name="surveys_historicalfinding")

    class Meta:
        db_table = "surveys_finding"
        ordering = ["evaluation", "kind", "-share"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=Q(share__isnull=True) | (Q(share__gte=0) & Q(share__lte=100)),
                name="finding_share_0_100",
            ),
            models.CheckConstraint(
                condition=(Q(band_low__isnull=True) & Q(band_high__isnull=True))
                | (Q(band_low__lte=models.F("band_high")) & Q(band_high__lte=100)),
                name="finding_band_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class DeficiencyQuerySet(ScopedQuerySet):
    teryt_field = "evaluation__network__teryt_code"
    organisation_field = "obliged"
    membership_path = "evaluation__network__memberships"

    def open(self):
        return self.filter(removed_on__isnull=True)


class Deficiency(models.Model):
    """A deficiency the evaluation obliges a partner to remove by a deadline."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="deficiencies",
        verbose_name=_("evaluation"),
    )
    text = models.TextField(_("deficiency"))
    obliged = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="deficiencies",
        verbose_name=_("obliged partner"),
    )
    deadline = models.DateField(_("deadline"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = DeficiencyQuerySet.as_manager()
    history = HistoricalRecords(table_name="surveys_historicaldeficiency")

    class Meta:
        db_table = "surveys_deficiency"
        ordering = ["deadline"]
        verbose_name = _("deficiency")
        verbose_name_plural = _("deficiencies")

    def __str__(self) -> str:
        return self.text[:60]
