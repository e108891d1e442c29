"""Pure helpers of the SQLite repository (and of the benchmarks that build rows without it).

Nothing here touches a database or the disk: timestamps, canonical JSON and content hashes, the
search text of a process, the denormalised encoding of a process's stage statuses, and the ocid rules.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import mimetypes
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from odc_desktop.domain.model import AuditCheck
from odc_desktop.domain.statuses import EntryStatus, Stage

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
    """SHA-256 (hex) of the canonical JSON of an entry's data: the identity of its content."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def new_uid() -> str:
    """A globally unique entry id made offline (uuid4, 32 hex characters)."""
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


def duplicate_ocid_message(ocid: str) -> str:
    """Operator message for a second process with the same kode RUP."""
    return (f"Paket dengan ocid {ocid} sudah ada. Kode RUP hanya boleh dipakai satu paket; "
            f"cari paket tersebut di daftar dan lanjutkan pengisiannya di sana.")


def stage_busy_message(stage: Stage) -> str:
    """Operator message when a stage is started twice while its entry is not approved yet."""
    return (f"Tahap {stage.title()} sudah memiliki entri yang belum disetujui. "
            f"Lanjutkan entri tersebut daripada membuat yang baru.")


def read_only_message(status: EntryStatus) -> str:
    """Operator message for an attempt to change a locked entry."""
    return (f"Entri berstatus '{status.title()}' tidak dapat diubah. Data yang sudah dikirim atau "
            f"disetujui terkunci; perubahan setelah persetujuan dibuat sebagai entri baru.")


def not_newer_message(current: int, asked: int) -> str:
    """Operator message for moving an entry to a form version that is not newer than its own."""
    return (f"Entri sudah memakai formulir versi {current}; tidak dapat dipindahkan ke versi {asked}. "
            f"Hanya versi yang lebih baru yang dapat dipakai.")


def guess_mime(filename: str, mime: str | None) -> str:
    """The given MIME type, else one guessed from the file name, else application/octet-stream."""
    return mime or mimetypes.guess_type(filename)[0] or "application/octet-stream"


def reserved_meta_message(key: str) -> str:
    """Operator message for an attempt to overwrite a key the store manages."""
    return f"Kunci '{key}' dikelola oleh ODC Desktop sendiri dan tidak dapat diubah."


EMPTY_NOTE_MESSAGE = "Catatan verifikator tidak boleh kosong. Tulis apa yang perlu diperbaiki."


def integrity_report(db_problems: list[str], audit: AuditCheck, missing: list[str],
                     corrupt: list[str], counts: dict[str, int]) -> dict[str, Any]:
    """The integrity_check result shared by both repositories.

    ``missing`` and ``corrupt`` are the hashes of attachment files that are gone and that are
    damaged. ``integrity`` is "ok" only when the database, the audit chain and every attachment file
    are sound; otherwise it lists the problems for the operator. ``missing_files`` holds every file
    that cannot be used (gone or damaged), ``corrupt_files`` the damaged ones.
    """
    problems = list(db_problems)
    if not audit.ok:
        problems.append(audit.message)
    if missing:
        problems.append(f"{len(missing)} berkas lampiran hilang")
    if corrupt:
        problems.append(f"{len(corrupt)} berkas lampiran rusak (isinya tidak cocok dengan hash)")
    return {"ok": not problems, "integrity": "; ".join(problems) or "ok", "problems": problems,
            "audit": dataclasses.asdict(audit), "missing_files": missing + corrupt,
            "corrupt_files": corrupt, "counts": counts}
