"""Reading OCDS files of any size and common shape, streamed, for ``odc validate``.

A file may be plain or gzip-compressed; UTF-8 (with or without BOM) or UTF-16; hold one JSON value
or several (JSON Lines, concatenated packages). Each top-level value is a *document*. A document's
``releases``/``records`` items are built one at a time (``ijson``), so memory stays flat in the
file size; everything else of the document (package metadata, or a whole release or record) is
kept. Too-deep nesting is cut off while parsing, before any recursive code sees it.
"""

from __future__ import annotations

import codecs
import dataclasses
import gzip
import json
import re
from pathlib import Path
from typing import Any, BinaryIO, Iterator

import ijson

from odc_desktop.messages import CodedError

#: Deeper than any OCDS structure (about 10 levels); deeper items are reported, not built.
MAX_DEPTH = 64
ITEM_KEYS = ("releases", "records")
#: Plain files up to this size are read whole with the standard json module (about 4x faster than
#: streaming); bigger or compressed ones are streamed.
WHOLE_FILE_LIMIT = 16_000_000
_GZIP_MAGIC = b"\x1f\x8b"
_SPACE = re.compile(r"\s*")


class ReadError(CodedError):
    """The file cannot be read as JSON: ``key`` names the message (the catalogue's area ``validate``),
    ``params`` fill it."""

    def __init__(self, key: str, **params: Any):
        self.key = key
        super().__init__(f"validate.{key}", **params)


@dataclasses.dataclass
class Item:
    """One element of a document's ``releases``/``records`` list (``value`` None when too deep)."""

    document: int
    kind: str
    position: int
    value: Any
    too_deep: bool = False


@dataclasses.dataclass
class DocumentEnd:
    """The end of a document: its top-level value without the streamed item lists.

    ``streamed`` names the keys whose list items were given as :class:`Item`s (with their count).
    """

    document: int
    value: Any
    streamed: dict[str, int]
    too_deep: bool = False


def _utf16_without_bom(head: bytes) -> str | None:
    # JSON text starts with an ASCII character: a zero byte beside it tells UTF-16 and its byte order.
    if len(head) >= 2 and head[0] == 0 and head[1] != 0:
        return "utf-16-be"
    if len(head) >= 2 and head[0] != 0 and head[1] == 0:
        return "utf-16-le"
    return None


def open_json_bytes(path: Path) -> BinaryIO:
    """A binary UTF-8 stream of the file's JSON text (gzip undone, BOM dropped, UTF-16 re-encoded)."""
    try:
        raw: BinaryIO = open(path, "rb")
        if raw.read(2) == _GZIP_MAGIC:
            raw.close()
            raw = gzip.open(path, "rb")  # type: ignore[assignment]
        else:
            raw.seek(0)
        head = raw.read(4)
    except (OSError, EOFError) as exc:
        raise ReadError("unreadable", reason=getattr(exc, "strerror", None) or exc) from exc
    if head.startswith(codecs.BOM_UTF8):
        raw.seek(3)
        return raw
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(head)
    raw.seek(0)
    if encoding is None:
        return raw
    return _Utf8Recoder(raw, encoding)  # type: ignore[return-value]


class _Utf8Recoder:
    """A readable binary stream giving UTF-8 for a stream in another encoding (decoded incrementally)."""

    def __init__(self, raw: BinaryIO, encoding: str):
        self._raw, self._decoder, self._pending = raw, codecs.getincrementaldecoder(encoding)(), b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._pending) < size:
            chunk = self._raw.read(65536 if size < 0 else max(size, 65536))
            self._pending += self._decoder.decode(chunk, final=not chunk).encode("utf-8")
            if not chunk:
                break
        if size < 0:
            size = len(self._pending)
        data, self._pending = self._pending[:size], self._pending[size:]
        return data

    def close(self) -> None:
        self._raw.close()


def read_small(path: Path) -> list[Any] | None:
    """Every JSON value of a small plain file, or None when it must be streamed (big, gzip, too deep).

    Raises :class:`ReadError` for a file that is not JSON text.
    """
    try:
        if path.stat().st_size > WHOLE_FILE_LIMIT:
            return None
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError("unreadable", reason=exc.strerror or exc) from exc
    if raw.startswith(_GZIP_MAGIC):
        return None
    if raw.startswith(codecs.BOM_UTF8):
        encoding, raw = "utf-8", raw[3:]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(raw[:4]) or "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError("not_utf8") from exc
    try:
        return _decode_all(text)
    except RecursionError:
        return None  # the streaming reader reports the too-deep parts one by one


