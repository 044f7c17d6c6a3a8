"""Writes of the notification mechanism: record, mark read, preferences, unsubscribe.

``notify`` is the one entry point for every event of the portal. It records one notification
per recipient inside the caller's transaction and defers the e-mail to the task worker on commit,
so a rolled-back change tells nobody."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.utils import timezone, translation

from .models import Kind, Notification, Preference

P = ParamSpec("P")
R = TypeVar("R")
UNSUBSCRIBE_SALT = "ksr.notifications.unsubscribe"


def portal_language(function: Callable[P, R]) -> Callable[P, R]:
    """Texts of notifications are stored in the portal's language (Polish), whoever caused them."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def _may_see(user: Any, about: models.Model | None) -> bool:
    """The recipient lies in the scope of the object they are told about."""
    if about is None:
        return True
    queryset = type(about)._default_manager.all()
    if not hasattr(queryset, "for_user"):
        return True
    return queryset.for_user(user).filter(pk=about.pk).exists()


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    about: models.Model | None = None,
    event_key: str = "",
    ics: str = "",
) -> list[Notification]:
    """Tell ``recipients`` about an event. Inactive accounts and anyone outside the scope of
    ``about`` are skipped; an ``event_key`` already told to a person is not told again."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if event_key and people:
        told = set(
            Notification.objects.filter(recipient_id__in=people, event_key=event_key).values_list(
                "recipient_id", flat=True
            )
        )
        people = {pk: user for pk, user in people.items() if pk not in told}
    chosen = [user for user in people.values() if _may_see(user, about)]
    created = [
        Notification.objects.create(
            recipient=user,
            kind=kind,
            title=str(title)[:255],
            body=str(body),
            url=url,
            event_key=event_key,
            ics=ics,
        )
        for user in chosen
    ]
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _enqueue_delivery(ids))
    return created


def _enqueue_delivery(ids: list[int]) -> None:
    from .tasks import deliver

    deliver.enqueue(ids)


def notification_mark_read(*, user: Any, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())


def preference_for(user: Any) -> Preference:
    preference, _created = Preference.objects.get_or_create(user=user)
    return preference


def preference_save(*, user: Any, delivery: str, muted_kinds: Iterable[str]) -> Preference:
    preference = preference_for(user)
    preference.delivery = delivery
    preference.muted_kinds = sorted(k for k in set(muted_kinds) if k in Kind.values)
    preference.full_clean()
    preference.save()
    return preference


def unsubscribe_token(user: Any, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """The user id and kind of an unsubscribe link, or None when the link was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in Kind.values:
        return None
    return int(data["u"]), data["k"]


@transaction.atomic
def unsubscribe(*, user_id: int, kind: str) -> Preference:
    preference, _created = Preference.objects.select_for_update().get_or_create(user_id=user_id)
    if kind not in preference.muted_kinds:
        preference.muted_kinds = sorted([*preference.muted_kinds, kind])
        preference.save(update_fields=["muted_kinds"])
    return preference
