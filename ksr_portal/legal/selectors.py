"""The current legal texts: the newest row of each (the migration seeds one; an empty table, as
after a flush, shows the defaults)."""

from .defaults import NOTICE, STATEMENT
from .models import AccessibilityStatement, PrivacyNotice


def statement_current() -> AccessibilityStatement:
    return AccessibilityStatement.objects.order_by("-pk").first() or AccessibilityStatement(
        **STATEMENT
    )


def privacy_notice_current() -> PrivacyNotice:
    return PrivacyNotice.objects.order_by("-pk").first() or PrivacyNotice(**NOTICE)
