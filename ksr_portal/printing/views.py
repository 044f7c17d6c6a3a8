"""Printed documents of an LSR (agreements, letters) and the voivodeship batch of agreements.

Per-LSR views are mounted under /sieci/<pk>/ (urls_print), the batch under /dokumenty/
(urls_print_batch). Scoping: outside the user's territory 404; in scope without the
``print_documents`` capability 403; the batch is for national-scope users with that capability.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ksr_portal.core.pdf import TocEntry, pdf_response, render_pdf
from ksr_portal.core.scoping import require_capability, scope_of
from networks.selectors import lsr_get_for_user, partnership_get_for_user
from stakeholders.models import Organisation, Voivodeship

from . import agreements


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
def agreement_pdf(request, pk: int):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="print_documents")
    agreement = agreements.lsr_agreement(network)
    pdf = render_pdf(
        "printing/agreement_pdf.html",
        {"network": network, "agreement": agreement},
        request=request,
    )
    return pdf_response(pdf, agreements.agreement_filename(network))


@login_required
@require_GET
def partnership_agreement_pdf(request, pk: int, partnership_pk: int):
    network = lsr_get_for_user(user=request.user, pk=pk, capability="print_documents")
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
    items = agreements.voivodeship_agreements(voivodeship)
    toc = [TocEntry(anchor=a.anchor, title=a.network.name) for a in items]
    pdf = render_pdf(
        "printing/agreements_batch_pdf.html",
        {"voivodeship": voivodeship, "agreements": items, "toc": toc},
        request=request,
    )
    return pdf_response(pdf, f"porozumienia-lsr-{voivodeship.code}.pdf")
