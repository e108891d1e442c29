"""Error and problem codes of the protocol; their texts in Bahasa Indonesia and English are the area
``server`` of the message catalogue (``odc_desktop/messages/locale/{id,en}/LC_MESSAGES/server.po``,
keyed by the code as it travels: ``bad_request``, ``missing``, …).

One catalogue for both sides: the server puts ``code`` plus both texts in its answers; a client may
show its own rendering of the code instead. HTTP status per request-level code is in :data:`HTTP_STATUS`.
A new code is one entry in both PO files (and, for a request-level error, its status here).
"""

from __future__ import annotations

from typing import Any

from odc_desktop.messages import text

#: The catalogue's area of the protocol's codes.
AREA = "server"

HTTP_STATUS: dict[str, int] = {
    "bad_request": 400, "body_too_large": 413, "unsupported_protocol": 400, "bad_credentials": 401,
    "too_many_attempts": 429, "token_missing": 401, "token_invalid": 401, "forbidden_role": 403,
    "forbidden_opd": 403, "unknown_device": 403, "device_taken": 409, "bad_public_key": 400,
    "unknown_opd": 400, "user_exists": 409, "not_found": 404, "busy": 503, "tus_version": 412,
    "upload_offset_mismatch": 409, "checksum_mismatch": 460, "checksum_algorithm": 400,
    "file_hash_mismatch": 460, "upload_too_large": 413,
    "own_entry": 403, "not_reviewable": 409, "bad_decision": 400, "entry_locked": 409, "form_refused": 422,
    "form_exists": 409,
}


def message(code: str, lang: str = "id", **values: Any) -> str:
    """The text of ``code`` in ``lang`` ("id" or "en"), with ``values`` filled in (the code itself
    when the catalogue does not know it)."""
    try:
        return text(f"{AREA}.{code}", "en" if lang == "en" else "id", **values)
    except KeyError:
        return code


def problem(field: str, code: str, **values: Any) -> dict[str, str]:
    """One per-item problem as it travels: field, code and both texts."""
    return {"field": field, "code": code, "message": message(code, "id", **values),
            "message_en": message(code, "en", **values)}


def error_body(code: str, **values: Any) -> dict[str, Any]:
    """The body of a request-level error answer."""
    return {"error": {"code": code, "message": message(code, "id", **values),
                      "message_en": message(code, "en", **values)}}
