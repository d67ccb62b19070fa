"""Uploaded files: checked by content, size-capped, stored under generated names, served as
downloads only (SPEC §3.3). Every app's file fields go through this module."""

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innovaction.formatting import format_decimal


@dataclass(frozen=True)
class FileKind:
    extension: str
    mime: str
    label: str


# What may be uploaded, identified by the file's bytes (filetype's signatures), never its name.
ALLOWED = {
    kind.extension: kind
    for kind in [
        FileKind("pdf", "application/pdf", "PDF"),
        FileKind("png", "image/png", "PNG"),
        FileKind("jpg", "image/jpeg", "JPEG"),
        FileKind("doc", "application/msword", "Word 97"),
        FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
        FileKind("xls", "application/vnd.ms-excel", "Excel 97"),
        FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
        FileKind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint"),
        FileKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument texte"),
        FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument classeur"),
        FileKind("odp", "application/vnd.oasis.opendocument.presentation", "OpenDocument présentation"),
    ]
}
PDF_ONLY = ("pdf",)


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    original_name: str
    size: int
    sha256: str


def _read_head(upload, size: int = 8192) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _clean_name(name: str) -> str:
    """The name as shown to people; refuse names that try to point elsewhere."""
    if not name or any(part in name for part in ("/", "\\", "\x00")) or PurePath(name).name in {"", ".", ".."}:
        raise ValidationError(_("Nom de fichier refusé : il ne doit contenir ni chemin ni « .. »."), code="name")
    if name.startswith(".") or ".." in name:
        raise ValidationError(_("Nom de fichier refusé : il ne doit contenir ni chemin ni « .. »."), code="name")
    return "".join(char for char in name if char.isprintable())[:200]


def check_size(upload) -> None:
    """Refuse a file over UPLOAD_MAX_BYTES, with a French message (every upload form)."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Fichier trop volumineux (%(size)s Mo) : la limite est de %(limit)s Mo."),
            code="size",
            params={"size": format_decimal(upload.size / 1024 / 1024, 1), "limit": limit // 1024 // 1024},
        )


def check_upload(upload, *, allowed: tuple[str, ...] | None = None) -> CheckedUpload:
    """Validate an uploaded file; raises ValidationError with a French message."""
    name = _clean_name(getattr(upload, "name", "") or "")
    check_size(upload)
    if upload.size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    guessed = filetype.guess(_read_head(upload))
    accepted = allowed or tuple(ALLOWED)
    if guessed is None or guessed.extension not in accepted:
        labels = ", ".join(ALLOWED[ext].label for ext in accepted)
        raise ValidationError(
            _("Ce type de fichier n'est pas accepté (contenu vérifié) : formats possibles : %(labels)s."),
            code="type",
            params={"labels": labels},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(ALLOWED[guessed.extension], name, upload.size, digest.hexdigest())


def storage_name(folder: str, kind: FileKind) -> str:
    """A generated storage path: nothing of the user's file name reaches the disk."""
    today = timezone.localdate()
    return f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}.{kind.extension}"


def download_response(field_file, *, filename: str, mime: str) -> FileResponse:
    """Serve a stored file as an attachment the browser will not render or execute."""
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=filename, content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
