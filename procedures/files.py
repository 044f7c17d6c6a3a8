"""Checks of uploaded files: extension, content signature and size."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# extension -> signatures the file must start with (None: text that must decode as UTF-8 or CP1250)
DOCUMENT_TYPES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".txt": None,
    ".csv": None,
}


def allowed_extensions() -> str:
    return ", ".join(sorted(DOCUMENT_TYPES))


def validate_document(upload, *, max_bytes: int | None = None) -> None:
    """Refuse files of a wrong type (by extension and by content) or over the size limit."""
    max_bytes = max_bytes or MAX_UPLOAD_BYTES
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Files of this type are not accepted. Allowed: %(types)s.")
            % {"types": allowed_extensions()},
            code="file_type",
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": max_bytes // (1024 * 1024)},
            code="file_size",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = DOCUMENT_TYPES[extension]
    if signatures is None:
        if b"\x00" in head:
            raise ValidationError(
                _("The file content does not match its %(ext)s extension.") % {"ext": extension}
            )
        return
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            _("The file content does not match its %(ext)s extension.") % {"ext": extension},
            code="file_content",
        )
