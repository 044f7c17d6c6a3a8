"""The administrator prints the voivodeship batch from the documents page (issue 14, "done
when"): administration → documents → the batch of lubelskie → the worker's job → download.
On a 390 px phone screen: every page is checked with axe-core (the ``page`` fixture), must not
overflow the viewport, and is saved as a screenshot under tests/browser/artifacts/; the pages
are saved at 1366×768 too. Elements are found by ids and URLs, never by visible text."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


# the innermost elements that stick out on the right, to name the culprit when the check fails
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().width > window.innerWidth + 1)
  .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width))"""


def _step(page, name, shots):
    """Nothing wider than the screen; a screenshot of the step."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(
        path=ARTIFACTS / f"admin-batch-{len(shots) + 1:02d}-{name}-390.png", full_page=True
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDEST)
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a 390px screen: {wide}"
    shots.append((name, page.url))


def test_admin_prints_the_voivodeship_batch(page, log_in, assert_accessible, personas, full_lsr):
    shots: list[tuple[str, str]] = []
    page.set_viewport_size(PHONE)
    log_in(personas["admin"].username, "secret-pass-123")
    page.wait_for_url("**" + reverse("ksr_portal:administration"))
    _step(page, "administration", shots)

    with page.expect_navigation():
        page.locator("#admin-documents-link").click()
    assert_accessible(page)
    assert page.url.endswith(reverse("printing_batch:overview"))
    assert page.locator(f"#lsr-{full_lsr.pk}").count() == 1
    _step(page, "documents", shots)

    batch = reverse("printing_batch:agreements_batch", args=["06"])
    with page.expect_navigation():
        page.locator(f'a[href="{batch}"]').click()
    assert_accessible(page)
    assert "/dokumenty/zadania/" in page.url
    download_link = page.locator("#document-job a[href$='/plik/']")
    download_link.wait_for(timeout=90_000)  # the worker's job (eager in tests) is ready
    assert_accessible(page)
    _step(page, "job-ready", shots)

    with page.expect_download() as download_info:
        download_link.click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert full_lsr.name in text
    (ARTIFACTS / "admin-batch-lubelskie.pdf").write_bytes(pdf)

    # the history of what happened and the accessibility statement from the footer
    page.goto(reverse("ksr_portal:audit_log"))
    _step(page, "audit-history", shots)
    with page.expect_navigation():
        page.locator("#footer-accessibility").click()
    assert_accessible(page)
    assert page.locator("#a11y-status").count() == 1
    _step(page, "accessibility-statement", shots)

    page.set_viewport_size(LAPTOP)
    for number, (name, url) in enumerate(shots, start=1):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= LAPTOP["width"], (
            f"{url} is {width}px wide at 1366px: {page.evaluate(WIDEST)}"
        )
        page.screenshot(
            path=ARTIFACTS / f"admin-batch-{number:02d}-{name}-1366.png", full_page=True
        )
