from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Gmina, Organisation, Voivodeship
from stakeholders.roles import Role


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")
    WITHDRAWN = "withdrawn", _("access withdrawn")


def invitation_deadline(now=None):
    return (now or timezone.now()) - timedelta(days=settings.INVITATION_TIMEOUT_DAYS)


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, sent_at__gt=invitation_deadline()
        )

    def expired(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, sent_at__lte=invitation_deadline()
        )

    def accepted(self) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=False)

    def revoked(self) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=False)


class Invitation(models.Model):
    """An invitation of one person to one role and scope, set by the inviter."""

    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    voivodeship = models.ForeignKey(
        Voivodeship,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voivodeship"),
    )
    gminas = models.ManyToManyField(Gmina, blank=True, related_name="+", verbose_name=_("gminas"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("access withdrawn"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["invited_by", "accepted_at"])]
        constraints = [
            # one open invitation per address and scope: a double-clicked "send" sends once
            models.UniqueConstraint(
                fields=["email", "role", "voivodeship", "organisation"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                nulls_distinct=False,
                name="invitation_one_open_per_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def expires_at(self):
        return self.sent_at + timedelta(days=settings.INVITATION_TIMEOUT_DAYS)

    @property
    def status(self) -> str:
        if self.withdrawn_at:
            return InvitationStatus.WITHDRAWN
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return str(InvitationStatus(self.status).label)


class Profile(models.Model):
    """What a person keeps about themselves besides the account: phone, the calendar secret."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    calendar_token = models.CharField(_("calendar feed key"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar_token"],
                condition=~Q(calendar_token=""),
                name="profile_calendar_token_unique",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)
