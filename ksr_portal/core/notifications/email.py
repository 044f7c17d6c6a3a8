"""The e-mails of notifications: one at once, or a daily digest; Polish HTML and plain text."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ksr_portal.core.ical import absolute

from .models import Delivery, Kind, Notification, Preference
from .services import unsubscribe_token


def _unsubscribe_url(user: Any, kind: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)]))


def _preference(user: Any) -> Preference:
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


def _send(user: Any, subject: str, template: str, context: dict, ics: str = "") -> None:
    context = {
        "user": user,
        "portal_url": settings.PORTAL_URL,
        "notifications_url": absolute(reverse("notifications:list")),
        **context,
    }
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    if ics:
        message.attach("posiedzenie.ics", ics, "text/calendar; method=PUBLISH")
    message.send()


def deliver_now(notification_ids: list[int]) -> int:
    """E-mail the notifications whose recipients want them at once; each is sent only once."""
    sent = 0
    notifications = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient", "recipient__notification_preference")
    with translation.override(settings.LANGUAGE_CODE):
        for notification in notifications:
            user = notification.recipient
            preference = _preference(user)
            if not user.email or not user.is_active or not preference.emails(notification.kind):
                continue
            if preference.delivery != Delivery.IMMEDIATE:
                continue
            claimed = Notification.objects.filter(
                pk=notification.pk, emailed_at__isnull=True
            ).update(emailed_at=timezone.now())
            if not claimed:
                continue
            _send(
                user,
                notification.title,
                "notification",
                {
                    "notification": notification,
                    "link": absolute(notification.url),
                    "unsubscribe_url": _unsubscribe_url(user, notification.kind),
                    "kind_label": Kind(notification.kind).label,
                },
                ics=notification.ics,
            )
            sent += 1
    return sent


def send_digests() -> int:
    """One e-mail per person who asked for a daily digest, with what they were not yet sent."""
    user_model = get_user_model()
    pending = Notification.objects.filter(
        emailed_at__isnull=True,
        recipient__is_active=True,
        recipient__notification_preference__delivery=Delivery.DIGEST,
    )
    users = user_model._default_manager.filter(pk__in=pending.values("recipient_id")).exclude(
        email=""
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in users.select_related("notification_preference"):
            preference = _preference(user)
            with transaction.atomic():
                items = list(
                    pending.filter(recipient=user)
                    .select_for_update(skip_locked=True, of=("self",))
                    .order_by("created_at", "pk")
                )
                items = [n for n in items if preference.emails(n.kind)]
                if not items:
                    continue
                Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                    emailed_at=timezone.now()
                )
                kinds = sorted({n.kind for n in items})
                _send(
                    user,
                    _("KSR Portal: your daily digest (%(count)s)") % {"count": len(items)},
                    "digest",
                    {
                        "items": [(n, absolute(n.url)) for n in items],
                        "unsubscribe": [(Kind(k).label, _unsubscribe_url(user, k)) for k in kinds],
                    },
                )
            sent += 1
    return sent
