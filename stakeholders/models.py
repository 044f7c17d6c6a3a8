from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ksr_portal.core.scoping import NATIONAL, Scope, ScopedQuerySet, scope_of

from .roles import Role, roles_at_tier
from .validators import validate_krs, validate_nip, validate_regon


class GminaKind(models.TextChoices):
    URBAN = "1", _("urban gmina")
    RURAL = "2", _("rural gmina")
    URBAN_RURAL = "3", _("urban-rural gmina")


class VoivodeshipQuerySet(ScopedQuerySet):
    teryt_field = "code"


class Voivodeship(models.Model):
    """Województwo; TERYT code of 2 digits (``06`` lubelskie)."""

    code = models.CharField(_("TERYT code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=64)

    objects = VoivodeshipQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("voivodeship")
        verbose_name_plural = _("voivodeships")

    def __str__(self) -> str:
        return self.name


class CountyQuerySet(ScopedQuerySet):
    teryt_field = "code"


class County(models.Model):
    """Powiat; TERYT code of 4 digits (``0603`` powiat chełmski)."""

    code = models.CharField(_("TERYT code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=128)
    voivodeship = models.ForeignKey(
        Voivodeship,
        on_delete=models.PROTECT,
        related_name="counties",
        verbose_name=_("voivodeship"),
    )

    objects = CountyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        indexes = [
            models.Index(
                fields=["code"], name="county_code_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return self.name


class GminaQuerySet(ScopedQuerySet):
    teryt_field = "code"

    def in_voivodeship(self, code: str) -> "GminaQuerySet":
        return self.filter(code__startswith=code)


class Gmina(models.Model):
    """Gmina (municipality); TERYT code of 7 digits: voivodeship, county, gmina, kind."""

    code = models.CharField(_("TERYT code"), max_length=7, unique=True)
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("gmina kind"), max_length=1, choices=GminaKind.choices)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="gminas", verbose_name=_("county")
    )

    objects = GminaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("gmina")
        verbose_name_plural = _("gminas")
        indexes = [
            models.Index(
                fields=["code"], name="gmina_code_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def voivodeship_code(self) -> str:
        return self.code[:2]


class PortalUserManager(UserManager["User"]):
    def get_queryset(self) -> models.QuerySet["User"]:
        return super().get_queryset().select_related("voivodeship")


class User(AbstractUser):
    """A portal user; the role decides the capabilities, the scope fields where they apply."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.ANIMATOR)
    gminas = models.ManyToManyField(
        Gmina,
        blank=True,
        related_name="animators",
        verbose_name=_("gminas"),
        help_text=_("For animators: the gmina(s) whose networks they run."),
    )
    voivodeship = models.ForeignKey(
        Voivodeship,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinators",
        verbose_name=_("voivodeship"),
        help_text=_("For ROPS coordinators: the voivodeship they review."),
    )
    function = models.CharField(_("function"), max_length=128, blank=True)
    organisation = models.ForeignKey(
        "Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("organisation"),
        help_text=_("For partner representatives: the organisation they speak for."),
    )

    objects: ClassVar[PortalUserManager] = PortalUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    def organisation_ids(self) -> tuple[int, ...]:
        """For partner representatives: the organisations they speak for."""
        return (self.organisation_id,) if self.organisation_id else ()

    def get_scope(self) -> Scope:
        if self.is_superuser or self.role in (Role.KSR, Role.ADMIN):
            return NATIONAL
        if self.role == Role.ROPS:
            return Scope(prefixes=(self.voivodeship.code,) if self.voivodeship is not None else ())
        if self.role == Role.ANIMATOR:
            return Scope(prefixes=tuple(self.gminas.values_list("code", flat=True)))
        if self.role == Role.PARTNER:
            return Scope(prefixes=(), organisation_ids=self.organisation_ids())
        return Scope()

    def has_capability(self, capability: str, tier: str | None = None) -> bool:
        """The role has the capability (on a network of ``tier``, when given: see
        ``roles_at_tier``). Where it may be used is ``networks.selectors.may``."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return self.role in roles_at_tier(capability, tier)


class StakeholderType(models.TextChoices):
    A = "A", _("A – reintegration is the main statutory aim")
    B = "B", _("B – reintegration is one of the statutory aims")
    C = "C", _("C – reintegration is not a statutory aim, but offers usable services")


STAKEHOLDER_TYPE_HELP = _(
    "A: reintegration is the MAIN statutory aim (KIS, CIS, social cooperatives, reintegration "
    "NGOs). B: reintegration is ONE OF the statutory aims (OPS, PUP, NGOs working for excluded "
    "people). C: reintegration is NOT a statutory aim, but it provides services reintegrated "
    "people can use (culture, education, health, sport, local employers, other NGOs)."
)


class InstitutionKind(models.TextChoices):
    KIS = "kis", _("Social integration club (KIS)")
    CIS = "cis", _("Social integration centre (CIS)")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise / social cooperative")
    ADMINISTRATION = "administration", _("Administration")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance institution")
    LABOUR_OFFICE = "labour_office", _("Labour office (PUP)")
    EDUCATION = "education", _("Education institution")
    CULTURE = "culture", _("Culture and national heritage institution")
    HEALTH = "health", _("Health care and prevention institution")
    SPORT = "sport", _("Sport and recreation institution")
    BUSINESS = "business", _("Business")
    CHURCH = "church", _("Church legal person")
    NGO = "ngo", _("Non-governmental organisation")
    COUNCIL = "council", _("Local government body (gmina council)")
    OUTSIDE = "outside", _("Institution from outside the gmina")
    ROWR = "rowr", _("Regional cooperation centre for reintegration (ROWR)")
    NATIONAL_CENTRE = "national_centre", _("National cooperation centre for reintegration")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    PUBLIC = "public", _("public (local government)")
    NGO = "ngo", _("non-governmental")
    BUSINESS = "business", _("business")
    CHURCH = "church", _("church")
    OTHER = "other", _("other")


class OperatingScope(models.TextChoices):
    LOCAL = "local", _("local")
    COUNTY = "county", _("county")
    REGIONAL = "regional", _("regional")
    NATIONAL = "national", _("national")


class OrganisationQuerySet(ScopedQuerySet):
    teryt_field = "gmina__code"
    organisation_field = "pk"

    def for_user(self, user: Any) -> "OrganisationQuerySet":
        """Organisations of the user's territory, plus those that are members of networks in it
        (supra-local members from elsewhere)."""
        scope = scope_of(user)
        own = super().for_user(user)
        if scope.is_national:
            return own
        via_networks = self.model._default_manager.filter(
            scope.q("memberships__network__teryt_code")
        ).values("pk")
        return self.filter(Q(pk__in=own.values("pk")) | Q(pk__in=via_networks))

    def of_type(self, stakeholder_type: str) -> "OrganisationQuerySet":
        return self.filter(stakeholder_type=stakeholder_type)

    def supra_local(self) -> "OrganisationQuerySet":
        return self.exclude(operating_scope=OperatingScope.LOCAL)


class Organisation(models.Model):
    """An institution or body that can be a stakeholder (type A, B or C) of networks."""

    _history_user: "User"  # read by simple_history when the organisation is saved

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    stakeholder_type = models.CharField(
        _("stakeholder type"),
        max_length=1,
        choices=StakeholderType.choices,
        help_text=STAKEHOLDER_TYPE_HELP,
    )
    institution_kind = models.CharField(
        _("institution kind"), max_length=32, choices=InstitutionKind.choices
    )
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    legal_form = models.CharField(
        _("legal form"),
        max_length=128,
        blank=True,
        help_text=_("E.g. association, social cooperative, gmina budget unit."),
    )
    operating_scope = models.CharField(
        _("scope of activity"),
        max_length=16,
        choices=OperatingScope.choices,
        default=OperatingScope.LOCAL,
        help_text=_("Organisations working beyond one gmina are supra-local."),
    )
    street = models.CharField(_("street and number"), max_length=128, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("town"), max_length=64, blank=True)
    gmina = models.ForeignKey(
        Gmina, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("gmina")
    )
    nip = models.CharField(_("NIP"), max_length=13, blank=True, validators=[validate_nip])
    regon = models.CharField(_("REGON"), max_length=17, blank=True, validators=[validate_regon])
    krs = models.CharField(_("KRS number"), max_length=10, blank=True, validators=[validate_krs])
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["nip"]), models.Index(fields=["gmina", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def is_supra_local(self) -> bool:
        return self.operating_scope != OperatingScope.LOCAL

    @property
    def is_kis(self) -> bool:
        return (
            self.stakeholder_type == StakeholderType.A
            and self.institution_kind == InstitutionKind.KIS
        )


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("consent of the person (art. 6(1)(a) GDPR)")
    PUBLIC_TASK = "public_task", _("public task (art. 6(1)(e) GDPR)")
    LEGITIMATE_INTEREST = "legitimate_interest", _("legitimate interest (art. 6(1)(f) GDPR)")


class ContactPerson(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("first and last name"), max_length=128)
    function = models.CharField(_("function"), max_length=128, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    legal_basis = models.CharField(
        _("legal basis for processing"),
        max_length=32,
        choices=LegalBasis.choices,
        help_text=_("Why the portal may keep this person's data (GDPR/RODO)."),
    )
    consent_date = models.DateField(
        _("date of consent"),
        null=True,
        blank=True,
        help_text=_("Required when the basis is consent."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(legal_basis="consent") | models.Q(consent_date__isnull=False),
                name="contact_consent_has_date",
                violation_error_message=_("Give the date of consent."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.function})" if self.function else self.name
