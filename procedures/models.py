from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ksr_portal.core.scoping import ScopedQuerySet
from networks.models import Network, Tier
from stakeholders.models import ContactPerson, Organisation


class Audience(models.TextChoices):
    MAIN_NODE = "main_node", _("main node (animator / KIS)")
    TYPE_B = "type_b", _("type B institutions (OPS / NGO)")
    TYPE_C = "type_c", _("each type C partner")


class CardTemplate(models.Model):
    """One version of a procedure card template (MLW). Editing makes a new version; cards already
    running keep the version (and the activity texts) they were opened with."""

    number = models.PositiveSmallIntegerField(_("card number"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("procedure name"), max_length=255)
    institution = models.CharField(_("institution running the procedure"), max_length=128)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    is_current = models.BooleanField(_("current version"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number", "-version"]
        verbose_name = _("procedure card template")
        verbose_name_plural = _("procedure card templates")
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="one_template_version"),
            models.UniqueConstraint(
                fields=["number"], condition=Q(is_current=True), name="one_current_template_version"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=13), name="card_number_1_13"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title} (v{self.version})"


class ActivityTemplate(models.Model):
    card_template = models.ForeignKey(
        CardTemplate,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("card template"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("activity"))

    class Meta:
        ordering = ["card_template", "position"]
        verbose_name = _("activity template")
        verbose_name_plural = _("activity templates")
        constraints = [
            models.UniqueConstraint(
                fields=["card_template", "position"], name="one_activity_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.card_template.number}.{self.position}"


class CardStatus(models.TextChoices):
    TODO = "todo", _("to do")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class CardQuerySet(ScopedQuerySet):
    teryt_field = "network__teryt_code"
    organisation_field = "organisation"
    membership_path = "network__memberships"

    def open(self):
        return self.exclude(status__in=[CardStatus.DONE, CardStatus.NOT_APPLICABLE])


class Card(models.Model):
    """A procedure card running in an LSR for one institution (the MLW template, filled)."""

    _change_reason: str  # read by simple_history when the card is saved

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="cards", verbose_name=_("LSR")
    )
    template = models.ForeignKey(
        CardTemplate, on_delete=models.PROTECT, related_name="cards", verbose_name=_("template")
    )
    number = models.PositiveSmallIntegerField(_("card number"))
    title = models.CharField(_("procedure name"), max_length=255)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cards",
        verbose_name=_("institution running the procedure"),
    )
    responsible = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for_cards",
        verbose_name=_("responsible person"),
    )
    cooperating = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="cooperating_cards",
        verbose_name=_("cooperating institutions"),
    )
    informed = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="informed_cards",
        verbose_name=_("institutions receiving information"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CardStatus.choices,
        default=CardStatus.TODO,
        editable=False,
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, editable=False)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, editable=False)

    objects = CardQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[cooperating, informed])

    class Meta:
        ordering = ["network", "number", "organisation__name"]
        verbose_name = _("procedure card")
        verbose_name_plural = _("procedure cards")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "number", "organisation"],
                name="one_card_per_number_and_institution",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["network", "number", "status"])]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ActivityStatus(models.TextChoices):
    TODO = "todo", _("to do")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


CLOSED_ACTIVITY = (ActivityStatus.DONE, ActivityStatus.NOT_APPLICABLE)


class ActivityQuerySet(ScopedQuerySet):
    teryt_field = "card__network__teryt_code"
    organisation_field = "card__organisation"
    membership_path = "card__network__memberships"

    def open(self):
        return self.exclude(status__in=CLOSED_ACTIVITY)

    def overdue(self, today=None):
        return self.open().filter(planned_date__lt=today or timezone.localdate())


