"""Bottom-up experience of the networks and the KSR's recommendations built on it.

Animators (for their LSR) and ROPS coordinators (for their RSR) submit experience items with
links to evidence; the ROPS coordinator reviews the region's items and forwards or merges them;
the KSR coordinator composes recommendations resting on forwarded items. Adopted
recommendations are open to every user at every tier (jawność).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ksr_portal.core.scoping import ScopedQuerySet
from ksr_portal.evaluations.models import Deficiency, Finding
from networks.models import Network, Tier
from procedures.models import Card, LibraryDocument


class Theme(models.Model):
    """A theme of the shipped list (``data/themes.yaml``): tags items, searches findings."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    keywords = models.JSONField(
        _("keywords"), default=list, blank=True, help_text=_("Word stems searched in findings.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class ExperienceKind(models.TextChoices):
    GOOD_PRACTICE = "good_practice", _("good practice")
    BARRIER = "barrier", _("barrier")
    PROPOSAL = "proposal", _("proposal for system change")


class ItemStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("experience item", "submitted")
    REVIEW = "review", _("under regional review")
    FORWARDED = "forwarded", _("forwarded to the KSR")
    MERGED = "merged", _("merged into another item")
    RETURNED = "returned", _("returned")


OPEN_STATUSES = (ItemStatus.SUBMITTED, ItemStatus.REVIEW)


class ExperienceItemQuerySet(ScopedQuerySet):
    # territorial only: the LSR's or RSR's territory (partners see none)
    teryt_field = "network__teryt_code"

    def in_region_of(self, network: Network) -> "ExperienceItemQuerySet":
        """Items of an LSR; for an RSR, of the RSR and every LSR of its voivodeship."""
        if network.tier == "lsr":
            return self.filter(network=network)
        return self.filter(network__teryt_code__startswith=network.teryt_code)


class ExperienceItem(models.Model):
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="experience_items",
        verbose_name=_("network"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ExperienceKind.choices)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"))
    themes = models.ManyToManyField(Theme, related_name="items", verbose_name=_("themes"))
    tags = models.CharField(
        _("other tags"), max_length=255, blank=True, help_text=_("Separated by commas.")
    )
    findings = models.ManyToManyField(
        Finding, blank=True, related_name="experience_items", verbose_name=_("findings")
    )
    deficiencies = models.ManyToManyField(
        Deficiency, blank=True, related_name="experience_items", verbose_name=_("deficiencies")
    )
    cards = models.ManyToManyField(
        Card, blank=True, related_name="experience_items", verbose_name=_("procedure cards")
    )
    documents = models.ManyToManyField(
        LibraryDocument,
        blank=True,
        related_name="experience_items",
        verbose_name=_("library documents"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.SUBMITTED
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_items",
        verbose_name=_("merged into"),
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(
        pgettext_lazy("experience item", "submitted"), auto_now_add=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = ExperienceItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("experience item")
        verbose_name_plural = _("experience items")
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="merged") & Q(merged_into__isnull=False))
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="experience_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="experience_not_merged_into_self"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class RecommendationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ADOPTED = "adopted", _("adopted")


class RecommendationQuerySet(models.QuerySet):
    def adopted(self) -> "RecommendationQuerySet":
        return self.filter(status=RecommendationStatus.ADOPTED)


class Recommendation(models.Model):
    """A KSR recommendation for system reform, resting on experience items of the networks."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("KSR")
    )
    title = models.CharField(_("title"), max_length=255)
    rationale = models.TextField(_("rationale"))
    addressee = models.CharField(
        _("addressee"),
        max_length=255,
        help_text=_("E.g. a ministry department (DPiIS MRPiPS)."),
    )
    items = models.ManyToManyField(
        ExperienceItem, related_name="recommendations", verbose_name=_("experience items")
    )
    lsrs = models.ManyToManyField(
        Network, blank=True, related_name="recommendations_resting_on", verbose_name=_("LSRs")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("composed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted by"),
    )

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[items])

    class Meta:
        ordering = ["-adopted_at", "-created_at", "-pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="adopted") & Q(adopted_at__isnull=False))
                | (Q(status="draft") & Q(adopted_at__isnull=True)),
                name="recommendation_adopted_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_adopted(self) -> bool:
        return self.status == RecommendationStatus.ADOPTED

    def refresh_lsrs(self) -> None:
        """``lsrs`` is derived: the LSRs its items come from. The one place that computes it
        (kept as a field for the list's count and the PDF); call it after ``items`` change."""
        self.lsrs.set(
            Network.objects.filter(tier=Tier.LSR, experience_items__recommendations=self).distinct()
        )
