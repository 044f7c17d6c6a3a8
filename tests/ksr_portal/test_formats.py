"""One date format and grouped numbers everywhere (issue 14 §9): 01.12.2026, 01.12.2026 14:30,
2 477. The formats live in ksr_portal/core/locale_formats; templates name them (|date with no
argument or a named format), Python code uses Django's formats or the standard "%d.%m.%Y"; numbers
inside URLs, ids and form values are written with |unlocalize, so that 1234 never becomes
"1 234" there. The greps below keep code written later to these rules."""

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import formats, timezone, translation

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [
    ROOT / "templates",
    *ROOT.glob("*/templates"),
    *ROOT.glob("ksr_portal/*/templates"),
]
CODE_DIRS = [ROOT / d for d in ("ksr_portal", "stakeholders", "networks", "procedures", "surveys")]
NAMED = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "Y",
    "H:i",
    "c",
    "Y-m-d",
    "Y-m-d\\TH:i",
}  # a year, a time, machine-readable ISO
DATE_FILTER = re.compile(
    r"""\|date:\s*(?:"([^"]*)"|'([^']*)')|\{%\s*now\s+(?:"([^"]*)"|'([^']*)')"""
)
# Python: day-first formats other than the portal's "%d.%m.%Y" (with an optional " %H:%M"),
# month names, and literal formats given to Django's date_format.
BAD_STRFTIME = re.compile(
    r"%d(?!\.%m\.%Y)[^\w\s%]?%m|%[bBe]\b|%m/%d|%-d|date_format\([^)]*,\s*[\"'](?![A-Z_]+[\"'])"
)
NUMBER_IN_ATTRIBUTE = re.compile(
    r"\s(?:href|id|for|value|action|name|hx-[a-z-]+|data-[a-z-]+|aria-[a-z-]+|max|min|step|src)"
    r'="[^"]*\{\{\s*[\w.]*(?:\bpk|_id|\.id|\.number|counter0?|page_number)\s*\}\}'
)


def _templates():
    for directory in TEMPLATE_DIRS:
        yield from directory.rglob("*.html")
        yield from directory.rglob("*.txt")


def _code():
    for directory in CODE_DIRS:
        for path in directory.rglob("*.py"):
            if "migrations" not in path.parts and "locale_formats" not in path.parts:
                yield path


def test_templates_use_the_named_date_formats():
    found = []
    for path in _templates():
        for match in DATE_FILTER.finditer(path.read_text(encoding="utf-8")):
            fmt = next(g for g in match.groups() if g is not None)
            if fmt not in NAMED:
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert not found, "Use |date, |date:'DATETIME_FORMAT' …:\n" + "\n".join(found)


def test_python_code_uses_the_one_date_format():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _code()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BAD_STRFTIME.search(line)
    ]
    assert not found, "Dates are 01.12.2026 (%d.%m.%Y or Django's formats):\n" + "\n".join(found)


def test_numbers_in_urls_ids_and_values_are_not_localized():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in _templates()
        for match in NUMBER_IN_ATTRIBUTE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, "Write {{ x.pk|unlocalize }} inside attributes:\n" + "\n".join(found)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_formats_in_both_languages(language):
    moment = timezone.make_aware(datetime(2026, 12, 1, 14, 30))
    with translation.override(language):
        assert formats.date_format(date(2026, 12, 1)) == "01.12.2026"
        assert formats.date_format(date(2026, 12, 1), "SHORT_DATE_FORMAT") == "01.12.2026"
        rendered = Template(
            "{{ day }}|{{ moment }}|{{ moment|date:'SHORT_DATETIME_FORMAT' }}|{{ n }}|{{ x }}"
            "|{{ n|unlocalize }}|{% localize off %}{{ n }}{% endlocalize %}"
        ).render(Context({"day": date(2026, 12, 1), "moment": moment, "n": 2477, "x": 1234.5}))
        assert rendered == (
            "01.12.2026|01.12.2026 14:30|01.12.2026 14:30|2\xa0477|1\xa0234,5|2477|2477"
        )


def test_forms_accept_iso_and_polish_dates():
    from django import forms

    class F(forms.Form):
        day = forms.DateField()
        moment = forms.DateTimeField()

    for day, moment in (("2026-12-01", "2026-12-01T14:30"), ("01.12.2026", "01.12.2026 14:30")):
        form = F({"day": day, "moment": moment})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == date(2026, 12, 1)


def test_exports_write_dates_in_the_portal_format():
    from ksr_portal.core.exports import _as_text

    assert _as_text(date(2026, 12, 1)) == "01.12.2026"
    assert _as_text(2477) == "2477"  # a number stays a number for the spreadsheet


@pytest.mark.django_db
def test_pages_show_dates_and_numbers_in_the_portal_format(demo_site, client):
    from django.urls import reverse

    from procedures.models import Activity

    network = demo_site["network"]
    activity = Activity.objects.filter(card__network=network, done_date__isnull=False).first()
    pages = [
        reverse("procedures:card_detail", args=[network.pk, activity.card_id]),
        reverse("procedures:meeting_list", args=[network.pk]),
        reverse("procedures:monitoring", args=[network.pk]),
        reverse("networks:member_list", args=[network.pk]),
        reverse("ksr_portal:my_tasks"),
    ]
    client.force_login(demo_site["users"]["animator"])
    for url in pages:
        html = client.get(url).content.decode()
        assert re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", html), url
        assert not re.search(
            r"\b\d{1,2}-\d{2}-\d{4}\b|\b\d{1,2} (stycznia|lutego|marca|kwietnia|"
            r"maja|czerwca|lipca|sierpnia|września|października|listopada|"
            r"grudnia) \d{4}\b",
            html,
        ), url
    card_page = client.get(pages[0]).content.decode()
    assert formats.date_format(activity.done_date) in card_page
