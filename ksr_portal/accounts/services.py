"""Self-service writes: profile, e-mail change confirmed by e-mail, the calendar feed key."""

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Profile

EMAIL_CHANGE_SALT = "ksr.accounts.email_change"
EMAIL_CHANGE_MAX_AGE = 3 * 24 * 3600


def profile_for(user: Any) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_save(*, user: Any, first_name: str, last_name: str, phone: str) -> Profile:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    profile = profile_for(user)
    profile.phone = phone.strip()
    profile.full_clean()
    profile.save()
    return profile


def _address_taken(email: str, user: Any) -> bool:
    return (
        get_user_model()._default_manager.filter(email__iexact=email).exclude(pk=user.pk).exists()
    )


@transaction.atomic
def email_change_request(*, user: Any, new_email: str) -> str:
    """Send a confirmation link to the new address; nothing changes until it is opened."""
    new_email = (new_email or "").strip().lower()
    try:
        validate_email(new_email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if new_email == (user.email or "").lower():
        raise ValidationError({"email": _("This is already your address.")})
    if _address_taken(new_email, user):
        raise ValidationError({"email": _("Another account uses this address.")})
    token = signing.dumps(
        {"u": user.pk, "e": new_email, "o": user.email}, salt=EMAIL_CHANGE_SALT, compress=True
    )
    from .tasks import send_email_change

    pk = user.pk
    transaction.on_commit(lambda: send_email_change.enqueue(pk, new_email, token))
    return token


@transaction.atomic
def email_change_confirm(*, token: str) -> Any:
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("The confirmation link has expired. Ask for a new one.")) from None
    except signing.BadSignature:
        raise ValidationError(_("The confirmation link is not valid.")) from None
    user = (
        get_user_model()
        ._default_manager.select_for_update(of=("self",))
        .filter(pk=data.get("u"))
        .first()
    )
    if user is None or (user.email or "") != (data.get("o") or ""):
        raise ValidationError(_("The confirmation link has already been used or replaced."))
    new_email = data["e"]
    if _address_taken(new_email, user):
        raise ValidationError(_("Another account uses this address."))
    manager = get_user_model()._default_manager
    username_free = not manager.filter(username__iexact=new_email).exclude(pk=user.pk).exists()
    if user.username.lower() == (user.email or "").lower() and username_free:
        user.username = new_email  # invited accounts log in with their address
    user.email = new_email
    user.save(update_fields=["email", "username"])
    return user


def calendar_token_reset(*, user: Any) -> Profile:
    """A new secret feed address; the old one stops working at once."""
    profile = profile_for(user)
    profile.calendar_token = secrets.token_urlsafe(32)
    profile.save(update_fields=["calendar_token"])
    return profile


def calendar_token_revoke(*, user: Any) -> Profile:
    profile = profile_for(user)
    profile.calendar_token = ""
    profile.save(update_fields=["calendar_token"])
    return profile
