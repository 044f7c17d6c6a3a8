from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEED_ADDRESSED = "need_addressed", _("A need addressed to my organisation")
    NEED_ANSWERED = "need_answered", _("An offer or a decline on my need")
    ACTIVITY_ASSIGNED = "activity_assigned", _("Activities assigned to my organisation")
    ACTIVITY_OVERDUE = "activity_overdue", _("An overdue activity of my organisation")
    DEFICIENCY_OBLIGED = "deficiency_obliged", _("A deficiency obliging my organisation")
    DEFICIENCY_REMINDER = "deficiency_reminder", _("A deficiency deadline in 7 days")
    MEETING = "meeting", _("A meeting of my network scheduled or moved")
    MONITORING_DUE = "monitoring_due", _("A monitoring term due")
    AGREEMENT_CONSULTATION = "agreement_consultation", _("An agreement put to consultation")
    QUEUE_ITEM = "queue_item", _("A support request or escalated need in my queue")
    INVITATION_ACCEPTED = "invitation_accepted", _("An invitation of mine accepted")
    ACCESS = "access", _("My access to the portal changed")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("at once, one e-mail per notification")
    DIGEST = "digest", _("once a day, in a digest")
    NONE = "none", _("no e-mail, in the portal only")


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One thing one person is told; read in the portal, and e-mailed at once or in a digest."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # The same event told twice to one person is stored once (double clicks, daily sweeps).
    event_key = models.CharField(_("event"), max_length=200, blank=True)
    ics = models.TextField(_("calendar attachment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"],
                condition=~Q(event_key=""),
                name="notification_once_per_event",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """How a person wants to be told: e-mail at once, in a daily digest or not at all, and which
    kinds they have unsubscribed from."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    delivery = models.CharField(
        _("e-mail delivery"), max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    muted_kinds = models.JSONField(_("kinds without e-mail"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def emails(self, kind: str) -> bool:
        return self.delivery != Delivery.NONE and kind not in self.muted_kinds
