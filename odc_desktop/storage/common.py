"""Pure helpers of the SQLite repository (and of the benchmarks that build rows without it).

Nothing here touches a database or the disk: timestamps, canonical JSON and content hashes, the
search text of a process, the denormalised encoding of a process's stage statuses, and the ocid rules.
"""

from __future__ import annotations

import dataclasses
import getpass
import hashlib
import json
import mimetypes
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from odc_desktop.domain.identity import content_identity  # noqa: F401  (re-exported: the one rule)
from odc_desktop.domain.model import AuditCheck
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.messages import Msg

#: Asia/Jakarta (WIB) has no daylight saving time, so a fixed offset is exact.
WIB = timezone(timedelta(hours=7))

#: Meta keys the store manages itself; set_meta refuses them.
RESERVED_META = frozenset({"device_id", "ocid_seq", "audit_head"})

#: Default upper bound of one attachment; scanned PDFs and photos stay well below it.
DEFAULT_MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


def now_iso() -> str:
    """The current time as ISO 8601 with the +07:00 offset, to the second."""
    return datetime.now(WIB).replace(microsecond=0).isoformat()


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no spaces and real UTF-8 characters: the same data gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_sha256(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of data alone: only the in-memory fake (being retired) uses it."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def default_actor() -> str:
    """Who is at the keyboard, for the audit log: the OS user until logins exist, else "operator"."""
    try:
        return getpass.getuser() or "operator"
    except Exception:  # no user name in the environment or the password database (a bare container)
        return "operator"


def actor_or_default(actor: str | None) -> str:
    """``actor`` when given, else :func:`default_actor`."""
    return actor or default_actor()


def new_uid() -> str:
    """A globally unique entry or process id made offline (uuid4, 32 hex characters)."""
    return uuid.uuid4().hex


def search_text(title: str, ocid: str, kode_rup: str | None, opd_name: str) -> str:
    """The lowercased text that process search looks in.

    Parts are joined by a newline: search terms never contain whitespace, so a term can never
    match across two parts, in SQLite (FTS5 trigram or LIKE) and in the fake alike.
    """
    return "\n".join(p for p in (title, ocid, kode_rup or "", opd_name) if p).lower()


def search_terms(text: str) -> list[str]:
    """The lowercased whitespace-separated terms of a search box text; every one must match."""
    return [t for t in text.lower().split() if t]


def encode_statuses(statuses: dict[Stage, EntryStatus]) -> str:
    """Encode the current status per stage as ``"planning=draft,tender=ready,"`` (lifecycle order).

    The trailing comma lets a status filter be an exact ``LIKE '%=draft,%'``.
    """
    return "".join(f"{s.value}={statuses[s].value}," for s in Stage if s in statuses)


def decode_statuses(text: str) -> dict[Stage, EntryStatus]:
    """Inverse of :func:`encode_statuses`."""
    result: dict[Stage, EntryStatus] = {}
    for part in text.split(","):
        if part:
            stage, status = part.split("=", 1)
            result[Stage(stage)] = EntryStatus(status)
    return result


def latest_stage(statuses: dict[Stage, EntryStatus]) -> Stage:
    """The furthest stage that has an entry (planning when none has)."""
    return max(statuses, key=lambda s: s.order) if statuses else Stage.PLANNING


def clean_kode_rup(kode_rup: str | None) -> str | None:
    """A kode RUP without surrounding spaces, or None when empty."""
    cleaned = (kode_rup or "").strip()
    return cleaned or None


def ocid_for_kode_rup(prefix: str, kode_rup: str) -> str:
    """The ocid of a process that has a kode RUP."""
    return f"{prefix}-{kode_rup}"


def offline_ocid(prefix: str, device_id: str, seq: int) -> str:
    """The ocid of a process without kode RUP: unique per device, made without a connection."""
    return f"{prefix}-{device_id}-{seq}"


def duplicate_ocid_message(ocid: str) -> Msg:
    """Operator message for a second process with the same kode RUP."""
    return Msg("storage.duplicate_ocid", ocid=ocid)


def stage_busy_message(stage: Stage) -> Msg:
    """Operator message when a stage is started twice while its entry is not approved yet."""
    return Msg("storage.stage_busy", stage=stage)


def read_only_message(status: EntryStatus) -> Msg:
    """Operator message for an attempt to change a locked entry."""
    return Msg("storage.read_only", status=status)


def not_newer_message(current: int, asked: int) -> Msg:
    """Operator message for moving an entry to a form version that is not newer than its own."""
    return Msg("storage.not_newer", current=current, asked=asked)


def guess_mime(filename: str, mime: str | None) -> str:
    """The given MIME type, else one guessed from the file name, else application/octet-stream."""
    return mime or mimetypes.guess_type(filename)[0] or "application/octet-stream"


def reserved_meta_message(key: str) -> Msg:
    """Operator message for an attempt to overwrite a key the store manages."""
    return Msg("storage.reserved_meta", key=key)


EMPTY_NOTE_MESSAGE = Msg("storage.empty_note")


def integrity_report(db_problems: list[str], audit: AuditCheck, missing: list[str],
                     corrupt: list[str], counts: dict[str, int]) -> dict[str, Any]:
    """The integrity_check result shared by both repositories.

    ``missing`` and ``corrupt`` are the hashes of attachment files that are gone and that are
    damaged. ``integrity`` is "ok" only when the database, the audit chain and every attachment file
    are sound; otherwise it lists the problems for the operator (each a str, SQLite's own words, or a
:class:`~odc_desktop.messages.Msg` said in the reader's language). ``missing_files`` holds every file
    that cannot be used (gone or damaged), ``corrupt_files`` the damaged ones.
    """
    problems = list(db_problems)
    if not audit.ok:
        problems.append(audit.message)
    if missing:
        problems.append(Msg("storage.attachments_missing", count=len(missing)))
    if corrupt:
        problems.append(Msg("storage.attachments_corrupt", count=len(corrupt)))
    return {"ok": not problems, "integrity": "; ".join(map(str, problems)) or "ok", "problems": problems,
            "audit": dataclasses.asdict(audit), "missing_files": missing + corrupt,
            "corrupt_files": corrupt, "counts": counts}
