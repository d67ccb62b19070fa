"""Documents attached to a project: checked by content, stored under generated names."""

from django.db import transaction

from innovaction.models import User
from portfolio.choices import DocumentKind
from portfolio.models import Document, Project
from portfolio.services.files import delete_after_commit, stored_upload


@transaction.atomic
def document_add(*, project: Project, by: User, upload, kind: DocumentKind, title: str = "") -> Document:
    """Attach `upload` to the project; a refused file (type, size, name) raises
    ValidationError and nothing is stored."""
    with stored_upload(upload, folder="documents", field="file") as (name, checked):
        document = Document(
            project=project,
            kind=kind,
            title=title.strip() or checked.original_name,
            original_name=checked.original_name,
            mime_type=checked.kind.mime,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=by,
        )
        document.file.name = name
        document.full_clean()
        document._history_user = by
        document.save()
    return document


@transaction.atomic
def document_delete(*, document: Document, by: User) -> None:
    name = document.file.name
    document._history_user = by
    document.delete()
    delete_after_commit(name)
