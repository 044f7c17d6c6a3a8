"""Reads of notifications: a person sees only their own."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Notification


def notifications_for_user(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_get_for_user(*, user: Any, pk: int) -> Notification:
    return get_object_or_404(Notification, pk=pk, recipient=user)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user).unread().count()
