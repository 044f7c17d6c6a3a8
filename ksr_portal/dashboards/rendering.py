"""The LSR table rows and the filter selects of the dashboards, built with ``format_html``.

Measured on the national data set (issue 16): the template engine spent ~1 ms per LSR row and
~3 ms per filter select, most of a regional dashboard's time; the same markup built here costs a
few percent of that. The templates include the result; escaping is format_html's.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

SELECTED = SafeString(" selected")


def _joined(parts: list) -> SafeString:
    """Markup pieces made by format_html (safe) joined without another escaping pass."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _day(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, "SHORT_DATE_FORMAT")


def lsr_rows_html(rows, *, lsr_url_prefix, detail_url_suffix, cards_url_suffix, yes_html, no_html):
    """One ``<tr data-lsr="…">`` per LSR row of ``lsr_dashboard_rows`` (labelled by the view)."""
    no_c = format_html(
        '<span class="text-danger fw-semibold">0 <span class="visually-hidden">{}</span></span>',
        _("no type C member"),
    )
    parts = []
    for r in rows:
        base = f"{lsr_url_prefix}{r.pk}"
        parts.append(
            format_html(
                '<tr data-lsr="{}"><td><a href="{}">{}</a></td><td>{}</td><td>{}</td>'
                '<td class="text-end">{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
                "<td>{}</td><td>{}</td>"
                '<td class="text-end"><a href="{}">{}</a></td><td class="text-end">{}</td>'
                '<td>{}</td><td>{}</td><td>{}</td><td class="text-end">{}</td></tr>\n',
                r.teryt_code,
                base + detail_url_suffix,
                r.gmina.name,
                r.gmina.county.name,
                r.stage_label,
                r.active_a,
                r.active_b,
                r.active_c if r.active_c else no_c,
                yes_html if r.has_kis_main else no_html,
                yes_html if r.has_signed_partnership else no_html,
                base + cards_url_suffix,
                r.cards_done,
                format_html('<span class="text-danger fw-semibold">{}</span>', r.overdue)
                if r.overdue
                else "0",
                _day(r.last_meeting),
                _day(r.next_meeting),
                _day(r.last_monitoring),
                r.responses,
            )
        )
    return _joined(parts)


def filter_fields_html(form, skip: tuple[str, ...] = ()) -> SafeString:
    """The filter form's fields: hidden inputs as they are, choice fields as Bootstrap selects."""
    parts = [field.as_widget() for field in form.hidden_fields()]
    for field in form.visible_fields():
        if field.name in skip:
            continue
        current = field.value()
        current = "" if current is None else str(current)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(value), SELECTED if str(value) == current else "", label)
                for value, label in field.field.choices
            ),
        )
        errors = (
            format_html('<div class="invalid-feedback d-block">{}</div>', " ".join(field.errors))
            if field.errors
            else ""
        )
        parts.append(
            format_html(
                '<div class="col-md-2"><label class="form-label" for="{}">{}</label>'
                '<select name="{}" id="{}" class="form-select form-select-sm">{}</select>{}</div>',
                field.id_for_label,
                field.label,
                field.html_name,
                field.id_for_label,
                options,
                errors,
            )
        )
    return _joined(parts)
