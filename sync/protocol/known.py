"""What a client already has, said in a few bytes, so the first pull leaves it out.

The first pull (cursor 0) would bring every published form version and the whole OPD master, which a
fresh install mostly ships already. The client sends, as query parameters of ``GET /pull``:

* ``known``: :func:`shipped_content` digest of the form set it ships (every form's hash and the OPD
  list). When the server ships the very same set, it leaves out the forms of that set and, while its
  OPD master is still the shipped list, the OPD rows (one short token for everything a fresh PC has);
* ``known_forms``: :func:`form_token` of every form version it holds (shipped or pulled before),
  separated by ``.``; the server leaves out a form whose hash has one of these tokens;
* ``known_opd``: :func:`opd_digest` of its OPD list; when it equals the digest of the server's whole
  current OPD master, the server leaves out the OPD rows (the client has exactly them).

A form or OPD list that differs still comes down (another hash, another digest). Leaving something
out never moves the cursor differently: the page and its cursor are the same with or without them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from odc_sync.protocol.canonical import canonical_bytes, sha256_hex

#: Hex characters of a form's SHA-256 that name it in ``known_forms`` (48 bits: a handful of forms).
FORM_TOKEN_LENGTH = 12
#: Longest ``known_forms`` the server reads (about 300 form versions).
MAX_KNOWN_FORMS = 4000


def form_token(form_hash: str) -> str:
    return str(form_hash).lower()[:FORM_TOKEN_LENGTH]


def known_forms_param(hashes: Iterable[str]) -> str:
    """The tokens separated by ``.`` (a ``,`` would travel as ``%2C``)."""
    return ".".join(sorted({form_token(h) for h in hashes}))


def parse_known_forms(value: str | None) -> set[str]:
    return {part for part in (value or "").lower().replace(",", ".").split(".")
            if len(part) == FORM_TOKEN_LENGTH and all(c in "0123456789abcdef" for c in part)}


def opd_item(code: str, name_id: str, name_en: str) -> dict[str, Any]:
    """One OPD as ``reference.opd`` of a pull carries it."""
    return {"code": code, "name": {"id": name_id, "en": name_en}}


def opd_digest(items: Iterable[dict[str, Any]]) -> str:
    """A short digest of a whole OPD list (order does not matter)."""
    return sha256_hex(canonical_bytes(sorted(items, key=lambda item: str(item.get("code")))))[:16]


def shipped_content(form_set: Any) -> tuple[str, set[str], str]:
    """``(digest, form hashes, OPD list digest)`` of a shipped form set (``odc_forms``: its forms'
    ``content_hash`` and its ``opd`` codelist, whose items become OPD rows as the server's master
    loads them). Client and server compute it alike; equal digests mean the same shipped content."""
    hashes = {str(form.content_hash) for form in form_set.forms.values()}
    codelist = form_set.codelists.get("opd")
    opd = opd_digest(opd_item(item.code, item.label.get("id", item.code),
                              item.label.get("en", item.label.get("id", item.code)))
                     for item in (codelist.items if codelist is not None else []))
    return sha256_hex(canonical_bytes({"forms": sorted(hashes), "opd": opd}))[:16], hashes, opd
