from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ksr_portal.core.scoping import ScopedQuerySet, scope_of
from ksr_portal.core.subqueries import count_of
from stakeholders.models import (
    ContactPerson,
    Gmina,
    InstitutionKind,
    Organisation,
    Sector,
    StakeholderType,
    Voivodeship,
)


class Tier(models.TextChoices):
    LSR = "lsr", _("LSR – local network")
    RSR = "rsr", _("RSR – regional network")
    KSR = "ksr", _("KSR – national network")


class Variant(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("administrative (decision or resolution)")
    CIVIC = "civic", _("civic (bottom-up, initiated by local leaders)")


class ActKind(models.TextChoices):
    MAYOR_DECISION = "mayor_decision", _("decision of the wójt / mayor")
    COUNCIL_RESOLUTION = "council_resolution", _("resolution of the gmina council")


class Stage(models.TextChoices):
    INITIATION = "initiation", _("initiation")
    WORKING_GROUP = "working_group", _("working group")
    AGREEMENT = "agreement", _("partnership agreement")
    OPERATING = "operating", _("operating")
    EVALUATED = "evaluated", _("evaluated")


class LegalForm(models.TextChoices):
    INFORMAL = "informal", _("informal cooperation")
    AGREEMENT = "agreement", _("partnership agreement")
    ASSOCIATION = "association", _("association")
    FOUNDATION = "foundation", _("foundation")
    UNION = "union", _("union of associations")


def active_on(on: date | None = None) -> Q:
    """The one meaning of an *active* membership: on a day (today by default) the organisation
    has joined and not yet left. (``ScopedQuerySet.membership_path`` writes the same condition.)
    An *open* membership (``MembershipQuerySet.open``) is one not ended yet, whatever its dates:
    what the unique constraints count."""
    on = on or timezone.localdate()
    return Q(joined_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on))


def agreement_in_force(day=None) -> Q:
    """Task partnerships whose agreement is in force on a day (today by default): signed, started
    (or without a start date) and not ended (the end day itself still counts)."""
    day = day or timezone.localdate()
    return (
        Q(agreement_status="signed")
        & (Q(starts_on__isnull=True) | Q(starts_on__lte=day))
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    )


class NetworkQuerySet(ScopedQuerySet):
    teryt_field = "teryt_code"
    organisation_field = "memberships__organisation"
    membership_path = "memberships"

    def reached_by(self, user: Any) -> "NetworkQuerySet":
        """The networks of the user's own reach: its territory, or its organisation's active
        memberships."""
        return super().for_user(user)

    def opened_to(self, user: Any) -> "NetworkQuerySet":
        """Openness (jawność): the networks above those the user reaches — an LSR's RSR and the
        KSR, an RSR's KSR — which the user reads without running them."""
        reached = Network.objects.reached_by(user)
        return self.filter(
            Q(pk__in=reached.values("parent_id")) | Q(pk__in=reached.values("parent__parent_id"))
        )

    def for_user(self, user: Any) -> "NetworkQuerySet":
        """The networks the user reaches and those opened to it (one mechanism for every list
        and the gate; outside both, 404)."""
        if scope_of(user).is_national:
            return self.all()
        # the reach as a condition on this very table (the TERYT index serves it), openness as
        # one subquery
        opened = Network.objects.opened_to(user).values("pk")
        return self.filter(self.reach_condition(user) | Q(pk__in=opened))

    def lsrs(self) -> "NetworkQuerySet":
        return self.filter(tier=Tier.LSR)

    def within(self, code: str) -> "NetworkQuerySet":
        """Networks whose territory lies inside a TERYT code (a voivodeship, county or gmina)."""
        return self.filter(teryt_code__startswith=code)

    def with_conditions(self, day: date | None = None) -> "NetworkQuerySet":
        """Annotate the model's critical conditions on a day (today by default), computed in the
        database."""
        active = Membership.objects.filter(active_on(day), network=OuterRef("pk"))
        # Counts as correlated subqueries (no join, no GROUP BY): the dashboards add many more
        # per-LSR subqueries, and a join here would make PostgreSQL run them once per member.
        counts = {
            f"active_{t.lower()}": count_of(
                active.filter(organisation__stakeholder_type=t), "network"
            )
            for t in StakeholderType.values
        }
        return self.annotate(
            **counts,
            has_kis_main=Exists(
                active.filter(
                    role=MemberRole.MAIN_NODE,
                    organisation__stakeholder_type=StakeholderType.A,
                    organisation__institution_kind=InstitutionKind.KIS,
                )
            ),
            has_main_node=Exists(active.filter(role=MemberRole.MAIN_NODE)),
            # "signed partnership" means an agreement in force today, not one ever signed
            has_signed_partnership=Exists(
                Partnership.objects.filter(agreement_in_force(day), network=OuterRef("pk"))
            ),
            has_public=Exists(active.filter(organisation__sector=Sector.PUBLIC)),
            has_ngo=Exists(active.filter(organisation__sector=Sector.NGO)),
            has_business=Exists(active.filter(organisation__sector=Sector.BUSINESS)),
        )


