"""The public body's legal pages: the accessibility statement (deklaracja dostępności, ustawa
z 4 kwietnia 2019 r. o dostępności cyfrowej, art. 10–12, in the structure of the ministry's
template) and the RODO information clause (art. 13 RODO). One current row of each, edited by
the administrator in data administration; the migration seeds the defaults."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ComplianceStatus(models.TextChoices):
    COMPLIANT = "compliant", _("compliant")
    PARTIAL = "partial", _("partially compliant")
    NON_COMPLIANT = "non_compliant", _("not compliant")


class AccessibilityStatement(models.Model):
    entity = models.CharField(_("public body"), max_length=255)
    site_url = models.URLField(_("address of the website"))
    published_on = models.DateField(_("date the website was published"))
    updated_on = models.DateField(_("date of the last significant update"))
    status = models.CharField(
        _("compliance status"),
        max_length=16,
        choices=ComplianceStatus.choices,
        default=ComplianceStatus.PARTIAL,
    )
    non_accessible = models.TextField(
        _("content that is not accessible, and why"),
        blank=True,
        help_text=_("One item a line: what is not accessible and the reason (or the exemption)."),
    )
    prepared_on = models.DateField(_("date the statement was prepared"))
    reviewed_on = models.DateField(_("date the statement was last reviewed"))
    assessment = models.TextField(_("how accessibility was assessed"))
    contact_person = models.CharField(_("person to contact"), max_length=255)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telephone"), max_length=40)
    complaint_procedure = models.TextField(_("requests and complaints"))
    architecture = models.TextField(_("architectural accessibility"), blank=True)
    communication = models.TextField(_("communication accessibility"), blank=True)
    mobile_apps = models.TextField(_("mobile applications"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}: {self.entity}"

    @property
    def non_accessible_items(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.non_accessible.splitlines() if line.strip()]


class PrivacyNotice(models.Model):
    controller = models.TextField(_("controller of personal data"))
    data_protection_officer = models.TextField(_("data protection officer"), blank=True)
    personal_data = models.TextField(_("which personal data"))
    purposes = models.TextField(_("purposes and legal basis"))
    recipients = models.TextField(_("recipients"), blank=True)
    retention = models.TextField(_("how long the data are kept"))
    rights = models.TextField(_("the data subject's rights"))
    complaint = models.TextField(_("complaint to the supervisory authority"))
    updated_on = models.DateField(_("last updated"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("RODO information clause")
        verbose_name_plural = _("RODO information clauses")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
