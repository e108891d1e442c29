"""Content-addressed attachment store: ``files/<sha[:2]>/<sha>`` under the data dir.

A file is written to a temporary name in the same directory tree, flushed to disk (fsync), then
renamed into place atomically, so a crash leaves either the whole file or none of it. The same bytes
are stored once, whatever their names and however many entries link them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from odc_desktop.messages import Msg
from odc_desktop.domain.document_checks import HEAD_BYTES, check_document
from odc_desktop.domain.parsing import InputRefused
from odc_desktop.storage.common import DEFAULT_MAX_ATTACHMENT_BYTES
from odc_desktop.storage.repository import StorageError

_CHUNK = 1024 * 1024
_STALE_SECONDS = 24 * 3600


def too_large_message(size: int, limit: int) -> Msg:
    """Operator message for a file above the attachment size limit."""
    return Msg("storage.too_large", size_mb=size / 1_048_576, limit_mb=limit / 1_048_576)


def missing_source_message(path: Path) -> Msg:
    """Operator message for a file to attach that is not there (moved, renamed, USB removed)."""
    return Msg("storage.missing_source", path=path)


class FileStore:
    """Stores attachment bytes by SHA-256 under ``root``; ``max_bytes`` limits one file."""

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._tmp = root / "tmp"
        self._tmp.mkdir(parents=True, exist_ok=True)
        self._remove_stale_temp_files()

    def path_for(self, sha256: str) -> Path:
        """Where the file with this hash lives (whether or not it exists)."""
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        """True when the file with this hash is stored."""
        return self.path_for(sha256).is_file()

    def put(self, source: Path | bytes) -> tuple[str, int]:
        """Store bytes or a file's contents; return (sha256, size). Raises StorageError."""
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            if len(data) > self.max_bytes:
                raise StorageError(too_large_message(len(data), self.max_bytes))
            return self._write(lambda out: _copy_bytes(data, out))
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                raise StorageError(too_large_message(size, self.max_bytes))
            with path.open("rb") as src:
                return self._write(lambda out: _copy_stream(src, out, self.max_bytes))
        except FileNotFoundError as exc:
            raise StorageError(missing_source_message(path)) from exc
        except PermissionError as exc:
            raise StorageError("storage.source_denied", path=path) from exc

    def read(self, sha256: str) -> bytes:
        """The stored bytes; StorageError when the file is missing."""
        try:
            return self.path_for(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise StorageError("storage.attachment_missing", name=sha256[:12]) from exc

    def is_intact(self, sha256: str) -> bool:
        """True when the file exists and its bytes still hash to its name."""
        path = self.path_for(sha256)
        if not path.is_file():
            return False
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(_CHUNK), b""):
                digest.update(chunk)
        return digest.hexdigest() == sha256

    def remove(self, sha256: str) -> None:
        """Delete a stored file (used once no attachment row refers to it any more)."""
        self.path_for(sha256).unlink(missing_ok=True)

    def _remove_stale_temp_files(self) -> None:
        """Drop copies a crash interrupted. Only day-old ones: another program (the CLI) may be
        copying a file right now."""
        cutoff = time.time() - _STALE_SECONDS
        for tmp in self._tmp.glob("incoming-*"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
            except FileNotFoundError:
                continue  # removed meanwhile by the program that made it

    def _write(self, copy) -> tuple[str, int]:
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="incoming-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                sha, size = copy(out)
                out.flush()
                os.fsync(out.fileno())
            final = self.path_for(sha)
            if self.is_intact(sha):
                # Same bytes already stored: keep that copy (on Windows it may be open in a viewer,
                # where replacing it would fail). A damaged copy is replaced, which repairs it.
                tmp.unlink()
                return sha, size
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            return sha, size
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _copy_bytes(data: bytes, out: BinaryIO) -> tuple[str, int]:
    out.write(data)
    return hashlib.sha256(data).hexdigest(), len(data)


def _copy_stream(src: BinaryIO, out: BinaryIO, limit: int) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: src.read(_CHUNK), b""):
        size += len(chunk)
        if size > limit:  # the file grew after stat(): still enforce the limit
            raise StorageError(too_large_message(size, limit))
        digest.update(chunk)
        out.write(chunk)
    return digest.hexdigest(), size


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable; Windows cannot open directories, and needs no such step."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def refuse_unfit_document(source: Path | bytes, filename: str, mime: str | None = None) -> None:
    """StorageError (caused by the domain's InputRefused) when the document to attach is empty or
    not the PDF/JPEG/PNG its name or type claims; a missing file is left to the copy to report."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        head, size = bytes(source[:HEAD_BYTES]), len(source)
    else:
        try:
            size = Path(source).stat().st_size
            with Path(source).open("rb") as src:
                head = src.read(HEAD_BYTES)
        except OSError:
            return
    try:
        check_document(filename, head, size, mime)
    except InputRefused as refused:
        raise StorageError(Msg(refused.code, **refused.params)) from refused
