"""The LSR table rows and the filter selects of the dashboards, built in Python.

Measured on the national data set (issue 16): the template engine spent ~1 ms per LSR row and
~3 ms per filter select, most of a regional dashboard's time; ``format_html`` with a dozen
arguments per row still cost ~0.3 ms a row (one lazy escape per argument). The rows are now
f-strings with every text escaped once (``html.escape``, what Django's ``escape`` calls), counts
grouped by thousands as the templates localize them (``2 477``). The templates include the result.
"""

import re
from datetime import date, datetime
from html import escape

from django.utils import timezone
from django.utils.formats import date_format, get_format, localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

SELECTED = SafeString(" selected")


def _joined(parts: list) -> SafeString:
    """Markup pieces that are safe already (built here), joined without another escaping pass."""
    return SafeString("".join(parts))


_PLAIN_DATE = re.compile(r"^([dmY])([.\-/])([dmY])\2([dmY])$")


def _day_formatter():
    """A date formatter for the active language's short date format; a plain one ("d.m.Y",
    "d-m-Y") is written directly, without Django's generic formatter (~40 µs a date)."""
    fmt = get_format("SHORT_DATE_FORMAT")
    plain = _PLAIN_DATE.match(fmt)

    def day(value) -> str:
        if value is None:
            return "—"
        if isinstance(value, datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            value = value.date()
        if plain:
            parts = {"d": f"{value.day:02d}", "m": f"{value.month:02d}", "Y": str(value.year)}
            first, sep, second, third = plain.groups()
            return f"{parts[first]}{sep}{parts[second]}{sep}{parts[third]}"
        return escape(date_format(value, "SHORT_DATE_FORMAT"))

    return day


def lsr_rows_html(
    rows,
    *,
    lsr_url_prefix,
    detail_url_suffix,
    cards_url_suffix,
    yes_html,
    no_html,
    stale_before: datetime,
    with_voivodeship: bool = False,
):
    """One ``<tr data-lsr="…">`` per LSR row of ``queries.DashboardRow``.
    Overdue activities and a last meeting or monitoring before ``stale_before`` (or none) are
    marked in red, with the reason for screen readers."""
    day = _day_formatter()
    n = _count_formatter()

    no_c = (
        '<span class="text-danger fw-semibold">0 <span class="visually-hidden">'
        f"{escape(_('no type C member'))}</span></span>"
    )
    overdue_note = escape(_("overdue"))
    stale_note = escape(_("too long ago"))
    none_note = escape(_("none yet"))
    stale_day: date = stale_before.date()
    prefix = escape(lsr_url_prefix)
    detail = escape(detail_url_suffix)
    cards = escape(cards_url_suffix)

    def stale(text: str, note: str) -> str:
        return (
            f'<span class="text-danger fw-semibold">{text} '
            f'<span class="visually-hidden">({note})</span></span>'
        )

    parts = []
    for r in rows:
        if r.last_meeting is None:
            last_meeting = stale("—", none_note)
        elif r.last_meeting < stale_before:
            last_meeting = stale(day(r.last_meeting), stale_note)
        else:
            last_meeting = day(r.last_meeting)
        if r.last_monitoring is None:
            last_monitoring = stale("—", none_note)
        elif r.last_monitoring < stale_day:
            last_monitoring = stale(day(r.last_monitoring), stale_note)
        else:
            last_monitoring = day(r.last_monitoring)
        voivodeship = f"<td>{escape(r.voivodeship_name)}</td>" if with_voivodeship else ""
        overdue = (
            f'<span class="badge text-bg-danger">{n(r.overdue)} '
            f'<span class="visually-hidden">{overdue_note}</span></span>'
            if r.overdue
            else "0"
        )
        parts.append(
            f'<tr data-lsr="{escape(r.teryt_code)}">'
            f'<td><a href="{prefix}{r.pk}{detail}">{escape(r.gmina_name)}</a></td>{voivodeship}'
            f"<td>{escape(r.county_name)}</td><td>{escape(str(r.stage_label))}</td>"
            f'<td class="text-end">{n(r.active_a)}</td><td class="text-end">{n(r.active_b)}</td>'
            f'<td class="text-end">{n(r.active_c) if r.active_c else no_c}</td>'
            f"<td>{yes_html if r.has_kis_main else no_html}</td>"
            f"<td>{yes_html if r.has_signed_partnership else no_html}</td>"
            f'<td class="text-end"><a href="{prefix}{r.pk}{cards}">{r.cards_done}</a></td>'
            f'<td class="text-end">{overdue}</td>'
            f"<td>{last_meeting}</td><td>{day(r.next_meeting)}</td><td>{last_monitoring}</td>"
            f'<td class="text-end">{n(r.responses)}</td></tr>\n'
        )
    return _joined(parts)


def _field_html(field, choices=None) -> str:
    name, field_id = escape(field.html_name), escape(field.id_for_label)
    errors = (
        f'<div class="invalid-feedback d-block" id="{field_id}-error">'
        f"{escape(' '.join(str(e) for e in field.errors))}</div>"
        if field.errors
        else ""
    )
    invalid = f' aria-invalid="true" aria-describedby="{field_id}-error"' if field.errors else ""
    current = field.value()
    current = "" if current is None else str(current)
    if not hasattr(field.field, "choices"):  # the months of "no meeting for …": a number
        control = (
            f'<input type="number" name="{name}" id="{field_id}" value="{escape(current)}" '
            f'min="{field.field.min_value}" max="{field.field.max_value}" inputmode="numeric" '
            f'class="form-control form-control-sm months-input"{invalid}>'
        )
    else:
        options = "".join(
            f'<option value="{escape(str(value))}"{SELECTED if str(value) == current else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in (field.field.choices if choices is None else choices)
        )
        control = (
            f'<select name="{name}" id="{field_id}" class="form-select form-select-sm"{invalid}>'
            f"{options}</select>"
        )
    return (
        f'<div class="col-auto"><label class="form-label small mb-1" for="{field_id}">'
        f"{escape(str(field.label))}</label>{control}{errors}</div>"
    )


def filter_fields_html(
    form,
    skip: tuple[str, ...] = (),
    only: tuple[str, ...] | None = None,
    hidden: bool = True,
    choices: dict | None = None,
) -> SafeString:
    """The filter form's fields: hidden inputs as they are (``hidden``), choice fields as Bootstrap
    selects, the months as number inputs; ``only`` picks visible fields in that order, and
    ``choices`` gives a field's choices already read (the counties of the page's grid)."""
    choices = choices or {}
    # hidden filters (a drill-down's step, county code) are kept when they have a value
    parts = (
        [
            f'<input type="hidden" name="{escape(field.html_name)}" '
            f'value="{escape(str(field.value()))}">'
            for field in form.hidden_fields()
            if field.value() not in (None, "")
        ]
        if hidden
        else []
    )
    visible = {field.name: field for field in form.visible_fields() if field.name not in skip}
    names = [name for name in only if name in visible] if only is not None else list(visible)
    parts.extend(_field_html(visible[name], choices.get(name)) for name in names)
    return _joined(parts)


def _count_formatter():
    """A count as ``{{ value }}`` shows it (USE_THOUSAND_SEPARATOR): ``1 234``."""
    thousands = escape(get_format("THOUSAND_SEPARATOR"))

    def n(value: int) -> str:
        return f"{value:,}".replace(",", thousands) if value >= 1000 else str(value)

    return n


def country_rows_html(regions: list[dict], national: dict, *, list_url: str) -> SafeString:
    """The national dashboard's table body and footer: one row per voivodeship (``regions`` of
    the view: ``voivodeship``, ``url``, ``summary``, ``coverage``) and the row of Poland."""
    n = _count_formatter()
    labels = {
        "kis_main": escape(_("LSRs with a KIS as the main node")),
        "type_c": escape(_("LSRs with a type C member")),
        "signed_partnership": escape(_("LSRs with an agreement in force")),
        "all": escape(_("LSRs meeting all critical conditions")),
    }
    parts = ["<tbody>\n"]
    for r in regions:
        s, url = r["summary"], escape(r["url"])
        conditions = s["conditions"]
        linked = "".join(
            f'<td class="text-end"><a href="{url}?has={key}" aria-label="{label}">'
            f"{n(conditions[key]['count'])}</a></td>"
            for key, label in labels.items()
        )
        parts.append(
            f'<tr data-voivodeship="{escape(r["voivodeship"].code)}">'
            f'<td><a href="{url}">{escape(r["voivodeship"].name)}</a></td>'
            f'<td class="text-end"><a href="{url}">{n(s["total"])}</a></td>'
            f'<td class="text-end">{escape(localize(r["coverage"]))}%</td>{linked}'
            f'<td class="text-end">{escape(localize(s["avg_cards_done"]))}</td>'
            f'<td class="text-end">{n(s["overdue"])}</td>'
            f'<td class="text-end"><a href="{url}?bez_posiedzenia={s["stale_months"]}&amp;'
            f'sort=last_meeting">{n(s["no_meeting"])}</a></td>'
            f'<td class="text-end">{n(s["responses"])}</td></tr>\n'
        )
    conditions = national["conditions"]
    url = escape(list_url)
    parts.append(
        f'</tbody>\n<tfoot><tr><th scope="row">{escape(_("Poland"))}</th>'
        f'<td class="text-end"><a href="{url}">{n(national["total"])}</a></td><td></td>'
        + "".join(f'<td class="text-end">{n(conditions[key]["count"])}</td>' for key in labels)
        + f'<td class="text-end">{escape(localize(national["avg_cards_done"]))}</td>'
        f'<td class="text-end">{n(national["overdue"])}</td>'
        f'<td class="text-end"><a href="{url}?bez_posiedzenia={national["stale_months"]}&amp;'
        f'sort=last_meeting">{n(national["no_meeting"])}</a></td>'
        f'<td class="text-end">{n(national["responses"])}</td></tr></tfoot>'
    )
    return _joined(parts)


def gmina_grid_html(grid: list[dict], *, base_url: str) -> SafeString:
    """The regional dashboard's grid body: per county, the gminas with and without an LSR and
    the names of those without (``views._gmina_grid``)."""
    n = _count_formatter()
    url = escape(base_url)
    parts = [
        f'<tr><td><a href="{url}?county={entry["county"].pk}">{escape(entry["county"].name)}'
        f'</a></td><td class="text-end">{n(entry["with_count"])}</td>'
        f'<td class="text-end">{n(entry["without_count"])}</td>'
        f'<td class="small">{escape(", ".join(entry["without"])) or "—"}</td></tr>\n'
        for entry in grid
    ]
    return _joined(parts)
