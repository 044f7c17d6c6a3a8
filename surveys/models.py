import secrets
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ksr_portal.core.scoping import ScopedQuerySet
from networks.models import Network
from stakeholders.models import Organisation


def new_token() -> str:
    return secrets.token_urlsafe(32)


class QuestionKind(models.TextChoices):
    SINGLE = "choice_single", _("single choice")
    MULTI = "choice_multi", _("multiple choice")
    YES_NO = "yes_no", _("yes / no")
    LIST = "list", _("list of N items")
    SHORT_TEXT = "short_text", _("short text")
    TEXT = "text", _("long text")
    SCALE = "scale", _("scale")


class QuestionnaireQuerySet(ScopedQuerySet):
    """Default templates (no network) are visible to everyone; copies to their network's scope."""

    teryt_field = "network__teryt_code"

    def for_user(self, user):
        return self.model.objects.filter(
            Q(network__isnull=True) | Q(pk__in=super().for_user(user).values("pk"))
        )


class Questionnaire(models.Model):
    """A questionnaire template; an animator copies and adapts it in the builder. A launched
    campaign freezes its content (Campaign.schema), so later edits never change it."""

    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("LSR"),
        help_text=_("Empty for the portal's default templates."),
    )
    title = models.CharField(_("title"), max_length=255)
    introduction = models.TextField(_("introduction"), blank=True)
    signature = models.CharField(_("signature"), max_length=255, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    is_default = models.BooleanField(_("default template"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = QuestionnaireQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_default", "title"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question; `logic` holds the skip logic and follow-ups per answer:
    {"yes": {"goto": 5}, "no": {"followup": {"kind": "list", "size": 3, "text": "..."}}} for yes/no,
    {"<option text>": {"goto": 7}} for single choice."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("questionnaire"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list, blank=True)
    other_label = models.CharField(
        _("“other – specify” label"),
        max_length=255,
        blank=True,
        help_text=_("Empty: no “other” field."),
    )
    list_size = models.PositiveSmallIntegerField(_("number of items"), default=3)
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    required = models.BooleanField(_("answer required"), default=True)
    logic = models.JSONField(_("skip logic and follow-ups"), default=dict, blank=True)

    class Meta:
        ordering = ["questionnaire", "number"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="one_question_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Audience(models.TextChoices):
    INSTITUTIONS = "institutions", _("institutions of the local environment")
    MEMBERS = "members", _("members of the partnership")
    RESIDENTS = "residents", _("residents")


class CampaignQuerySet(ScopedQuerySet):
    teryt_field = "network__teryt_code"
    organisation_field = "network__memberships__organisation"
    membership_path = "network__memberships"


class Campaign(models.Model):
    """A survey run in a network for one audience group, with its questionnaire frozen at launch."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("network")
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("questionnaire"),
    )
    title = models.CharField(_("title"), max_length=255)
    audience = models.CharField(_("audience group"), max_length=16, choices=Audience.choices)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    anonymous = models.BooleanField(_("anonymous"), default=True)
    # None until the launch freezes it; read only on launched campaigns, hence not Optional here
    schema: "models.JSONField[Any, Any]" = models.JSONField(
        _("frozen questionnaire"), null=True, blank=True, editable=False
    )
    launched_at = models.DateTimeField(_("launched"), null=True, blank=True, editable=False)
    public_token = models.CharField(
        _("general link token"), max_length=64, unique=True, default=new_token, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="campaign_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_launched(self) -> bool:
        return self.launched_at is not None

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_launched and self.opens_at <= now < self.closes_at


class Invitation(models.Model):
    """A personal invitation link. `responded` is a bare flag: nothing links it to the response."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("campaign")
    )
    email = models.EmailField(_("e-mail"))
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_token, editable=False
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    responded = models.BooleanField(_("responded"), default=False)

    class Meta:
        ordering = ["email"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email"], name="one_invitation_per_address")
        ]

    def __str__(self) -> str:
        return self.email


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PAPER = "paper", _("paper")
    EMAIL = "email", _("e-mail")


class ResponseQuerySet(ScopedQuerySet):
    teryt_field = "campaign__network__teryt_code"


class Response(models.Model):
    """One submitted questionnaire. It has no link to an invitation, a user or an address.
    `data` = {"asked": [question numbers shown], "answers": {"q1": ..., "q1_other": ..., ...}}."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="responses", verbose_name=_("campaign")
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE
    )
    data = models.JSONField(_("answers"))
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.campaign} #{self.pk}"


class SubmissionReceipt(models.Model):
    """Makes submission idempotent: the hash of a one-time form key (or invitation token) seen
    before. Holds no reference to the response."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("submission receipt")
        verbose_name_plural = _("submission receipts")

    def __str__(self) -> str:
        return self.key_hash[:12]


class Draft(models.Model):
    """A respondent's saved, unsubmitted answers, keyed by the hash of their link or draft key."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="drafts")
    key_hash = models.CharField(max_length=64, unique=True)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.key_hash[:12]}"


class RateLimitCounter(models.Model):
    """A fixed-window counter of the survey rate limit (``surveys.ratelimit``), updated by one
    atomic upsert. The key is a keyed hash of the scope and the client address (or invitation):
    no address is stored."""

    key_hash = models.CharField(max_length=64, primary_key=True)
    window_start = models.BigIntegerField(help_text="Unix time of the window's first hit.")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")

    def __str__(self) -> str:
        return f"{self.key_hash[:12]}: {self.hits}"


class CodeCategory(models.Model):
    """A category for coding free-text answers of one question of a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="code_categories")
    field = models.CharField(_("field"), max_length=32, help_text=_("E.g. q6 or q2_f."))
    name = models.CharField(_("category"), max_length=255)

    class Meta:
        ordering = ["field", "name"]
        verbose_name = _("code category")
        verbose_name_plural = _("code categories")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "field", "name"], name="one_category_name")
        ]

    def __str__(self) -> str:
        return self.name


