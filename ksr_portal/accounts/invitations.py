"""Invitations down the tiers: who may invite whom, to what scope, and the lifecycle.

admin / KSR coordinator → ROPS coordinators (a voivodeship; the administrator also KSR
coordinators); ROPS coordinator → animators (gminas of their voivodeship); animator → partner
representatives (member organisations of their LSRs, the KIS among them). The scope is never
wider than the inviter's own. An address that already has an account gets the scope added."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ksr_portal.core.notifications.models import Kind
from ksr_portal.core.notifications.services import notify, portal_language
from ksr_portal.core.scoping import has_capability, scope_of
from networks.models import Membership, Network
from stakeholders.models import Gmina, Organisation, Voivodeship
from stakeholders.roles import Role

from .models import Invitation, InvitationStatus
from .tokens import invitation_token

User = get_user_model()


# --- who may invite whom ----------------------------------------------------------------------


def invitable_roles(inviter: Any) -> list[Role]:
    if not has_capability(inviter, "invite_users"):
        return []
    if inviter.is_superuser or inviter.role == Role.ADMIN:
        return [Role.ROPS, Role.KSR]
    return {
        Role.KSR: [Role.ROPS],
        Role.ROPS: [Role.ANIMATOR],
        Role.ANIMATOR: [Role.PARTNER],
    }.get(inviter.role, [])


def invitable_voivodeships(inviter: Any) -> QuerySet[Voivodeship]:
    return Voivodeship.objects.for_user(inviter).order_by("code")


def invitable_gminas(inviter: Any) -> QuerySet[Gmina]:
    return Gmina.objects.for_user(inviter).order_by("code")


def invitable_organisations(inviter: Any) -> QuerySet[Organisation]:
    """Active members of the LSRs in the inviter's territory (the KIS among them)."""
    scope = scope_of(inviter)
    networks = Network.objects.filter(scope.q("teryt_code"))
    members = Membership.objects.active().filter(network__in=networks).values("organisation_id")
    return Organisation.objects.filter(pk__in=members).order_by("name")


@dataclass
class Target:
    """What an invitation grants: a role and its scope."""

    role: str
    voivodeship: Voivodeship | None = None
    gminas: list[Gmina] = field(default_factory=list)
    organisation: Organisation | None = None


def check_target(inviter: Any, target: Target) -> None:
    """Refuse a role the inviter may not give and any scope wider than the inviter's own."""
    roles = invitable_roles(inviter)
    if not roles:
        raise PermissionDenied
    if target.role not in roles:
        raise ValidationError({"role": _("You cannot invite people to this role.")})
    if target.role == Role.ROPS:
        if target.voivodeship is None:
            raise ValidationError({"voivodeship": _("Choose the voivodeship.")})
        if not invitable_voivodeships(inviter).filter(pk=target.voivodeship.pk).exists():
            raise ValidationError({"voivodeship": _("This voivodeship is outside your scope.")})
    if target.role == Role.ANIMATOR:
        if not target.gminas:
            raise ValidationError({"gminas": _("Choose at least one gmina.")})
        allowed = set(
            invitable_gminas(inviter)
            .filter(pk__in=[g.pk for g in target.gminas])
            .values_list("pk", flat=True)
        )
        outside = [g.name for g in target.gminas if g.pk not in allowed]
        if outside:
            raise ValidationError(
                {
                    "gminas": _("These gminas are outside your scope: %(names)s.")
                    % {"names": ", ".join(outside)}
                }
            )
    if target.role == Role.PARTNER:
        if target.organisation is None:
            raise ValidationError({"organisation": _("Choose the organisation.")})
        if not invitable_organisations(inviter).filter(pk=target.organisation.pk).exists():
            raise ValidationError(
                {
                    "organisation": _(
                        "You can invite representatives only of active members of your LSRs."
                    )
                }
            )


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    return email


