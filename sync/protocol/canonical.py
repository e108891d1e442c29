"""Canonical bytes and content hashes: the one rule both sides use before hashing or signing.

Canonical JSON is ``json.dumps`` with sorted keys, no whitespace, UTF-8 (not ``\\u`` escapes) and no
NaN/Infinity. Both sides run the same function, so a value survives the round trip bit for bit.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from odc_desktop.domain.identity import payload_identity


def canonical_bytes(value: Any) -> bytes:
    """The canonical UTF-8 JSON bytes of ``value`` (sorted keys, ``,``/``:`` separators)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_sha256(payload: dict[str, Any]) -> str:
    """The content hash of an entry payload: the store's content identity of its form triple, data and
    attachment manifest (``odc_desktop.domain.identity``), so a receipt names exactly what the device
    holds and the same content under another revision is the same content."""
    return payload_identity(payload)


def b64encode(data: bytes) -> str:
    """Standard base64 with padding (the form tus uses for checksums, used for keys and signatures)."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes:
    """Strict standard base64; raises ``ValueError`` on anything else."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise ValueError("not base64") from exc
