"""The SVG bar chart: well-formed, accessible, CSP-safe, proportional, Polish numbers."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from ksr_portal.core.charts import BAR_WIDTH, bar_chart, format_number, format_percent

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def parse(svg):
    return ET.fromstring(str(svg))


def bars(root):
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "ksr-value"]


def test_well_formed_and_accessible():
    svg = bar_chart(
        [("Zna Partnerstwo", 43, 50), ("Nie zna", 7, 50)],
        title="Czy zna Pani/Pan Partnerstwo?",
        description="Instytucje, 2017.",
    )
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == "Czy zna Pani/Pan Partnerstwo?"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert desc.text.startswith("Instytucje, 2017.")
    assert "Zna Partnerstwo: 86% (43 of 50)" in desc.text
    assert root.get("viewBox", "").startswith("0 0 ")
    # presentation attributes only: nothing a strict CSP (or WeasyPrint) would refuse
    assert all("style" not in el.attrib for el in root.iter())
    assert root.find(f"{SVG}style") is None and root.find(f"{SVG}script") is None
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "86% (43)" in texts and "14% (7)" in texts


def test_bar_widths_are_proportional_to_the_shares():
    root = parse(bar_chart([("a", 40, 50), ("b", 10, 50), ("c", 0, 50), ("d", 5, 5)], title="t"))
    widths = [float(b.get("width")) for b in bars(root)]
    assert widths == [BAR_WIDTH * 0.8, BAR_WIDTH * 0.2, 0.0, BAR_WIDTH]
    tracks = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "ksr-track"]
    assert {float(t.get("width")) for t in tracks} == {BAR_WIDTH}
    # the rows do not overlap and fit in the picture
    ys = [float(b.get("y")) for b in bars(root)]
    assert ys == sorted(ys) and len(set(ys)) == 4
    height = float(root.get("height"))
    assert all(y + float(b.get("height")) <= height for y, b in zip(ys, bars(root), strict=True))


def test_multi_choice_shares_may_exceed_the_whole_but_bars_do_not():
    root = parse(bar_chart([("a", 3, 2), ("b", 1, 0)], title="t"))
    widths = [float(b.get("width")) for b in bars(root)]
    assert widths == [BAR_WIDTH, 0.0]
    desc = root.find(f"{SVG}desc").text
    assert "a: 150% (3 of 2)" in desc and "b: – (1 of 0)" in desc


def test_polish_decimal_comma():
    assert format_percent(43, 50) == "86%"
    assert format_percent(1, 3) == "33,3%"
    assert format_percent(2, 3) == "66,7%"
    assert format_percent(1, 8) == "12,5%"
    assert format_percent(0, 7) == "0%"
    assert format_percent(1, 0) == "–"
    assert format_number(4.335, 2) == "4,34"
    assert format_number(2.0) == "2"
    root = parse(bar_chart([("x", 1, 3)], title="t"))
    assert "33,3% (1)" in "".join(root.itertext())


def test_labels_are_escaped_and_wrapped():
    label = "<script>alert(1)</script> & " + "bardzo długa etykieta " * 10
    svg = bar_chart([(label, 1, 2)], title='Tytuł "<b>"')
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == 'Tytuł "<b>"'
    tspans = list(root.iter(f"{SVG}tspan"))
    assert 1 < len(tspans) <= 3
    assert tspans[-1].text.endswith("…")
    assert label.split()[0] in root.find(f"{SVG}desc").text


def test_ids_are_stable_and_can_be_given():
    items = [("a", 1, 2)]
    assert bar_chart(items, title="t") == bar_chart(items, title="t")
    root = parse(bar_chart(items, title="t", chart_id="q1"))
    assert root.get("id") == "q1" and root.find(f"{SVG}title").get("id") == "q1-title"
    assert parse(bar_chart([], title="t")).find(f"{SVG}desc").text == "No data."


def test_thousands_are_grouped_with_a_no_break_space():
    assert format_number(2477) == "2\xa0477"
    assert format_number(999) == "999"
    assert format_number(-1234567.25, 2) == "-1\xa0234\xa0567,25"
    assert format_percent(1, 3) == "33,3%"


@pytest.mark.parametrize(
    "labels", [["card 1", "card 13"], ["a task partnership agreement in force", "short"]]
)
def test_a_chart_within_max_width_keeps_its_12_px_text(labels):
    """A page column as narrow as a phone's shows the chart unscaled: text stays at 12 px."""
    root = parse(bar_chart([(label, 1, 4) for label in labels], title="t", max_width=336))
    assert float(root.get("width")) <= 336
    assert {t.get("font-size") for t in root.iter(f"{SVG}text")} == {"12"}
    tracks = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "ksr-track"]
    values = bars(root)
    assert all(
        float(v.get("width")) == pytest.approx(float(t.get("width")) / 4, abs=0.1)
        for v, t in zip(values, tracks)
    )
    texts = "".join(root.itertext())
    assert all(label in texts for label in labels) and "25%" in texts
