"""The administrator prints the voivodeship batch from the documents page (issue 14, "done
when"): administration → documents → the batch of lubelskie → the worker's job → download.
On a 390 px phone screen; every step is checked with axe-core, must not overflow the screen at
390 px nor at 1366 px, and is saved as a screenshot at both sizes (``journey_step``). Elements are found by ids and URLs, never by visible text."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 390, "height": 844}


def test_admin_prints_the_voivodeship_batch(
    page, journey_step, log_in, assert_accessible, personas, full_lsr
):
    page.set_viewport_size(PHONE)
    log_in(personas["admin"].username, "secret-pass-123")
    page.wait_for_url("**" + reverse("ksr_portal:administration"))
    journey_step("administration")

    with page.expect_navigation():
        page.locator("#admin-documents-link").click()
    assert_accessible(page)
    assert page.url.endswith(reverse("printing_batch:overview"))
    assert page.locator(f"#lsr-{full_lsr.pk}").count() == 1
    journey_step("documents")

    batch = reverse("printing_batch:agreements_batch", args=["06"])
    with page.expect_navigation():
        page.locator(f'a[href="{batch}"]').click()
    assert_accessible(page)
    assert "/dokumenty/zadania/" in page.url
    download_link = page.locator("#document-job a[href$='/plik/']")
    download_link.wait_for(timeout=90_000)  # the worker's job (eager in tests) is ready
    assert_accessible(page)
    journey_step("job-ready")

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
    journey_step("audit-history")
    with page.expect_navigation():
        page.locator("#footer-accessibility").click()
    assert_accessible(page)
    assert page.locator("#a11y-status").count() == 1
    journey_step("accessibility-statement")
