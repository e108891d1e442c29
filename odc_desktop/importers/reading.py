"""Streaming the rows of an ISB/Inaproc JSON file, whatever its text encoding.

A file is a list of row objects, or an object whose ``data`` is that list (data.inaproc.id pages).
It is read with ijson, so a large file never sits in memory as one parsed document. UTF-8 (with or
without a byte-order mark) and UTF-16 are read; any other encoding is refused rather than guessed.
Anything that stops the file from being read whole raises :class:`FileRefused`: the caller then
keeps nothing of that file.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from odc_desktop.importers.rows import Finding, both
from odc_desktop.os_reasons import os_reason

#: Bytes read at a time.
CHUNK = 1 << 16


class FileRefused(Exception):
    """The file cannot be read as JSON rows; ``finding`` says why (nothing of it is kept)."""

    def __init__(self, finding: Finding):
        super().__init__(finding.code)
        self.finding = finding


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # JSON starts with an ASCII character, so UTF-16 without a mark shows a zero byte beside it.
    if len(head) >= 2 and head[0] == 0 and head[1] != 0:
        return "utf-16-be"
    if len(head) >= 2 and head[0] != 0 and head[1] == 0:
        return "utf-16-le"
    return "utf-8"


class _Utf8Reader:
    """A binary stream giving the UTF-8 bytes of a file in another (or the same) encoding, strictly."""

    def __init__(self, raw: BinaryIO, encoding: str, name: str):
        self.raw, self.name, self.consumed = raw, name, 0
        self.decoder = codecs.getincrementaldecoder(encoding)(errors="strict")

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(CHUNK if size is None or size < 0 else size)
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            raise FileRefused(Finding("bad_encoding", {"file": self.name,
                                                       "offset": self.consumed + error.start + 1})) from None
        self.consumed += len(data)
        return text.encode("utf-8")


def _looks_like_csv(head: bytes) -> bool:
    try:
        line = head.decode("utf-8-sig", errors="replace").splitlines()[0].strip()
    except IndexError:
        return False
    return bool(line) and line[0] not in "[{" and any(sep in line for sep in (",", ";", "\t"))


def _json_detail(error: Exception) -> dict[str, str]:
    text = str(error)
    if "premature EOF" in text or "Incomplete" in type(error).__name__ and "EOF" in text:
        return both("json_cut_off")
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return both("json_syntax", detail=first)


def _refuse_non_list(stream: _Utf8Reader, name: str, head: bytes) -> None:
    """Raise the reason a file that does not start with ``[`` or ``{`` gives no rows."""
    try:
        for _ in ijson.parse(stream):
            pass
    except ijson.JSONError as error:
        code = "looks_like_csv" if _looks_like_csv(head) else "not_json"
        raise FileRefused(Finding(code, {"file": name, "detail": _json_detail(error)})) from None
    raise FileRefused(Finding("not_a_list", {"file": name}))


def iter_rows(path: Path) -> Iterator[Any]:
    """Every row value of the file at ``path`` (objects, or whatever else the list holds), streamed.

    Raises :class:`FileRefused` when the file is empty, unreadable, not JSON (truncated, CSV, wrong
    encoding) or not a list of rows; a failure after some rows were yielded still raises, and the
    caller drops what it had.
    """
    name = path.name
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed in finally
    except OSError as error:
        reason = {lang: os_reason(error, lang) for lang in ("id", "en")}  # the system's, in either language
        raise FileRefused(Finding("file_unreadable", {"file": name, "reason": reason})) from None
    try:
        head = raw.read(4096)
        raw.seek(0)
        if not head.strip():
            raise FileRefused(Finding("file_empty", {"file": name}))
        encoding = _encoding(head)
        first = head.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n")[:1]
        prefix = {"[": "item", "{": "data.item"}.get(first)
        stream = _Utf8Reader(raw, encoding, name)
        if prefix is None:
            _refuse_non_list(stream, name, head)
        seen = 0
        try:
            # Straight from the stream, so ijson's C backend builds the rows.
            for row in ijson.items(stream, prefix):
                seen += 1
                yield row
        except ijson.JSONError as error:
            code = "looks_like_csv" if seen == 0 and _looks_like_csv(head) else "not_json"
            raise FileRefused(Finding(code, {"file": name, "detail": _json_detail(error)})) from None
        if seen == 0 and prefix == "data.item":
            raise FileRefused(Finding("not_a_list", {"file": name}))
    finally:
        raw.close()

