"""One-time invitation links with Django's token machinery (the one of password resets)."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """A token bound to one sending of one invitation: resending, accepting or revoking it
    changes the hash, so every earlier link stops working."""

    key_salt = "ksr_portal.accounts.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, invitation, timestamp):
        return (
            f"{invitation.pk}|{invitation.email}|{invitation.sent_at.timestamp()}|"
            f"{invitation.accepted_at}|{invitation.revoked_at}|{timestamp}"
        )

    def _timestamp(self, invitation, token) -> int | None:
        """The token's timestamp when its signature is genuine for this invitation."""
        if not (invitation and token):
            return None
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return None
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(
                self._make_token_with_timestamp(invitation, ts, secret), token
            ):
                return ts
        return None

    def is_genuine(self, invitation, token) -> bool:
        """Issued for this sending of this invitation, however long ago."""
        return self._timestamp(invitation, token) is not None

    def check_token(self, invitation, token):
        ts = self._timestamp(invitation, token)
        if ts is None:
            return False
        timeout = settings.INVITATION_TIMEOUT_DAYS * 24 * 3600
        return (self._num_seconds(self._now()) - ts) <= timeout


invitation_token = InvitationTokenGenerator()


def encode_pk(pk: int) -> str:
    return urlsafe_base64_encode(force_bytes(pk))


def decode_pk(uidb64: str) -> int | None:
    try:
        return int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
