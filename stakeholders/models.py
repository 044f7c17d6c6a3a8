from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ksr_portal.scoping import NATIONAL, Scope, ScopedQuerySet

from .roles import CAPABILITIES, Role


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


class PortalUserManager(UserManager):
    def get_queryset(self):
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

    objects = PortalUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    def organisation_ids(self) -> tuple[int, ...]:
        """Hook for partner representatives: the organisations they speak for."""
        return ()

    def get_scope(self) -> Scope:
        if self.is_superuser or self.role in (Role.KSR, Role.ADMIN):
            return NATIONAL
        if self.role == Role.ROPS:
            return Scope(prefixes=(self.voivodeship.code,) if self.voivodeship_id else ())
        if self.role == Role.ANIMATOR:
            return Scope(prefixes=tuple(self.gminas.values_list("code", flat=True)))
        if self.role == Role.PARTNER:
            return Scope(prefixes=(), organisation_ids=self.organisation_ids())
        return Scope()

    def has_capability(self, capability: str) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return self.role in CAPABILITIES[capability]
