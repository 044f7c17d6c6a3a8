"""The portal's date and number formats (settings.FORMAT_MODULE_PATH), overriding Django's.

One date format everywhere, whatever the interface language: 01.12.2026 and 01.12.2026 14:30
(Django's Polish defaults mix "1 grudnia 2026" and "01-12-2026"). Numbers are grouped by
thousands with a no-break space (2 477) and use the decimal comma. ``<input type="date">`` sends
ISO dates, so the ISO input formats come first.
"""
