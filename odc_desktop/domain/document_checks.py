"""Is a file what it claims to be? A document attached to an entry must not be empty, and a file
named or typed as PDF, JPEG or PNG must start with that format's signature ("magic bytes").

Used by the repository for every attachment (the form, the CLI and the importers alike), so an
empty scan or a renamed file is refused with a message instead of being submitted as evidence.
"""

from __future__ import annotations

from pathlib import PurePath

from odc_desktop.domain.parsing import InputRefused

#: How many leading bytes :func:`check_document` needs to see.
HEAD_BYTES = 1024

_KINDS = {  # kind → (extensions, MIME types, test of the leading bytes)
    "PDF": ((".pdf",), ("application/pdf",), lambda head: b"%PDF-" in head[:HEAD_BYTES]),
    "JPEG": ((".jpg", ".jpeg"), ("image/jpeg",), lambda head: head.startswith(b"\xff\xd8\xff")),
    "PNG": ((".png",), ("image/png",), lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
}


def claimed_kind(filename: str, mime: str | None = None) -> str | None:
    """"PDF", "JPEG" or "PNG" when the name or MIME type says so, else None."""
    suffix = PurePath(filename).suffix.casefold()
    for kind, (suffixes, mimes, _test) in _KINDS.items():
        if suffix in suffixes or (mime or "").casefold() in mimes:
            return kind
    return None


def check_document(filename: str, head: bytes, size: int, mime: str | None = None) -> None:
    """Raise :class:`InputRefused` when the file is empty or not the PDF/JPEG/PNG it claims to be.

    ``head``: the file's first :data:`HEAD_BYTES` bytes (or all of them); ``size``: its size.
    """
    if size == 0:
        raise InputRefused("document_empty", name=filename)
    kind = claimed_kind(filename, mime)
    if kind is not None and not _KINDS[kind][2](head):
        raise InputRefused("document_not_kind", name=filename, kind=kind)
