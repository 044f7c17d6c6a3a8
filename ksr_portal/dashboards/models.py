from django.db import models
from django.utils.translation import gettext_lazy as _

from networks.models import Network

CARD_NUMBERS = range(1, 14)


class LsrSummary(models.Model):
    """The dashboard figures of one LSR, maintained on write (``summaries.summaries_refresh``).

    Figures that depend on the day (active members, agreements in force, overdue activities,
    meetings held) are computed for ``computed_on``; ``valid_until`` is the first day on which one
    of them may change without a write (a member joining on a future date, an agreement ending),
    and the dashboards recompute rows whose day has come before reading them.
    """

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    computed_on = models.DateField()
    valid_until = models.DateField(null=True, blank=True, db_index=True)
    active_a = models.PositiveIntegerField(default=0)
    active_b = models.PositiveIntegerField(default=0)
    active_c = models.PositiveIntegerField(default=0)
    has_kis_main = models.BooleanField(default=False)
    has_main_node = models.BooleanField(default=False)
    has_signed_partnership = models.BooleanField(default=False)  # an agreement in force
    has_public = models.BooleanField(default=False)
    has_ngo = models.BooleanField(default=False)
    has_business = models.BooleanField(default=False)
    conditions_met = models.BooleanField(default=False)
    cards_done = models.PositiveSmallIntegerField(default=0)
    card_1_done = models.BooleanField(default=False)
    card_2_done = models.BooleanField(default=False)
    card_3_done = models.BooleanField(default=False)
    card_4_done = models.BooleanField(default=False)
    card_5_done = models.BooleanField(default=False)
    card_6_done = models.BooleanField(default=False)
    card_7_done = models.BooleanField(default=False)
    card_8_done = models.BooleanField(default=False)
    card_9_done = models.BooleanField(default=False)
    card_10_done = models.BooleanField(default=False)
    card_11_done = models.BooleanField(default=False)
    card_12_done = models.BooleanField(default=False)
    card_13_done = models.BooleanField(default=False)
    overdue = models.PositiveIntegerField(default=0)
    last_meeting = models.DateTimeField(null=True, blank=True)
    next_meeting = models.DateTimeField(null=True, blank=True)
    last_monitoring = models.DateField(null=True, blank=True)
    responses = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("LSR summary")
        verbose_name_plural = _("LSR summaries")

    def __str__(self) -> str:
        return f"{self.network_id} ({self.computed_on})"


# The figures a summary row holds, in a fixed order (the refresh writes and compares these).
FIGURE_FIELDS = [
    f.name
    for f in LsrSummary._meta.local_fields
    if f.name not in ("network", "computed_on", "valid_until")
]


class RegionSummary(models.Model):
    """The roll-up of one voivodeship's LSR summary rows (``queries.region_counts``), maintained
    with them in the same transaction (``summaries.regions_refresh``): the national dashboard
    reads 16 rows instead of aggregating 2,477 (issue 16). ``counts`` holds the aggregates by
    name; the day-dependent ones ("no meeting for 6 months") are for ``computed_on``, and rows of
    an earlier day are recomputed before they are read."""

    code = models.CharField(max_length=2, primary_key=True)  # the voivodeship's TERYT code
    computed_on = models.DateField()
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("voivodeship summary")
        verbose_name_plural = _("voivodeship summaries")

    def __str__(self) -> str:
        return f"{self.code} ({self.computed_on})"
