"""The LSR library (card 7): scoped reads. Every document is reached through its LSR."""

from typing import Any

from django.db.models import Q, QuerySet

from ksr_portal.core.scoping import get_for_user_or_404
from networks.models import Network

from ..models import DocumentCategory, LibraryDocument


def documents_for_lsr(
    *, user: Any, network: Network, query: str = "", category: str = ""
) -> QuerySet[LibraryDocument]:
    """The library, searched in titles and descriptions and filtered by category."""
    qs = (
        LibraryDocument.objects.for_user(user)
        .filter(network=network)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(description__icontains=query))
    if category in DocumentCategory.values:
        qs = qs.filter(category=category)
    return qs


def document_get_for_user(*, user: Any, network: Network, pk: int) -> LibraryDocument:
    return get_for_user_or_404(
        LibraryDocument.objects.select_related("network"), user, pk=pk, network=network
    )
