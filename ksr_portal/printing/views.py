"""Printed documents of an LSR (agreements, letters) and the voivodeship batch of agreements.

Per-LSR views are mounted under /sieci/<pk>/ (urls_print), the batch under /dokumenty/
(urls_print_batch). Scoping: outside the user's territory 404; in scope without the
``print_documents`` capability 403; the batch is for national-scope users with that capability.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from ksr_portal.core.pdf import pdf_response, render_pdf
from ksr_portal.core.scoping import require_capability, scope_of
from networks.selectors import lsr_get_for_user, network_get_for_user, partnership_get_for_user
from stakeholders.models import Organisation, Voivodeship

from . import agreements, jobs
from .documents import documents_for_user
from .models import DocumentKind, JobStatus


@login_required
@require_GET
def documents(request, pk: int):
    """The LSR's documents page: the agreements, letters and procedure cards to download."""
    network = lsr_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "printing/documents_page.html",
        {
            "network": network,
            "documents": agreements.lsr_documents(user=request.user, network=network),
        },
    )


@login_required
@require_GET
def overview(request):
    """Every document the user may print, across the LSRs of their scope (/dokumenty/)."""
    require_capability(request.user, "view_networks")
    documents = documents_for_user(
        user=request.user,
        page_number=request.GET.get("page"),
        query=request.GET.get("q", ""),
    )
    return render(request, "printing/overview.html", {"documents": documents})


@login_required
@require_GET
def agreement_pdf(request, pk: int):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="print_documents")
    agreement = agreements.lsr_agreement(network)
    if len(agreement.parties) > jobs.AGREEMENT_PARTIES_INLINE:
        job = jobs.document_job_request(
            user=request.user,
            kind=DocumentKind.AGREEMENT,
            network=network,
            filename=agreements.agreement_filename(network),
        )
        return redirect("printing_batch:job", job_pk=job.pk)
    pdf = render_pdf(
        "printing/agreement_pdf.html",
        {"network": network, "agreement": agreement},
        request=request,
    )
    return pdf_response(pdf, agreements.agreement_filename(network))


@login_required
@require_GET
def partnership_agreement_pdf(request, pk: int, partnership_pk: int):
    network = network_get_for_user(user=request.user, pk=pk, capability="print_documents")
    partnership = partnership_get_for_user(user=request.user, network=network, pk=partnership_pk)
    agreement = agreements.partnership_agreement(network, partnership)
    pdf = render_pdf(
        "printing/agreement_pdf.html",
        {"network": network, "agreement": agreement},
        request=request,
    )
    return pdf_response(pdf, agreements.agreement_filename(network, partnership))


def _addressee_ids(request) -> list[int] | None:
    values = [v for v in request.GET.getlist("to") if v.strip()]
    if not values:
        return None
    try:
        return [int(v) for v in values]
    except ValueError:
        return []


@login_required
@require_GET
def letters_pdf(request, pk: int, kind: str):
    """One letter per addressee and per page; ``?to=<organisation id>`` (repeated) chooses the
    addressees among the organisations the user may see, by default every active member but
    the main node."""
    network = lsr_get_for_user(user=request.user, pk=pk, capability="print_documents")
    letter_kind = agreements.LETTER_KINDS.get(kind)
    if letter_kind is None:
        raise Http404
    ids = _addressee_ids(request)
    organisations = None
    if ids is not None:
        if not ids or len(ids) > 500:
            return HttpResponseBadRequest("Invalid addressee list.")
        organisations = agreements.chosen_organisations(
            Organisation.objects.for_user(request.user), ids
        )
        if len(organisations) != len(set(ids)):
            raise Http404
    letters = agreements.letter_set(network, letter_kind, organisations)
    if len(letters.letters) > jobs.LETTERS_INLINE:
        job = jobs.document_job_request(
            user=request.user,
            kind=DocumentKind.LETTERS,
            network=network,
            params={"letter": kind, "to": sorted(set(ids)) if ids else None},
            filename=agreements.letters_filename(network, letter_kind),
        )
        return redirect("printing_batch:job", job_pk=job.pk)
    pdf = render_pdf(
        "printing/letters_pdf.html",
        {"network": network, "letters": letters},
        request=request,
    )
    return pdf_response(pdf, agreements.letters_filename(network, letter_kind))


@login_required
@require_GET
def agreements_batch(request, code: str):
    """Every LSR agreement of a voivodeship as one PDF (national scope only)."""
    require_capability(request.user, "print_documents")
    if not scope_of(request.user).is_national:
        raise PermissionDenied
    voivodeship = get_object_or_404(Voivodeship, code=code)
    # dozens of LSRs, hundreds of pages: always rendered by the worker
    job = jobs.document_job_request(
        user=request.user,
        kind=DocumentKind.BATCH,
        voivodeship=voivodeship,
        filename=f"porozumienia-lsr-{voivodeship.code}.pdf",
    )
    return redirect("printing_batch:job", job_pk=job.pk)


@login_required
@require_GET
def job_status(request, job_pk: int):
    """A large document's progress; the fragment is polled with htmx until it is ready."""
    job = jobs.document_job_get_for_user(user=request.user, pk=job_pk)
    template = "printing/partials/_job.html" if request.htmx else "printing/job.html"
    return render(request, template, {"job": job, "JobStatus": JobStatus})


@login_required
@require_GET
def job_download(request, job_pk: int):
    job = jobs.document_job_get_for_user(user=request.user, pk=job_pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    with job.file.open("rb") as stored:
        return pdf_response(stored.read(), job.filename)
