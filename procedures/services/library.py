"""The LSR library ("Gminna Biblioteczka LSR", card 7): uploads and deletions.

- Everyone in the LSR's scope (its territory, or a partner representative of an active member)
  searches and downloads the documents (``procedures.selectors.library``).
- ``share_documents`` (the animator, representatives of active members) uploads;
  ``manage_library`` (the animator) deletes; ROPS and KSR coordinators only read.
"""

import uuid
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from networks.models import Network
from networks.selectors import require

from ..files import validate_document
from ..models import DocumentCategory, LibraryDocument

# --- writes -----------------------------------------------------------------------------------


def _stored_name(original: str) -> str:
    """Files are stored under a random name; the original one is kept for the download."""
    return f"{uuid.uuid4().hex}{PurePath(original).suffix.lower()}"


@transaction.atomic
def document_upload(
    *,
    user: Any,
    network: Network,
    title: str,
    category: str,
    description: str,
    upload: UploadedFile,
) -> LibraryDocument:
    require(user, "share_documents", network)
    errors: dict[str, Any] = {}
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
    original = PurePath(upload.name).name[:255]  # type: ignore[arg-type]  # validated: has a name
    document = LibraryDocument(
        network=network,
        title=title.strip(),
        category=category,
        description=(description or "").strip(),
        original_name=original,
        size=upload.size,  # type: ignore[misc]  # validated: has a size
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


def document_delete(*, user: Any, document: LibraryDocument) -> None:
    """The animator removes a document; the file goes once the deletion is committed."""
    require(user, "manage_library", document.network)
    storage, name = document.file.storage, document.file.name
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: storage.delete(name) if name else None)