def _grant(user: Any, target: Target) -> None:
    """Add the target's scope to an existing account (one person, one account, one role)."""
    if user.role != target.role and not (user.is_superuser and target.role == Role.KSR):
        raise ValidationError(
            {
                "email": _(
                    "This address already has an account with the role “%(role)s”; one account "
                    "has one role. Ask the administrator."
                )
                % {"role": user.get_role_display()}
            }
        )
    already = ValidationError({"email": _("This person already has this access.")})
    if target.role == Role.ANIMATOR:
        have = set(user.gminas.values_list("pk", flat=True))
        new = [g for g in target.gminas if g.pk not in have]
        if not new and user.is_active:
            raise already
        user.gminas.add(*new)
    elif target.role == Role.ROPS:
        assert target.voivodeship is not None  # check_target requires it for the role
        if user.voivodeship_id == target.voivodeship.pk and user.is_active:
            raise already
        if user.voivodeship_id and user.voivodeship_id != target.voivodeship.pk:
            raise ValidationError(
                {"email": _("This person already coordinates another voivodeship.")}
            )
        user.voivodeship = target.voivodeship
    elif target.role == Role.PARTNER:
        assert target.organisation is not None  # check_target requires it for the role
        if user.organisation_id == target.organisation.pk and user.is_active:
            raise already
        if user.organisation_id and user.organisation_id != target.organisation.pk:
            raise ValidationError(
                {"email": _("This person already represents another organisation.")}
            )
        user.organisation = target.organisation
    elif user.is_active:
        raise already
    user.is_active = True
    user.save()


def _send_invitation_on_commit(invitation: Invitation) -> None:
    from .tasks import send_invitation

    pk = invitation.pk
    transaction.on_commit(lambda: send_invitation.enqueue(pk))


@portal_language
def _tell_access_added(user: Any, target: Target, inviter: Any) -> None:
    notify(
        recipients=[user],
        kind=Kind.ACCESS,
        title=_("You have been given access: %(scope)s") % {"scope": describe_target(target)},
        body=_("Granted by %(name)s. Log in to the portal with your existing account.")
        % {"name": inviter.get_full_name() or inviter.username},
        url=reverse("home"),
    )


def describe_target(target: Target) -> str:
    if target.role == Role.ROPS and target.voivodeship:
        return f"{Role(target.role).label} – {target.voivodeship.name}"
    if target.role == Role.ANIMATOR:
        return f"{Role(target.role).label} – " + ", ".join(g.name for g in target.gminas)
    if target.role == Role.PARTNER and target.organisation:
        return f"{Role(target.role).label} – {target.organisation.name}"
    return str(Role(target.role).label)


def target_of(invitation: Invitation) -> Target:
    return Target(
        role=invitation.role,
        voivodeship=invitation.voivodeship,
        gminas=list(invitation.gminas.all()),
        organisation=invitation.organisation,
    )


@transaction.atomic
def invitation_create(
    *, inviter: Any, email: str, first_name: str = "", last_name: str = "", target: Target
) -> Invitation:
    """Invite one person. An address with an account gets the scope added at once (and is told);
    otherwise the e-mail with a one-time link goes out when the transaction commits."""
    email = _clean_email(email)
    check_target(inviter, target)
    now = timezone.now()
    existing = User.objects.filter(email__iexact=email).order_by("pk").first()
    invitation = Invitation(
        email=email,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        role=target.role,
        voivodeship=target.voivodeship if target.role == Role.ROPS else None,
        organisation=target.organisation if target.role == Role.PARTNER else None,
        invited_by=inviter,
        sent_at=now,
    )
    if existing is not None:
        _grant(existing, target)
        invitation.user = existing
        invitation.accepted_at = now
        invitation.save()
        invitation.gminas.set(target.gminas if target.role == Role.ANIMATOR else [])
        _tell_access_added(existing, target, inviter)
        return invitation
    open_ones = Invitation.objects.select_for_update().filter(
        email=email,
        role=target.role,
        voivodeship=invitation.voivodeship,
        organisation=invitation.organisation,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    )
    for old in open_ones:
        if old.status == InvitationStatus.PENDING:
            raise ValidationError(
                {"email": _("This person has already been invited; resend the invitation.")},
                code="already_invited",
            )
        old.revoked_at = now  # an expired one is superseded by the new invitation
        old.save(update_fields=["revoked_at"])
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # a concurrent (double-clicked) invitation won the race
        raise ValidationError(
            {"email": _("This person has already been invited; resend the invitation.")},
            code="already_invited",
        ) from None
    invitation.gminas.set(target.gminas if target.role == Role.ANIMATOR else [])
    _send_invitation_on_commit(invitation)
    return invitation


