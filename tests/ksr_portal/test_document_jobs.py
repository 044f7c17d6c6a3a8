"""Issue 16 item 4: large documents are rendered by the worker; the page shows the progress and
offers the file when it is ready; the request never renders them."""

import pytest
from django.urls import reverse
from django.utils import translation

from ksr_portal.printing import jobs
from ksr_portal.printing.models import DocumentJob, DocumentKind, JobStatus
from networks.models import MemberRole, Membership
from networks.services import networks as network_services
from stakeholders.models import InstitutionKind, Organisation, Sector
from tests.builders import make_lsr

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_lsr(personas, territory, kis):
    network = make_lsr(personas["admin"], territory["zmudz"])
    network_services.membership_add(network=network, organisation=kis, role=MemberRole.MAIN_NODE)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Stowarzyszenie {i}",
                stakeholder_type="C",
                institution_kind=InstitutionKind.NGO,
                sector=Sector.NGO,
                gmina=territory["zmudz"],
            )
            for i in range(jobs.AGREEMENT_PARTIES_INLINE + 1)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(network=network, organisation=o) for o in organisations]
    )
    return network


def test_a_large_agreement_goes_to_the_worker_and_is_offered_when_ready(
    client, personas, big_lsr, django_capture_on_commit_callbacks, monkeypatch
):
    rendered = []
    monkeypatch.setattr(jobs, "render_pdf", lambda *a, **k: rendered.append(a) or b"%PDF-1.7 x")
    client.force_login(personas["animator"])
    url = reverse("printing:agreement_pdf", args=[big_lsr.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(url)
    job = DocumentJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("printing_batch:job", args=[job.pk])
    assert rendered == [] and job.status == JobStatus.QUEUED  # nothing rendered in the request
    assert len(callbacks) == 1  # the task is queued once the request's transaction commits
    # a reload while it waits does not queue a second render
    client.get(url)
    assert DocumentJob.objects.count() == 1
    page = client.get(response["Location"], headers={"accept-language": "en"})
    assert "waiting for the worker" in page.content.decode()
    assert 'hx-trigger="every 2s"' in page.content.decode()
    with translation.override("en"):
        callbacks[0]()  # the worker (tests run tasks immediately)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100 and len(rendered) == 1
    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert "hx-trigger" not in body  # polling stops
    assert reverse("printing_batch:job_download", args=[job.pk]) in body
    download = client.get(reverse("printing_batch:job_download", args=[job.pk]))
    assert download.status_code == 200 and download.content == b"%PDF-1.7 x"
    assert download["Content-Type"] == "application/pdf"


def test_jobs_are_private_to_whoever_asked(client, personas, big_lsr):
    job = DocumentJob.objects.create(
        user=personas["animator"], kind=DocumentKind.AGREEMENT, network=big_lsr, filename="a.pdf"
    )
    client.force_login(personas["admin"])
    assert client.get(reverse("printing_batch:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("printing_batch:job_download", args=[job.pk])).status_code == 404
    client.force_login(personas["animator"])
    # not ready yet: nothing to download
    assert client.get(reverse("printing_batch:job_download", args=[job.pk])).status_code == 404


def test_a_failed_render_is_reported(client, personas, big_lsr, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(jobs, "render_pdf", broken)
    job = jobs.document_job_request(
        user=personas["animator"], kind=DocumentKind.AGREEMENT, network=big_lsr, filename="a.pdf"
    )
    with pytest.raises(RuntimeError):
        jobs.document_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "no fonts" in job.error
    client.force_login(personas["animator"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert (
        "could not be prepared"
        in client.get(reverse("printing_batch:job", args=[job.pk])).content.decode()
    )


def test_a_small_agreement_still_renders_in_the_request(client, personas, full_lsr):
    client.force_login(personas["animator"])
    response = client.get(reverse("printing:agreement_pdf", args=[full_lsr.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not DocumentJob.objects.exists()


def test_the_voivodeship_batch_is_always_a_job(client, personas, full_lsr):
    client.force_login(personas["admin"])
    response = client.get(reverse("printing_batch:agreements_batch", args=["06"]))
    assert response.status_code == 302
    assert DocumentJob.objects.get().kind == DocumentKind.BATCH
