from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from networks.models import Network
from stakeholders.models import Voivodeship


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("being prepared")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("LSR agreement")
    LETTERS = "letters", _("letters to members")
    BATCH = "batch", _("agreements of a voivodeship")


class DocumentJob(models.Model):
    """A large document (over ~50 pages) rendered by the task worker, not inside the request:
    the page shows its progress and offers the file when it is ready."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="document_jobs",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("LSR")
    )
    voivodeship = models.ForeignKey(
        Voivodeship, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("voivodeship")
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document job")
        verbose_name_plural = _("document jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
