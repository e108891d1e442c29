"""Photos named in a progress report's ``foto`` column → documents of the Pelaksanaan entry.

A cell names one file or several separated by ``;`` (or line breaks), each a path relative to the
table file's folder (or absolute). Every file must exist and be the JPEG or PNG its name says (the
same check as any attachment, ``domain.document_checks``); otherwise the row is refused with the
reason. Each photo carries its SHA-256, so an entry that already has that content does not get it
again when the report is imported once more.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from odc_desktop.domain.document_checks import HEAD_BYTES, check_document, claimed_kind
from odc_desktop.domain.imports import ImportDocument
from odc_desktop.domain.parsing import InputRefused
from odc_desktop.importers.tabular_fields import Said

#: The document type (``jenis_dokumen``) of a progress report's photos.
PHOTO_TYPE = "foto_lapangan"
#: Kinds of file a photo may be.
IMAGE_KINDS = ("JPEG", "PNG")


class PhotoRefused(Exception):
    """A photo the row names cannot be attached; ``finding`` says why."""

    def __init__(self, finding: Said):
        super().__init__(finding.code)
        self.finding = finding


def photo_names(cell: str) -> list[str]:
    """The file names in a ``foto`` cell (``;``- or line-separated), blanks left out."""
    return [name.strip() for name in re.split(r"[;\r\n]+", cell) if name.strip()]


def read_photos(cell: str, folder: str, n: int, title: str = "") -> list[ImportDocument]:
    """The photos a ``foto`` cell of row ``n`` names, found from ``folder``, read and checked
    (raises :class:`PhotoRefused` for the first that is missing or not a JPEG/PNG)."""
    return [_photo(name, Path(folder), n, title) for name in photo_names(cell)]


def _refused(code: str, n: int, name: str, **values: Any) -> PhotoRefused:
    return PhotoRefused(Said(code, {"n": n, "file": name, **values}))


def _photo(name: str, folder: Path, n: int, title: str) -> ImportDocument:
    path = Path(name) if Path(name).is_absolute() else folder / name
    if claimed_kind(path.name) not in IMAGE_KINDS:
        raise _refused("tabular.photo_not_image", n, name)
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                head = head or chunk[:HEAD_BYTES]
                digest.update(chunk)
                size += len(chunk)
    except FileNotFoundError:
        raise _refused("tabular.photo_missing", n, name, folder=str(folder)) from None
    except OSError as error:
        raise _refused("tabular.photo_unreadable", n, name, reason=error.strerror or str(error)) from None
    try:
        check_document(path.name, head, size)
    except InputRefused:
        raise _refused("tabular.photo_not_image", n, name) from None
    return ImportDocument(str(path.resolve()), path.name, PHOTO_TYPE, digest.hexdigest(), size, title)
