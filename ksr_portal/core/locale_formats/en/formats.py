"""The English interface keeps the portal's one date and number format (a Polish public service:
the same 01.12.2026 and 2 477 on every page, in both languages)."""

from ksr_portal.core.locale_formats.pl.formats import *  # noqa: F403
