"""Polish registry identifiers: NIP and REGON check digits, KRS format."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)


def digits_only(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def _check(digits: str, weights: tuple[int, ...]) -> bool:
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=False))
    check = total % 11
    if check == 10:
        check = 0
    return check == int(digits[len(weights)])


def validate_nip(value: str) -> None:
    digits = digits_only(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(_("NIP must have 10 digits (dashes allowed)."), code="nip_format")
    total = sum(int(d) * w for d, w in zip(digits, NIP_WEIGHTS, strict=False)) % 11
    if total == 10 or total != int(digits[9]):
        raise ValidationError(
            _("This NIP has a wrong check digit – check for a typo."), code="nip_checksum"
        )


def validate_regon(value: str) -> None:
    digits = digits_only(value)
    if not re.fullmatch(r"\d{9}|\d{14}", digits):
        raise ValidationError(_("REGON must have 9 or 14 digits."), code="regon_format")
    ok = _check(digits[:9], REGON9_WEIGHTS) if len(digits) >= 9 else False
    if len(digits) == 14:
        ok = ok and _check(digits, REGON14_WEIGHTS)
    if not ok:
        raise ValidationError(
            _("This REGON has a wrong check digit – check for a typo."), code="regon_checksum"
        )


def validate_krs(value: str) -> None:
    if not re.fullmatch(r"\d{10}", digits_only(value)):
        raise ValidationError(_("KRS number must have exactly 10 digits."), code="krs_format")
