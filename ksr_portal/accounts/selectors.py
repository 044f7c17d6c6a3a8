"""Reads of accounts: an inviter sees the invitations they sent; the administrator sees all."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from stakeholders.models import Gmina
from stakeholders.roles import Role

from .models import Invitation, InvitationQuerySet, InvitationStatus, Profile


def _visible(user: Any) -> InvitationQuerySet:
    queryset = Invitation.objects.all()
    if not (user.is_superuser or user.role == Role.ADMIN):
        queryset = queryset.filter(invited_by=user)
    return queryset


def invitations_for_user(*, user: Any, status: str) -> QuerySet[Invitation]:
    queryset = _visible(user)
    if status == InvitationStatus.PENDING:
        queryset = queryset.pending()
    elif status == InvitationStatus.EXPIRED:
        queryset = queryset.expired()
    elif status == InvitationStatus.REVOKED:
        queryset = queryset.revoked()
    else:
        queryset = queryset.accepted()
    return queryset.select_related(
        "voivodeship", "organisation", "invited_by", "user"
    ).prefetch_related(Prefetch("gminas", queryset=Gmina.objects.order_by("code")))


def invitation_counts(*, user: Any) -> dict[str, int]:
    base = _visible(user)
    return {
        InvitationStatus.PENDING: base.pending().count(),
        InvitationStatus.ACCEPTED: base.accepted().count(),
        InvitationStatus.EXPIRED: base.expired().count(),
        InvitationStatus.REVOKED: base.revoked().count(),
    }


def invitation_get_for_user(*, user: Any, pk: int) -> Invitation:
    return get_object_or_404(_visible(user), pk=pk)


def invitation_for_link(uid_pk: int | None) -> Invitation | None:
    if uid_pk is None:
        return None
    return (
        Invitation.objects.select_related("voivodeship", "organisation", "invited_by")
        .filter(pk=uid_pk)
        .first()
    )


def profile_by_calendar_token(token: str) -> Profile | None:
    if not token:
        return None
    return (
        Profile.objects.select_related("user")
        .filter(calendar_token=token, user__is_active=True)
        .first()
    )
