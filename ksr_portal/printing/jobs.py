"""Large documents on the task queue: request a job (services), render it (the worker's task
calls ``document_job_run``), read its state (selectors). A request never waits for a render."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation

from ksr_portal.core.pdf import TocEntry, render_pdf

from . import agreements
from .models import DocumentJob, DocumentKind, JobStatus

# Above these sizes a document goes to the worker (~50 pages: ~4 parties of an agreement per
# page, one letter per page, a voivodeship batch always).
AGREEMENT_PARTIES_INLINE = 200
LETTERS_INLINE = 50


@transaction.atomic
def document_job_request(
    *, user, kind: str, filename: str, network=None, voivodeship=None, params=None
) -> DocumentJob:
    """The job for this document: the user's unfinished one if they asked already (a reload or a
    second click does not render twice), else a new one queued after the commit."""
    # the worker renders in the language of the page that asked
    params = {**(params or {}), "language": translation.get_language()}
    pending = DocumentJob.objects.filter(
        user=user,
        kind=kind,
        network=network,
        voivodeship=voivodeship,
        params=params,
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
    ).first()
    if pending is not None:
        return pending
    job = DocumentJob.objects.create(
        user=user,
        kind=kind,
        network=network,
        voivodeship=voivodeship,
        params=params,
        filename=filename,
    )
    from .tasks import render_document

    transaction.on_commit(lambda: render_document.enqueue(job.pk))
    return job


def _set(job: DocumentJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    DocumentJob.objects.filter(pk=job.pk).update(**fields)


def _render(job: DocumentJob) -> bytes:
    if job.kind == DocumentKind.AGREEMENT:
        assert job.network is not None  # the job of an LSR's document names the LSR
        agreement = agreements.lsr_agreement(job.network)
        _set(job, progress=30)
        return render_pdf(
            "printing/agreement_pdf.html", {"network": job.network, "agreement": agreement}
        )
    if job.kind == DocumentKind.LETTERS:
        kind = agreements.LETTER_KINDS[job.params["letter"]]
        ids = job.params.get("to")
        organisations = None
        if ids:
            from stakeholders.models import Organisation

            organisations = agreements.chosen_organisations(
                Organisation.objects.for_user(job.user), ids
            )
        assert job.network is not None  # the job of an LSR's document names the LSR
        letters = agreements.letter_set(job.network, kind, organisations)
        _set(job, progress=30)
        return render_pdf("printing/letters_pdf.html", {"network": job.network, "letters": letters})
    assert job.voivodeship is not None  # the remaining kind is a voivodeship's document
    items = agreements.voivodeship_agreements(job.voivodeship)
    _set(job, progress=30)
    toc = [TocEntry(anchor=a.anchor, title=a.network.name) for a in items]
    return render_pdf(
        "printing/agreements_batch_pdf.html",
        {"voivodeship": job.voivodeship, "agreements": items, "toc": toc},
    )


def document_job_run(job_pk: int) -> str:
    """The worker's part: render, store the file, mark the job ready (or failed, with the
    reason). Runs outside any request; each state change is saved at once, so the status page
    shows it."""
    job = DocumentJob.objects.select_related("network__gmina", "voivodeship", "user").get(pk=job_pk)
    if job.status != JobStatus.QUEUED:
        return job.status
    _set(job, status=JobStatus.RUNNING, progress=10)
    try:
        with translation.override(job.params.get("language") or None):
            pdf = _render(job)
    except Exception as exc:  # the job records why; the worker goes on with the next one
        _set(job, status=JobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise
    _set(job, progress=90)
    job.file.save(job.filename, ContentFile(pdf), save=False)
    _set(job, file=job.file.name, status=JobStatus.DONE, progress=100, finished_at=timezone.now())
    return job.status


def document_job_get_for_user(*, user, pk: int) -> DocumentJob:
    """A job of this user (anyone else's answers 404)."""
    job = (
        DocumentJob.objects.select_related("network", "voivodeship")
        .filter(user=user, pk=pk)
        .first()
    )
    if job is None:
        raise Http404
    return job
