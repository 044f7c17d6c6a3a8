"""PDF print-outs of procedure cards (the MLW card template), mounted under /sieci/<pk>/."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from ksr_portal.core.pdf import pdf_response, render_pdf
from networks.selectors import lsr_get_for_user

from ..selectors.cards import card_get_for_user


def card_pdf_filename(card, network) -> str:
    """``karta-<number>-<lsr>.pdf``; Polish letters stay (sent RFC 5987-encoded)."""
    stem = slugify(network.name, allow_unicode=True)[:80].strip("-") or str(network.pk)
    return f"karta-{card.number}-{stem}.pdf"


@login_required
@require_GET
def card_pdf(request, pk: int, card_pk: int):
    """The card as a PDF, for everyone who may see the card (404 outside the user's scope)."""
    network = lsr_get_for_user(user=request.user, pk=pk)
    card = card_get_for_user(user=request.user, network=network, pk=card_pk)
    pdf = render_pdf(
        "procedures/card_pdf.html",
        {"network": network, "card": card, "activities": list(card.activities.all())},
        request=request,
    )
    return pdf_response(pdf, card_pdf_filename(card, network))


urlpatterns = [
    path("karty/<int:card_pk>/pdf/", card_pdf, name="card_pdf"),
]