def _decode_all(text: str) -> list[Any]:
    decoder, values, position = json.JSONDecoder(), [], _SPACE.match(text, 0).end()
    while position < len(text):
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise ReadError("not_json", reason=f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
        values.append(value)
        position = _SPACE.match(text, position).end()
    if not values:
        raise ReadError("empty")
    return values


def pieces_of(values: list[Any], build_items: bool = True) -> Iterator[Item | DocumentEnd]:
    """The pieces :func:`iter_documents` would give for values already in memory."""
    for document, value in enumerate(values):
        streamed: dict[str, int] = {}
        if isinstance(value, dict) and "ocid" not in value:
            for key in ITEM_KEYS:
                if isinstance(value.get(key), list):
                    streamed[key] = len(value[key])
                    for position, item in enumerate(value[key]):
                        yield Item(document, key, position, item if build_items else None)
            value = {key: item for key, item in value.items() if key not in streamed}
        yield DocumentEnd(document, value, streamed)


def _builder_value(builder: ijson.ObjectBuilder) -> Any:
    return builder.value if hasattr(builder, "value") else None


def iter_documents(path: Path, build_items: bool = True) -> Iterator[Item | DocumentEnd]:
    """Items and document ends of every JSON value in the file, in order. Raises :class:`ReadError`.

    ``build_items=False`` only counts the items (a quick first pass for the package metadata, which
    may follow the releases in the file).
    """
    stream = open_json_bytes(path)
    try:
        # basic_parse: no prefix strings, whose size grows with the depth of nesting
        events = ijson.basic_parse(stream, multiple_values=True, use_float=True)
        yield from _events_to_pieces(events, build_items)
    except ijson.JSONError as exc:
        if "UTF8" in str(exc):
            raise ReadError("not_utf8") from exc
        if "premature EOF" in str(exc) and _blank(path):
            raise ReadError("empty") from exc
        raise ReadError("not_json", reason=_short(exc)) from exc
    except UnicodeDecodeError as exc:
        raise ReadError("not_utf8") from exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ReadError("unreadable", reason=getattr(exc, "strerror", None) or exc) from exc
    finally:
        stream.close()


def iter_list_items(path: Path, key: str) -> Iterator[Item]:
    """The items of the ``key`` list of a file holding one package, built by ijson's C code.

    About twice as fast as :func:`iter_documents`; only for a file whose first pass found a single
    document, with a single item list and no item nested too deeply.
    """
    for position, value in enumerate(_built_in_c(path, f"{key}.item")):
        yield Item(0, key, position, value)


def iter_small_documents(path: Path) -> Iterator[DocumentEnd]:
    """Every JSON value of the file, each built whole by ijson's C code (JSON Lines of releases).

    Only for a file whose first pass found no item list to stream and nothing nested too deeply.
    """
    for document, value in enumerate(_built_in_c(path, "")):
        yield DocumentEnd(document, value, {})


def _built_in_c(path: Path, prefix: str) -> Iterator[Any]:
    stream = open_json_bytes(path)
    try:
        yield from ijson.items(stream, prefix, multiple_values=True, use_float=True)
    except ijson.JSONError as exc:
        raise ReadError("not_json", reason=_short(exc)) from exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ReadError("unreadable", reason=getattr(exc, "strerror", None) or exc) from exc
    finally:
        stream.close()


def _blank(path: Path) -> bool:
    """True when the file holds nothing but white space (read again, in chunks)."""
    stream = open_json_bytes(path)
    try:
        while chunk := stream.read(65536):
            if chunk.strip():
                return False
        return True
    finally:
        stream.close()


def _short(exc: Exception) -> str:
    arg = exc.args[0] if exc.args else exc
    text = " ".join((arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg)).split())
    return text if len(text) <= 160 else text[:157] + "..."


def _events_to_pieces(events: Iterator[tuple[str, Any]], build_items: bool) -> Iterator[Item | DocumentEnd]:
    """Turn ijson events into pieces; a small state machine, because it runs once per JSON token."""
    document = -1
    depth = 0                     # nesting depth of the current event within the document
    top: ijson.ObjectBuilder | None = None
    item: ijson.ObjectBuilder | None = None
    item_depth, positions = 0, {}
    in_list: str | None = None    # the item list whose elements are being streamed
    deep = doc_deep = False
    top_key: str | None = None
    is_object = False
    for event, value in events:
        if depth == 0:  # a new document starts
            document += 1
            top, positions, in_list, doc_deep, top_key = ijson.ObjectBuilder(), {}, None, False, None
            is_object = event == "start_map"
        opening = event in ("start_map", "start_array")
        closing = event in ("end_map", "end_array")
        if in_list is not None and depth >= 2:
            # inside the streamed list: depth 2 is the list itself, 3 starts an item
            if depth == 2 and event == "end_array":
                in_list = None
                depth -= 1
                continue
            if depth == 2:  # an item starts (or is a scalar)
                item, deep = ijson.ObjectBuilder(), False
                item_depth = 2
            if opening and depth - item_depth + 1 > MAX_DEPTH:
                deep = True
            if not deep and build_items and item is not None:
                item.event(event, value)
            depth += 1 if opening else -1 if closing else 0
            if depth == 2 and item is not None:  # the item ended
                position = positions.get(in_list, 0)
                positions[in_list] = position + 1
                yield Item(document, in_list, position, _builder_value(item) if build_items and not deep else None,
                           deep)
                item = None
            continue
        if is_object and depth == 1 and event == "map_key":
            top_key = value
        elif is_object and depth == 1 and event == "start_array" and top_key in ITEM_KEYS \
                and "ocid" not in (_builder_value(top) or {}):
            in_list = top_key
            positions[top_key] = 0
            depth += 1
            continue
        if opening and depth + 1 > MAX_DEPTH:
            doc_deep = True
        if not doc_deep and top is not None:
            top.event(event, value)
        depth += 1 if opening else -1 if closing else 0
        if depth == 0:
            value_built = None if doc_deep else _builder_value(top)
            yield DocumentEnd(document, value_built, dict(positions), doc_deep)
