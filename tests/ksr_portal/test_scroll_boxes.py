"""A box that scrolls sideways on a phone can be reached and scrolled by keyboard, without
JavaScript (axe: scrollable-region-focusable): every .table-responsive wrapper is a named,
focusable region in the template itself."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
WRAPPER = re.compile(r'<div class="table-responsive[^"]*"[^>]*>')


def test_every_scroll_box_is_a_focusable_named_region():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        for tag in WRAPPER.findall(path.read_text()):
            if 'tabindex="0"' not in tag or 'role="region"' not in tag or "aria-label" not in tag:
                found.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert not found, "Write tabindex, role=region and a label on scroll boxes:\n" + "\n".join(
        found
    )


def test_the_check_sees_a_bare_wrapper():
    assert WRAPPER.findall('<div class="table-responsive mb-3">') == [
        '<div class="table-responsive mb-3">'
    ]
