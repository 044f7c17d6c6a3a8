"""The LSR library ("Gminna Biblioteczka LSR", card 7): scoped reads and the rules of writes.

- Everyone in the LSR's scope (its territory, or a partner representative of an active member)
  searches and downloads the documents; downloads always go through a scoped view.
- The animator and the representatives of active members upload; only the animator deletes.
- ROPS and KSR coordinators only read.
"""

import uuid
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ksr_portal.core.scoping import get_for_user_or_404, has_capability
from networks.models import Network

from ..files import validate_document
from ..models import DocumentCategory, LibraryDocument
from ..selectors.cards import is_member_representative
from ..services.meetings import can_manage


def can_upload(user, network: Network) -> bool:
    if can_manage(user, network):
        return True
    return bool(has_capability(user, "work_own_tasks") and is_member_representative(user, network))


def can_delete(user, network: Network) -> bool:
    return can_manage(user, network)


# --- reads ------------------------------------------------------------------------------------


def documents_for_lsr(
    *, user, network: Network, query: str = "", category: str = ""
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


def document_get_for_user(*, user, network: Network, pk: int) -> LibraryDocument:
    return get_for_user_or_404(
        LibraryDocument.objects.select_related("network"), user, pk=pk, network=network
    )


# --- writes -----------------------------------------------------------------------------------


def _stored_name(original: str) -> str:
    """Files are stored under a random name; the original one is kept for the download."""
    return f"{uuid.uuid4().hex}{PurePath(original).suffix.lower()}"


@transaction.atomic
def document_upload(
    *, user, network: Network, title: str, category: str, description: str, upload
) -> LibraryDocument:
    if not can_upload(user, network):
        raise PermissionDenied
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the document a title.")
    if category not in DocumentCategory.values:
        errors["category"] = _("Choose a category.")
    try:
        validate_document(upload)
    except ValidationError as exc:
        errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    original = PurePath(upload.name).name[:255]
    document = LibraryDocument(
        network=network,
        title=title.strip(),
        category=category,
        description=(description or "").strip(),
        original_name=original,
        size=upload.size,
        uploaded_by=user,
    )
    document.file.save(_stored_name(original), upload, save=False)
    stored = document.file.name
    try:
        document.save()
    except Exception:
        document.file.storage.delete(stored)
        raise
    return document


def document_delete(*, user, document: LibraryDocument) -> None:
    """The animator removes a document; the file goes once the deletion is committed."""
    if not can_delete(user, document.network):
        raise PermissionDenied
    storage, name = document.file.storage, document.file.name
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: storage.delete(name) if name else None)