def _locked(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update().get(pk=invitation.pk)


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """A new link (the old one stops working) and seven more days."""
    invitation = _locked(invitation)
    if invitation.status not in (InvitationStatus.PENDING, InvitationStatus.EXPIRED):
        raise ValidationError(_("Only a pending or expired invitation can be sent again."))
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    _send_invitation_on_commit(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    invitation = _locked(invitation)
    if invitation.status not in (InvitationStatus.PENDING, InvitationStatus.EXPIRED):
        raise ValidationError(_("Only a pending or expired invitation can be revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


class LinkProblem:
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"


def invitation_link_problem(invitation: Invitation | None, token: str) -> str | None:
    """Why a link cannot be used (None: it can)."""
    if invitation is None:
        return LinkProblem.INVALID
    if invitation.accepted_at is not None:
        return LinkProblem.USED
    if invitation.revoked_at is not None:
        return LinkProblem.REVOKED
    if not invitation_token.check_token(invitation, token):
        # a genuine but old link (resent since, or past seven days) reads as expired
        return (
            LinkProblem.EXPIRED
            if invitation_token.is_genuine(invitation, token)
            else LinkProblem.INVALID
        )
    if invitation.expires_at <= timezone.now():
        return LinkProblem.EXPIRED
    return None


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, token: str, password: str, first_name: str, last_name: str
) -> Any:
    """Create the account with the password the person set; the inviter is told."""
    invitation = _locked(invitation)
    problem = invitation_link_problem(invitation, token)
    if problem is not None:
        raise ValidationError(_("This invitation link can no longer be used."), code=problem)
    target = target_of(invitation)
    now = timezone.now()
    existing = User.objects.filter(email__iexact=invitation.email).order_by("pk").first()
    if existing is not None:  # an account was made for the address meanwhile
        _grant(existing, target)
        user = existing
    else:
        username = invitation.email
        if User.objects.filter(username__iexact=username).exists():
            username = f"{invitation.email[:130]}-{invitation.pk}"  # the address is someone's login
        user = User(
            username=username,
            email=invitation.email,
            first_name=(first_name or invitation.first_name).strip(),
            last_name=(last_name or invitation.last_name).strip(),
            role=target.role,
            voivodeship=target.voivodeship if target.role == Role.ROPS else None,
            organisation=target.organisation if target.role == Role.PARTNER else None,
        )
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        if target.role == Role.ANIMATOR:
            user.gminas.set(target.gminas)
    invitation.user = user
    invitation.accepted_at = now
    invitation.save(update_fields=["user", "accepted_at"])
    _tell_accepted(invitation, user)
    return user


@portal_language
def _tell_accepted(invitation: Invitation, user: Any) -> None:
    notify(
        recipients=[invitation.invited_by],
        kind=Kind.INVITATION_ACCEPTED,
        title=_("%(name)s accepted your invitation") % {"name": user.get_full_name() or user.email},
        body=describe_target(target_of(invitation)),
        url=reverse("accounts:invitation_list") + "?status=accepted",
        event_key=f"invitation-accepted:{invitation.pk}",
    )


def has_any_scope(user: Any) -> bool:
    if hasattr(user, "_ksr_scope"):
        del user._ksr_scope
    scope = user.get_scope()
    return scope.is_national or bool(scope.prefixes) or bool(scope.organisation_ids)


@transaction.atomic
def access_withdraw(*, invitation: Invitation) -> bool:
    """Take back the scope an accepted invitation granted. Returns True when the account is
    left with no scope: it is then deactivated and the person told by e-mail."""
    invitation = _locked(invitation)
    if invitation.status != InvitationStatus.ACCEPTED or invitation.user is None:
        raise ValidationError(_("Only the access of an accepted invitation can be withdrawn."))
    user = User.objects.select_for_update(of=("self",)).get(pk=invitation.user.pk)
    if invitation.role == Role.ANIMATOR:
        user.gminas.remove(*invitation.gminas.all())
    elif invitation.role == Role.ROPS and user.voivodeship_id == invitation.voivodeship_id:
        user.voivodeship = None
    elif invitation.role == Role.PARTNER and user.organisation_id == invitation.organisation_id:
        user.organisation = None
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    deactivated = not user.is_superuser and not has_any_scope(user)
    if deactivated:
        user.is_active = False
    user.save()
    if deactivated:
        from .tasks import send_deactivation_notice

        pk = user.pk
        transaction.on_commit(lambda: send_deactivation_notice.enqueue(pk))
    return deactivated


# --- bulk -------------------------------------------------------------------------------------


@dataclass
class BulkRow:
    number: int
    email: str
    first_name: str
    last_name: str
    scope: str
    target: Target | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for messages in error.message_dict.values() for m in messages]
    return [str(m) for m in error.messages]


def bulk_role(inviter: Any) -> str | None:
    """The role a bulk file invites to: the next tier down."""
    roles = invitable_roles(inviter)
    return roles[0] if roles else None


def _target_from_scope(inviter: Any, role: str, scope: str) -> Target:
    scope = scope.strip()
    if role == Role.ROPS:
        voivodeship = Voivodeship.objects.filter(code=scope).first()
        if voivodeship is None:
            raise ValidationError(
                _("No voivodeship with the TERYT code “%(code)s”.") % {"code": scope}
            )
        return Target(role=role, voivodeship=voivodeship)
    if role == Role.ANIMATOR:
        codes = [c.strip() for c in scope.replace(";", ",").split(",") if c.strip()]
        gminas = list(Gmina.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {g.code for g in gminas})
        if missing or not codes:
            raise ValidationError(
                _("No gmina with the TERYT code “%(code)s”.")
                % {"code": ", ".join(missing) or scope}
            )
        return Target(role=role, gminas=gminas)
    organisations = invitable_organisations(inviter)
    digits = scope.replace("-", "").replace(" ", "")
    found = list(organisations.filter(nip=digits)[:2]) if digits.isdigit() else []
    if not found:
        found = list(organisations.filter(name__iexact=scope)[:2])
    if len(found) != 1:
        raise ValidationError(
            _("No single member organisation of your LSRs with the NIP or name “%(value)s”.")
            % {"value": scope}
        )
    return Target(role=role, organisation=found[0])


def bulk_validate(*, inviter: Any, records: Iterable[dict]) -> list[BulkRow]:
    """Check every row without writing anything: a per-row list of problems."""
    role = bulk_role(inviter)
    if role is None:
        raise PermissionDenied
    rows: list[BulkRow] = []
    seen: dict[str, int] = {}
    for record in records:
        row = BulkRow(
            number=record["row"],
            email=(record.get("email") or "").strip().lower(),
            first_name=(record.get("first_name") or "").strip(),
            last_name=(record.get("last_name") or "").strip(),
            scope=(record.get("scope") or "").strip(),
        )
        rows.append(row)
        try:
            row.email = _clean_email(row.email)
        except ValidationError as exc:
            row.errors += _messages(exc)
        if row.email in seen:
            row.errors.append(
                _("The same address is already in row %(row)s.") % {"row": seen[row.email]}
            )
        else:
            seen[row.email] = row.number
        if not row.scope:
            row.errors.append(_("The scope column is empty."))
            continue
        try:
            row.target = _target_from_scope(inviter, role, row.scope)
            check_target(inviter, row.target)
        except ValidationError as exc:
            row.errors += _messages(exc)
            continue
        if (
            Invitation.objects.pending()
            .filter(
                email=row.email,
                role=role,
                voivodeship=row.target.voivodeship if role == Role.ROPS else None,
                organisation=row.target.organisation if role == Role.PARTNER else None,
            )
            .exists()
        ):
            row.errors.append(_("This person has already been invited; resend the invitation."))
    return rows


def bulk_send(*, inviter: Any, rows: list[BulkRow]) -> tuple[int, list[BulkRow]]:
    """Invite every valid row, each in its own transaction; rows refused now are returned."""
    sent, refused = 0, []
    for row in rows:
        if not row.is_valid or row.target is None:
            continue
        try:
            invitation_create(
                inviter=inviter,
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                target=row.target,
            )
            sent += 1
        except ValidationError as exc:
            row.errors += _messages(exc)
            refused.append(row)
    return sent, refused