class Activity(models.Model):
    _change_reason: str  # read by simple_history when the activity is saved

    card = models.ForeignKey(
        Card, on_delete=models.CASCADE, related_name="activities", verbose_name=_("card")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("activity"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActivityStatus.choices,
        default=ActivityStatus.TODO,
        editable=False,
    )
    not_applicable_reason = models.TextField(_("why not applicable"), blank=True, editable=False)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    done_date = models.DateField(_("done date"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["card", "position"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(
                fields=["card", "position"], name="one_activity_per_card_position"
            ),
            models.CheckConstraint(
                condition=~Q(status="not_applicable") | ~Q(not_applicable_reason=""),
                name="not_applicable_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_date__isnull=False), name="done_has_date"
            ),
        ]
        indexes = [models.Index(fields=["status", "planned_date"])]

    def __str__(self) -> str:
        return f"{self.card.number}.{self.position}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status not in CLOSED_ACTIVITY
            and self.planned_date is not None
            and self.planned_date < timezone.localdate()
        )


class EvidenceKind(models.TextChoices):
    LETTER = "letter", _("letter")
    MINUTES = "minutes", _("minutes")
    LIST = "list", _("list")
    OTHER = "other", _("other document")


def evidence_path(instance, filename):
    return f"evidence/{instance.activity.card.network_id}/{instance.activity_id}/{filename}"


class Evidence(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("activity")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence attachment")
        verbose_name_plural = _("evidence attachments")

    def __str__(self) -> str:
        return self.original_name


class NeedKind(models.TextChoices):
    MATERIAL = "material", _("material resources")
    PREMISES = "premises", _("premises")
    KNOWLEDGE = "knowledge", _("knowledge")
    PERSONNEL = "personnel", _("personnel / specialist hours")


class NeedOutcome(models.TextChoices):
    MET = "met", _("met")
    PARTLY = "partly", _("partly met")
    NOT_MET = "not_met", _("not met")


class NeedQuerySet(ScopedQuerySet):
    teryt_field = "network__teryt_code"
    organisation_field = "addressees"
    membership_path = "network__memberships"


class Need(models.Model):
    """A need of the KIS/OPS (cards 9, 10) addressed to partners, who answer it (card 13)."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="needs", verbose_name=_("LSR")
    )
    posted_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="posted_needs",
        verbose_name=_("posted by"),
    )
    kind = models.CharField(_("kind of need"), max_length=16, choices=NeedKind.choices)
    description = models.TextField(_("what is needed"))
    needed_when = models.CharField(
        _("when"), max_length=128, help_text=_("E.g. March–June 2027, Tuesdays.")
    )
    for_classes = models.CharField(_("for which classes"), max_length=255, blank=True)
    addressed_to_all = models.BooleanField(_("addressed to all members"), default=False)
    addressees = models.ManyToManyField(
        Organisation, related_name="needs_addressed", verbose_name=_("addressees")
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    answer_by = models.DateField(
        _("answers awaited by"),
        null=True,
        blank=True,
        help_text=_("With no offer by this day the need may be escalated to the RSR."),
    )
    escalated_at = models.DateTimeField(_("escalated to the RSR"), null=True, blank=True)
    escalated_to_ksr_at = models.DateTimeField(_("escalated to the KSR"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=NeedOutcome.choices, blank=True)
    outcome_text = models.TextField(_("what came of it"), blank=True)

    objects = NeedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[addressees])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"

    @property
    def escalation_tier(self) -> str:
        """The highest tier the need has been escalated to ("" while it stays in its LSR)."""
        if self.escalated_to_ksr_at:
            return Tier.KSR
        return Tier.RSR if self.escalated_at else ""


class ResponseKind(models.TextChoices):
    OFFER = "offer", _("offers a resource")
    DECLINE = "decline", _("cannot fulfil")


class NeedResponse(models.Model):
    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="responses", verbose_name=_("need")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="need_responses",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("answer"), max_length=8, choices=ResponseKind.choices)
    text = models.TextField(_("offer or reason"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("answered by"),
    )
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)
    tier = models.CharField(_("offered in"), max_length=3, choices=Tier.choices, default=Tier.LSR)
    accepted_at = models.DateTimeField(_("offer accepted"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("answer to a need")
        verbose_name_plural = _("answers to needs")
        constraints = [
            models.UniqueConstraint(fields=["need", "organisation"], name="one_answer_per_partner"),
            models.UniqueConstraint(
                fields=["need"],
                condition=Q(accepted_at__isnull=False),
                name="one_accepted_offer_per_need",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()}"


class NeedEventKind(models.TextChoices):
    POSTED = "posted", _("posted")
    OFFERED = "offered", _("resource offered")
    DECLINED = "declined", _("cannot fulfil")
    READDRESSED = "readdressed", _("addressed to more partners")
    ESCALATED_RSR = "escalated_rsr", _("escalated to the RSR")
    ESCALATED_KSR = "escalated_ksr", _("escalated to the KSR")
    ACCEPTED = "accepted", _("offer accepted")
    CLOSED = "closed", _("closed")


class NeedEvent(models.Model):
    """One step in the life of a need, written by the service that takes it: the timeline on
    the need's page. Never edited, so it keeps no history of its own."""

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="events", verbose_name=_("need")
    )
    kind = models.CharField(_("step"), max_length=16, choices=NeedEventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("by"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    text = models.TextField(_("details"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("step of a need")
        verbose_name_plural = _("steps of needs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d.%m.%Y})"


class MemberScopedQuerySet(ScopedQuerySet):
    """Objects of a network visible to its territory and to its member organisations, and
    read-only to the users of the networks below it (openness)."""

    teryt_field = "network__teryt_code"
    organisation_field = "network__memberships__organisation"
    membership_path = "network__memberships"
    open_network_path = "network"


class MeetingKind(models.TextChoices):
    MEETING = "meeting", _("LSR meeting")
    SEMINAR = "seminar", _("animation-information seminar")


class Meeting(models.Model):
    """A meeting (posiedzenie) of the LSR."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("LSR")
    )
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True, help_text=_("One decision per line."))
    attendees = models.ManyToManyField(
        ContactPerson, blank=True, related_name="meetings_attended", verbose_name=_("attendance")
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    kind = models.CharField(
        _("kind of meeting"),
        max_length=16,
        choices=MeetingKind.choices,
        default=MeetingKind.MEETING,
        help_text=_(
            "The animation-information seminar (card 1) introduces the KSR model to potential "
            "stakeholders and residents."
        ),
    )

    objects = MemberScopedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("LSR meeting")
        verbose_name_plural = _("LSR meetings")

    def __str__(self) -> str:
        return f"{self.network} – {timezone.localtime(self.held_at):%d.%m.%Y}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_seminar(self) -> bool:
        return self.kind == MeetingKind.SEMINAR


class MonitoringTerm(models.Model):
    """A term of the LSR's local monitoring (card 4)."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="monitoring_terms", verbose_name=_("LSR")
    )
    due_date = models.DateField(_("monitoring term"))
    scope = models.TextField(
        _("scope of information"), help_text=_("What cooperating institutions report.")
    )
    presented_at = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitoring_presented",
        verbose_name=_("presented at meeting"),
    )

    objects = MemberScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date"]
        verbose_name = _("monitoring term")
        verbose_name_plural = _("monitoring terms")

    def __str__(self) -> str:
        return f"{self.due_date:%d.%m.%Y}"


class MonitoringReport(models.Model):
    term = models.ForeignKey(
        MonitoringTerm,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("monitoring term"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="monitoring_reports",
        verbose_name=_("institution"),
    )
    information = models.TextField(_("information supplied"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("monitoring information")
        verbose_name_plural = _("monitoring information")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "organisation"], name="one_report_per_term_and_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.term}"


class DocumentCategory(models.TextChoices):
    AGREEMENTS = "agreements", _("agreements and letters of intent")
    MINUTES = "minutes", _("minutes and meeting materials")
    SERVICES = "services", _("materials on new KIS services")
    DIAGNOSES = "diagnoses", _("diagnoses, research and analyses")
    LAW = "law", _("legal acts and guidelines")
    REPORTS = "reports", _("monitoring and evaluation reports")
    OTHER = "other", _("other")


def library_path(instance, filename):
    return f"library/{instance.network_id}/{filename}"


class LibraryDocument(models.Model):
    """A document in the LSR library (Gminna Biblioteczka LSR, card 7)."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="library", verbose_name=_("LSR")
    )
    title = models.CharField(_("title"), max_length=255)
    category = models.CharField(_("category"), max_length=16, choices=DocumentCategory.choices)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=library_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = MemberScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")

    def __str__(self) -> str:
        return self.title


class SeminarRole(models.TextChoices):
    RESIDENT = "resident", _("resident")
    CANDIDATE = "candidate", _("representative of a potential stakeholder")
    MEMBER = "member", _("representative of a member")
    GUEST = "guest", _("guest or speaker")


class SeminarParticipantQuerySet(ScopedQuerySet):
    """Names of people who are no contacts of members: the LSR's territory only."""

    teryt_field = "meeting__network__teryt_code"


class SeminarParticipant(models.Model):
    """A participant of the animation-information seminar who need not be a contact person of a
    member: a resident, a representative of a potential stakeholder. Minimised as for
    interviews: only those who run the LSR's meetings see the names."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="seminar_participants",
        verbose_name=_("seminar"),
    )
    name = models.CharField(_("name"), max_length=255)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=SeminarRole.choices)
    candidate = models.ForeignKey(
        "networks.PotentialStakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seminar_participants",
        verbose_name=_("potential stakeholder"),
    )

    objects = SeminarParticipantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "role", "name", "pk"]
        verbose_name = _("seminar participant")
        verbose_name_plural = _("seminar participants")

    def __str__(self) -> str:
        return self.name