class Coding(models.Model):
    """One free-text item of a response put in a category."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="codings")
    field = models.CharField(_("field"), max_length=32)
    item = models.PositiveSmallIntegerField(_("item"), default=0)
    category = models.ForeignKey(CodeCategory, on_delete=models.CASCADE, related_name="codings")

    class Meta:
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "field", "item", "category"], name="one_coding_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field}[{self.item}] → {self.category_id}"


class InterviewKind(models.TextChoices):
    IDI = "IDI", _("IDI – individual in-depth interview")
    FGI = "FGI", _("FGI – focus group interview")


class InterviewGuide(models.Model):
    """A guide with timed parts and questions: parts = [{"part", "minutes", "notes", "questions"}]."""

    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interview_guides",
        verbose_name=_("LSR"),
    )
    kind = models.CharField(_("kind"), max_length=3, choices=InterviewKind.choices)
    title = models.CharField(_("title"), max_length=255)
    parts = models.JSONField(_("parts"), default=list)
    rules = models.TextField(_("rules"), blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    is_default = models.BooleanField(_("default guide"), default=False)

    class Meta:
        ordering = ["-is_default", "title"]
        verbose_name = _("interview guide")
        verbose_name_plural = _("interview guides")

    def __str__(self) -> str:
        return self.title

    @property
    def total_minutes(self) -> int:
        return sum(int(p.get("minutes") or 0) for p in self.parts)


class InterviewQuerySet(ScopedQuerySet):
    teryt_field = "network__teryt_code"


class Interview(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("LSR")
    )
    guide = models.ForeignKey(
        InterviewGuide, on_delete=models.PROTECT, related_name="interviews", verbose_name=_("guide")
    )
    kind = models.CharField(_("kind"), max_length=3, choices=InterviewKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
        verbose_name=_("stakeholder organisation"),
    )
    moderator = models.CharField(_("moderator"), max_length=128)
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    consent_recorded = models.BooleanField(_("participants' consent recorded"), default=False)
    notes = models.JSONField(_("notes per guide question"), default=dict, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    objects = InterviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self) -> str:
        return f"{self.kind} {self.held_on:%d.%m.%Y}"


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other / not given")


class AgeBand(models.TextChoices):
    UP_TO_25 = "-25", _("up to 25")
    B26_40 = "26-40", _("26–40")
    B41_60 = "41-60", _("41–60")
    OVER_60 = "61+", _("over 60")


class ParticipantRole(models.TextChoices):
    MANAGER = "manager", _("manager")
    SUBSTANTIVE = "substantive", _("substantive worker")
    RESIDENT = "resident", _("resident / other")


class Participant(models.Model):
    """An interviewee. Personal data are for the research team only and can be anonymised (RODO)."""

    interview = models.ForeignKey(
        Interview,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("interview"),
    )
    name = models.CharField(_("first and last name"), max_length=128, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices)
    position = models.CharField(
        _("position in the institution or social status in the gmina"), max_length=255
    )
    years_in_gmina = models.PositiveSmallIntegerField(
        _("years of residence in the gmina"), null=True, blank=True
    )
    role = models.CharField(
        _("role"), max_length=16, choices=ParticipantRole.choices, default=ParticipantRole.RESIDENT
    )

    history = HistoricalRecords(excluded_fields=["name"])

    class Meta:
        ordering = ["interview", "id"]
        verbose_name = _("interview participant")
        verbose_name_plural = _("interview participants")

    def __str__(self) -> str:
        return self.name or str(_("anonymised participant"))
