"""Stored files of the portfolio (signed letters, documents): checked by content through
`innovaction.uploads`, written under generated names, removed when their record goes."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from innovaction.uploads import CheckedUpload, check_upload, storage_name


@contextmanager
def stored_upload(
    upload, *, folder: str, field: str, allowed: tuple[str, ...] | None = None
) -> Iterator[tuple[str, CheckedUpload]]:
    """Check `upload`, store it, and yield (storage name, check); the file is removed again
    if the block that records it fails, so a refused save leaves nothing on disk. A refused
    file raises ValidationError on `field`."""
    try:
        checked = check_upload(upload, allowed=allowed)
    except ValidationError as error:
        raise ValidationError({field: error}) from error
    name = default_storage.save(storage_name(folder, checked.kind), upload)
    try:
        yield name, checked
    except BaseException:
        default_storage.delete(name)
        raise


def delete_after_commit(name: str) -> None:
    """Remove a stored file once the transaction that forgets it has committed."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
