"""The portal's one chart module: server-side SVG charts for pages and PDFs.

Pure Python and deterministic; standard SVG 1.1 with presentation attributes only (no ``style``:
the pages have a strict CSP, and the same drawing goes into WeasyPrint PDFs). Every chart is
``role="img"`` with a ``<title>`` and a ``<desc>`` that states every value in words, so a screen
reader gets the whole chart; pages also show the numbers in a table next to it.

This module imports no app model: callers pass plain labels and numbers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ksr_portal.core.locale_formats.pl.formats import THOUSAND_SEPARATOR  # 2 477, never broken

FONT = "DejaVu Sans, sans-serif"
FONT_SIZE = 12
CHAR_WIDTH = 0.6  # average advance of DejaVu Sans, in em
LINE_HEIGHT = 15
LABEL_CHARS = 38  # a label wraps onto lines of at most this many characters
LABEL_LINES = 3  # ... and is cut after this many lines (the full text stays in <desc>)
BAR_HEIGHT = 18
ROW_GAP = 10
BAR_WIDTH = 300  # the width of 100 %
VALUE_WIDTH = 96
PADDING = 8
GAP = 10
BAR_MIN_WIDTH = 140  # the narrowest bar a ``max_width`` chart keeps beside its labels
# A chart on a page is no wider than a phone's column (and a third of a laptop's), so that its
# 12 px text is never scaled down (issue 14 §5); PDFs draw the full width.
PAGE_WIDTH = 336
BAR_COLOUR = "#0072B2"  # Okabe–Ito blue, 5:1 against white
TRACK_COLOUR = "#E9ECEF"
TEXT_COLOUR = "#1A1A1A"


def format_number(value: float | Decimal, decimals: int = 1) -> str:
    """A number as the portal shows it everywhere (charts, PDFs, texts built in Python): the
    Polish decimal comma, thousands grouped with a no-break space, half rounded up, without a
    trailing ``,0``: ``2 477``, ``33,3``."""
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _sep, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", THOUSAND_SEPARATOR)
    return sign + grouped + ("," + fraction if fraction else "")


def share(value: float, total: float) -> float | None:
    """``value`` as a percentage of ``total`` (None when there is no total)."""
    return value * 100 / total if total else None


def format_percent(value: float, total: float) -> str:
    """``value`` as a share of ``total``: "86%", "33,3%"; "–" without a total."""
    percent = share(value, total)
    return "–" if percent is None else f"{format_number(percent)}%"


def coord(value: float) -> str:
    """A coordinate or length with one decimal, no ``-0.0``."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def truncate(text: str, limit: int) -> str:
    """The text on one line of at most `limit` characters, cut with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap(text: str, limit: int, lines_max: int | None = None) -> list[str]:
    """The words of `text` on lines of at most `limit` characters (a longer word is cut); past
    `lines_max` lines, the last line kept ends with an ellipsis. SVG has no text wrapping."""
    lines: list[str] = []
    current = ""
    for word in " ".join(str(text).split()).split(" "):
        while len(word) > limit:  # a word longer than a line is cut
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}".strip()
        if len(candidate) > limit and current:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    lines = lines or [""]
    if lines_max is not None and len(lines) > lines_max:
        lines = lines[:lines_max]
        lines[-1] = lines[-1][: limit - 1].rstrip() + "…"
    return lines


def _chart_id(title: str, items: list) -> str:
    digest = hashlib.sha1(repr((title, items)).encode(), usedforsecurity=False).hexdigest()
    return f"ksr-chart-{digest[:10]}"


def bar_chart(
    items: Sequence[tuple[str, float, float]],
    *,
    title: str,
    description: str = "",
    chart_id: str | None = None,
    percent_labels: list[str] | None = None,
    max_width: float | None = None,
) -> SafeString:
    """A horizontal bar chart of shares: one bar per ``(label, value, total)``.

    A bar's length is ``value / total`` of the full width (so 100 % spans it; a bar never grows
    beyond it), the light track behind it shows the whole; the share and the count are written
    after the bar. ``description`` opens the ``<desc>``, which then lists every bar in words.
    ``percent_labels`` (one per item) are the shares as the table next to the chart shows them,
    so both say the same; by default each share is written with one decimal.

    ``max_width`` (px) draws the chart no wider, so that a page column does not scale it down and
    its text stays at ``FONT_SIZE`` px: short labels sit beside narrower bars, long ones above them.
    """
    items = [(str(label), value or 0, total or 0) for label, value, total in items]
    chart_id = chart_id or _chart_id(title, items)
    label_chars, bar_width, stacked = LABEL_CHARS, float(BAR_WIDTH), False
    if max_width is not None:
        char = FONT_SIZE * CHAR_WIDTH
        longest = max((len(label) for label, _v, _t in items), default=1)
        room = max_width - 2 * PADDING - 2 * GAP - VALUE_WIDTH - BAR_MIN_WIDTH
        if longest * char <= room:  # the labels fit beside the bars
            label_chars = max(longest, 1)
            bar_width = max_width - 2 * PADDING - 2 * GAP - VALUE_WIDTH - label_chars * char
        else:  # each label on its own lines above its bar
            stacked = True
            label_chars = int((max_width - 2 * PADDING) / char)
            bar_width = max_width - 2 * PADDING - GAP - VALUE_WIDTH
    label_width = 0.0 if stacked else label_chars * FONT_SIZE * CHAR_WIDTH
    bar_x = PADDING + label_width + (0 if stacked else GAP)
    width = bar_x + bar_width + GAP + VALUE_WIDTH + PADDING
    rows: list[str] = []
    words: list[str] = []
    y = PADDING
    for index, (label, value, total) in enumerate(items):
        lines = wrap(label, label_chars, LABEL_LINES)
        if stacked:
            label_top = y + FONT_SIZE
            y += len(lines) * LINE_HEIGHT
        row_height = BAR_HEIGHT if stacked else max(BAR_HEIGHT, len(lines) * LINE_HEIGHT)
        middle = y + row_height / 2
        fraction = min(max(value / total, 0.0), 1.0) if total else 0.0
        percent = percent_labels[index] if percent_labels else format_percent(value, total)
        count = format_number(value, 2)
        bar_y = middle - BAR_HEIGHT / 2
        first_line: float
        label_x: float
        if stacked:
            first_line, anchor, label_x = label_top, "start", PADDING
        else:
            first_line = middle - (len(lines) - 1) * LINE_HEIGHT / 2 + FONT_SIZE * 0.35
            anchor, label_x = "end", PADDING + label_width
        tspans = "".join(
            f'<tspan x="{coord(label_x)}" y="{coord(first_line + i * LINE_HEIGHT)}">'
            f"{escape(line)}</tspan>"
            for i, line in enumerate(lines)
        )
        rows.append(
            f'<g class="ksr-bar" data-index="{index}">'
            f'<text text-anchor="{anchor}" font-family="{FONT}" font-size="{FONT_SIZE}" '
            f'fill="{TEXT_COLOUR}">{tspans}</text>'
            f'<rect class="ksr-track" x="{coord(bar_x)}" y="{coord(bar_y)}" '
            f'width="{coord(bar_width)}" height="{BAR_HEIGHT}" fill="{TRACK_COLOUR}"/>'
            f'<rect class="ksr-value" x="{coord(bar_x)}" y="{coord(bar_y)}" '
            f'width="{coord(bar_width * fraction)}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            f'<text x="{coord(bar_x + bar_width + GAP)}" y="{coord(middle + FONT_SIZE * 0.35)}" '
            f'font-family="{FONT}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">'
            f"{escape(percent)} ({escape(count)})</text>"
            "</g>"
        )
        words.append(
            _("%(label)s: %(percent)s (%(count)s of %(total)s)")
            % {"label": label, "percent": percent, "count": count, "total": format_number(total)}
        )
        y += row_height + ROW_GAP
    height = max(y - ROW_GAP + PADDING, 2 * PADDING + BAR_HEIGHT)
    desc = " ".join(part for part in [description, "; ".join(words)] if part) or _("No data.")
    return mark_safe(  # noqa: S308 – every text is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" role="img" '
        f'class="ksr-chart mw-100 h-auto" id="{escape(chart_id)}" '
        f'width="{coord(width)}" height="{coord(height)}" viewBox="0 0 {coord(width)} {coord(height)}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>'
        f"{''.join(rows)}</svg>"
    )