class Network(models.Model):
    """A reintegration network: an LSR (gmina), an RSR (voivodeship) or the KSR (country)."""

    tier = models.CharField(_("tier"), max_length=3, choices=Tier.choices)
    name = models.CharField(_("name"), max_length=255)
    gmina = models.ForeignKey(
        Gmina,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="networks",
        verbose_name=_("gmina"),
    )
    voivodeship = models.ForeignKey(
        Voivodeship,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="networks",
        verbose_name=_("voivodeship"),
    )
    teryt_code = models.CharField(
        _("TERYT code"),
        max_length=7,
        blank=True,
        editable=False,
        help_text=_("Derived from the territory."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("member of"),
    )
    variant = models.CharField(
        _("founding variant"), max_length=16, choices=Variant.choices, blank=True
    )
    act_kind = models.CharField(
        _("founding act"), max_length=24, choices=ActKind.choices, blank=True
    )
    act_number = models.CharField(_("act number"), max_length=64, blank=True)
    act_date = models.DateField(_("act date"), null=True, blank=True)
    initiators = models.TextField(
        _("initiating leaders"),
        blank=True,
        help_text=_("For the civic variant: who initiated the network."),
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.INITIATION
    )
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    main_goal = models.TextField(_("main goal"), blank=True)
    specific_goals = models.TextField(
        _("specific goals"), blank=True, help_text=_("One goal per line.")
    )
    legal_form = models.CharField(
        _("legal form"), max_length=16, choices=LegalForm.choices, default=LegalForm.INFORMAL
    )
    seat = models.CharField(_("seat"), max_length=255, blank=True)
    meeting_rhythm = models.CharField(
        _("meeting rhythm"), max_length=128, blank=True, help_text=_("E.g. once a quarter.")
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # An LSR is a member of its RSR (an RSR of the KSR) through ``parent``, from its founding;
    # it may stop taking part (``networks.services.networks.network_set_participation``).
    parent_left_on = models.DateField(
        _("not taking part since"),
        null=True,
        blank=True,
        help_text=_("Empty while the network takes part in the network above it."),
    )
    parent_left_reason = models.TextField(_("reason for not taking part"), blank=True)

    objects = NetworkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["tier", "teryt_code", "name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [
            models.UniqueConstraint(
                fields=["gmina"],
                condition=Q(tier="lsr"),
                name="one_lsr_per_gmina",
                violation_error_message=_("This gmina already has an LSR."),
            ),
            models.UniqueConstraint(
                fields=["voivodeship"],
                condition=Q(tier="rsr"),
                name="one_rsr_per_voivodeship",
                violation_error_message=_("This voivodeship already has an RSR."),
            ),
            models.UniqueConstraint(
                fields=["tier"],
                condition=Q(tier="ksr"),
                name="one_ksr",
                violation_error_message=_("There is only one KSR."),
            ),
            models.CheckConstraint(
                condition=(Q(tier="lsr") & Q(gmina__isnull=False))
                | (Q(tier="rsr") & Q(voivodeship__isnull=False) & Q(gmina__isnull=True))
                | (Q(tier="ksr") & Q(gmina__isnull=True) & Q(voivodeship__isnull=True)),
                name="network_territory_matches_tier",
                violation_error_message=_(
                    "An LSR belongs to a gmina, an RSR to a voivodeship, the KSR to the country."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["teryt_code"],
                name="network_teryt_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            # The dashboards' LSR tables (issue 16): the LSRs of the country or of a TERYT
            # prefix with what the rows show of the network itself, read from the index alone
            # instead of the table's pages of visions and goals.
            models.Index(
                fields=["tier", "teryt_code"],
                name="network_tier_teryt_covering",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                include=["id", "gmina", "stage", "variant"],
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_lsr(self) -> bool:
        return self.tier == Tier.LSR

    @property
    def joined_parent_on(self) -> date:
        """A member network takes part from its founding (or its recording in the portal)."""
        return self.founded_on or timezone.localtime(self.created_at).date()

    @property
    def takes_part(self) -> bool:
        return self.parent_left_on is None or self.parent_left_on > timezone.localdate()

    def clean(self) -> None:
        """A network is a member only of the network one tier up over its territory: an LSR of
        its voivodeship's RSR, an RSR of the KSR."""
        parent = self.parent
        if parent is None:
            return
        expected = {Tier.LSR.value: Tier.RSR, Tier.RSR.value: Tier.KSR}.get(self.tier)
        if parent.tier != expected or not self.teryt_code.startswith(parent.teryt_code):
            raise ValidationError(
                {"parent": _("A network can be a member only of the network of its region.")}
            )

    def specific_goal_list(self) -> list[str]:
        return [line.strip() for line in self.specific_goals.splitlines() if line.strip()]


class MemberRole(models.TextChoices):
    MAIN_NODE = "main", _("main node")
    MEMBER = "member", _("member")


class MembershipQuerySet(ScopedQuerySet):
    teryt_field = "network__teryt_code"
    organisation_field = "network__memberships__organisation"
    membership_path = "network__memberships"
    open_network_path = "network"

    def active(self, on: date | None = None) -> "MembershipQuerySet":
        return self.filter(active_on(on))

    def open(self) -> "MembershipQuerySet":
        """Not ended yet (``left_on`` empty): one per organisation and network, one main node."""
        return self.filter(left_on__isnull=True)

    def of_type(self, stakeholder_type: str) -> "MembershipQuerySet":
        return self.filter(organisation__stakeholder_type=stakeholder_type)


class Membership(models.Model):
    """One period of an organisation in a network. Leaving closes the period; re-joining opens a
    new one, so the history stays."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role in the network"),
        max_length=8,
        choices=MemberRole.choices,
        default=MemberRole.MEMBER,
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    representatives = models.ManyToManyField(
        ContactPerson, blank=True, related_name="memberships", verbose_name=_("representatives")
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "role", "organisation__name", "joined_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_leaves_after_joining",
                violation_error_message=_("An organisation cannot leave before it joined."),
            ),
            models.UniqueConstraint(
                fields=["network"],
                condition=Q(role="main", left_on__isnull=True),
                name="one_open_main_node_per_network",
                violation_error_message=_("This network already has an active main node."),
            ),
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership_per_organisation",
                violation_error_message=_("This organisation is already an active member."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.network}"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.joined_on <= today and (self.left_on is None or self.left_on > today)


class HubTaskKind(models.TextChoices):
    MANAGE = "manage", _("Manage the hub and partnerships, keep communication going")
    INITIATE = "initiate", _("Initiate and manage partnership building")
    RECRUIT = "recruit", _("Bring new members into the LSR")
    REPRESENT = "represent", _("Represent the LSR outside")
    LINK_RSR = "link_rsr", _("Link the LSR with the RSR")


class TaskStatus(models.TextChoices):
    TODO = "todo", _("to do")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class HubTaskQuerySet(ScopedQuerySet):
    teryt_field = "network__teryt_code"
    organisation_field = "network__memberships__organisation"
    membership_path = "network__memberships"


class HubTask(models.Model):
    """One of the five tasks of the KIS as the hub leader, tracked per LSR."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="hub_tasks", verbose_name=_("network")
    )
    kind = models.CharField(_("task"), max_length=16, choices=HubTaskKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.TODO
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HubTaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "id"]
        verbose_name = _("KIS hub task")
        verbose_name_plural = _("KIS hub tasks")
        constraints = [
            models.UniqueConstraint(fields=["network", "kind"], name="one_hub_task_of_each_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    CONSULTATION = "consultation", _("in consultation")
    SIGNED = "signed", _("signed")


class PartnershipQuerySet(ScopedQuerySet):
    teryt_field = "network__teryt_code"
    organisation_field = "network__memberships__organisation"
    membership_path = "network__memberships"
    open_network_path = "network"


class Partnership(models.Model):
    """A formal task partnership nested in an LSR, led by the KIS by default."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("network")
    )
    name = models.CharField(_("name"), max_length=255)
    goal = models.TextField(_("goal"))
    leader = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        verbose_name=_("leader"),
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    agreement_status = models.CharField(
        _("agreement status"),
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "name"]
        verbose_name = _("task partnership")
        verbose_name_plural = _("task partnerships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(agreement_status="signed") | Q(signed_on__isnull=False),
                name="signed_agreement_has_date",
                violation_error_message=_("A signed agreement needs its signing date."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="partnership_period_in_order",
                violation_error_message=_("The partnership cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContributionKind(models.TextChoices):
    PREMISES = "premises", _("premises")
    STAFF_HOURS = "staff_hours", _("staff / specialist hours")
    KNOWLEDGE = "knowledge", _("knowledge")
    EQUIPMENT = "equipment", _("equipment")
    FUNDS = "funds", _("funds")
    OTHER = "other", _("other")


class PartnershipMember(models.Model):
    """A partner in a task partnership, with its role and contribution."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name=_("partnership"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnership_roles",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the partnership"), max_length=255)
    contribution_kind = models.CharField(
        _("contribution kind"), max_length=16, choices=ContributionKind.choices
    )
    contribution = models.TextField(_("contribution"), help_text=_("What the partner brings."))
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Where it applies: zloty for funds, hours for staff time."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "organisation__name"]
        verbose_name = _("partner of a task partnership")
        verbose_name_plural = _("partners of task partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_role_per_partner"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.role}"


class ImportReceipt(models.Model):
    """One confirmed import preview: its token (hashed) may be confirmed once. Written in the
    import's transaction, so a second confirmation — a double click, two tabs — waits for the
    first and then imports nothing."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="import_receipts", verbose_name=_("network")
    )
    key_hash = models.CharField(_("preview key (hashed)"), max_length=64, unique=True)
    imported = models.PositiveIntegerField(_("organisations imported"), default=0)
    created_at = models.DateTimeField(_("confirmed"), auto_now_add=True)

    class Meta:
        verbose_name = _("import receipt")
        verbose_name_plural = _("import receipts")

    def __str__(self) -> str:
        return f"{self.network_id}: {self.imported}"


# --- support to LSRs (the ROWR's technical assistance) and potential stakeholders ------------


class SupportKind(models.TextChoices):
    CONSULTATION = "consultation", _("consultation")
    TRAINING = "training", _("training for the KIS team")
    MEDIATION = "mediation", _("mediation")
    EXPERT = "expert", _("an expert")


class SupportStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("support request", "submitted")
    ACCEPTED = "accepted", pgettext_lazy("support request", "accepted")
    DONE = "done", pgettext_lazy("support request", "done")
    DECLINED = "declined", pgettext_lazy("support request", "declined")


class SupportRequestQuerySet(ScopedQuerySet):
    """Seen by the LSR's territory (the animator, the ROPS coordinator of its voivodeship, the
    country) and by representatives of the LSR's active members."""

    teryt_field = "lsr__teryt_code"
    organisation_field = "lsr__memberships__organisation"
    membership_path = "lsr__memberships"


class SupportRequest(models.Model):
    """An LSR asks its RSR (the ROWR at ROPS) for support: submitted → accepted → done, or
    declined with a reason."""

    lsr = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="support_requests", verbose_name=_("LSR")
    )
    rsr = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        related_name="support_queue",
        verbose_name=_("RSR"),
    )
    kind = models.CharField(_("kind of support"), max_length=16, choices=SupportKind.choices)
    subject = models.CharField(_("subject"), max_length=255)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=16, choices=SupportStatus.choices, default=SupportStatus.SUBMITTED
    )
    requested_by = models.ForeignKey(
        "stakeholders.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
        verbose_name=_("requested by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    handled_by = models.ForeignKey(
        "stakeholders.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_handled",
        verbose_name=_("handled by"),
    )
    helpers = models.CharField(
        _("who helped"),
        max_length=255,
        blank=True,
        help_text=_("People or organisations that gave the support."),
    )
    given_on = models.DateField(_("support given on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    objects = SupportRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_support_has_reason",
                violation_error_message=_("A declined request needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(outcome="") & Q(given_on__isnull=False)),
                name="done_support_has_outcome",
                violation_error_message=_("Support given needs its date and outcome."),
            ),
        ]
        indexes = [models.Index(fields=["rsr", "status"], name="support_queue_status")]

    def __str__(self) -> str:
        return f"{self.lsr} – {self.subject}"


class SupportEventKind(models.TextChoices):
    TRAINING = "training", _("training for KIS teams")
    CONSULTATION = "consultation", _("consultation for KIS teams")


class SupportEventQuerySet(ScopedQuerySet):
    teryt_field = "rsr__teryt_code"
    open_network_path = "rsr"  # openness: the region's LSRs read their RSR's trainings


class SupportEvent(models.Model):
    """A training or consultation the RSR gives KIS teams: participants are people of the
    region's LSRs; it may answer support requests."""

    rsr = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="support_events", verbose_name=_("RSR")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SupportEventKind.choices)
    title = models.CharField(_("title"), max_length=255)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    trainers = models.CharField(_("trainers / consultants"), max_length=255, blank=True)
    notes = models.TextField(_("programme and notes"), blank=True)
    requests = models.ManyToManyField(
        SupportRequest,
        blank=True,
        related_name="events",
        verbose_name=_("support requests it answers"),
    )
    participants = models.ManyToManyField(
        ContactPerson,
        blank=True,
        related_name="support_events",
        verbose_name=_("participants"),
    )

    objects = SupportEventQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[participants, requests])

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("training or consultation for KIS teams")
        verbose_name_plural = _("trainings and consultations for KIS teams")

    def __str__(self) -> str:
        return self.title


class CandidateStatus(models.TextChoices):
    CONTACTED = "contacted", _("contacted")
    INTERESTED = "interested", _("interested")
    JOINED = "joined", _("joined")
    DECLINED = "declined", _("declined to join")


class PotentialStakeholderQuerySet(ScopedQuerySet):
    """Candidates before they join: the LSR's territory only (contact notes stay with the
    animator, the ROPS coordinator and the country)."""

    teryt_field = "network__teryt_code"


class PotentialStakeholder(models.Model):
    """A candidate organisation of an LSR before it joins (card 2's list of potential
    stakeholders): contacted → interested → joined / declined."""

    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="potential_stakeholders",
        verbose_name=_("LSR"),
    )
    name = models.CharField(_("name"), max_length=255)
    stakeholder_type = models.CharField(
        _("stakeholder type"), max_length=1, choices=StakeholderType.choices
    )
    institution_kind = models.CharField(
        _("institution kind"), max_length=32, choices=InstitutionKind.choices
    )
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    contact_note = models.TextField(
        _("contact note"), blank=True, help_text=_("Whom you spoke to, when, what was agreed.")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CandidateStatus.choices,
        default=CandidateStatus.CONTACTED,
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidacies",
        verbose_name=_("organisation (once joined)"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PotentialStakeholderQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "name", "pk"]
        verbose_name = _("potential stakeholder")
        verbose_name_plural = _("potential stakeholders")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="joined") | Q(organisation__isnull=False),
                name="joined_candidate_has_organisation",
                violation_error_message=_("A candidate that joined is linked to its organisation."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
