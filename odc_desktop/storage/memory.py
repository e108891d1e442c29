"""InMemoryRepository: the Repository in plain dicts, the fake the contract suite also runs against.

It follows the same rules as :class:`~odc_desktop.storage.sql.SqlRepository` through the shared
helpers in :mod:`odc_desktop.storage.common` and :mod:`odc_desktop.storage.audit`; attachment bytes
are kept in memory. Data is copied in and out through JSON, as the database does.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import secrets
from pathlib import Path
from typing import Any

from odc_desktop.domain.model import (
    Attachment,
    AuditCheck,
    Entry,
    NewProcess,
    Process,
    ProcessFilter,
    ProcessOrder,
    ProcessRow,
    ReviewNote,
    SortKey,
)
from odc_desktop.domain.statuses import EDITABLE_STATUSES, EntryStatus, Stage, check_transition
from odc_desktop.storage.audit import AuditRecord, make_record, verify_chain
from odc_desktop.storage.common import (
    DEFAULT_MAX_ATTACHMENT_BYTES,
    EMPTY_NOTE_MESSAGE,
    RESERVED_META,
    canonical_json,
    clean_kode_rup,
    content_sha256,
    duplicate_ocid_message,
    guess_mime,
    integrity_report,
    latest_stage,
    new_uid,
    not_newer_message,
    now_iso,
    ocid_for_kode_rup,
    offline_ocid,
    read_only_message,
    reserved_meta_message,
    search_terms,
    search_text,
    stage_busy_message,
)
from odc_desktop.storage.filestore import missing_source_message, refuse_unfit_document, too_large_message
from odc_desktop.storage.repository import NotFound, ReadOnlyEntry, StorageError



def _copy(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(canonical_json(data))


class InMemoryRepository:
    """A Repository that lives only as long as the object; no files are written."""

    def __init__(self, max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES) -> None:
        self.max_attachment_bytes = max_attachment_bytes
        self._processes: dict[int, Process] = {}
        self._statuses: dict[int, dict[Stage, EntryStatus]] = {}
        self._change_seq: dict[int, int] = {}
        self._search: dict[int, str] = {}
        self._entries: dict[int, Entry] = {}
        self._attachments: dict[int, Attachment] = {}
        self._blobs: dict[str, bytes] = {}
        self._notes: dict[int, ReviewNote] = {}
        self._meta: dict[str, str] = {}
        self._audit_log: list[AuditRecord] = []
        self._ids = {"process": 0, "entry": 0, "attachment": 0, "note": 0, "change": 0}
        device_id = secrets.token_hex(4)
        self._meta.update(device_id=device_id, ocid_seq="0")
        self._audit(now_iso(), "system", "init_device", "meta", "device_id", {"device_id": device_id})

    def batch(self) -> contextlib.AbstractContextManager[None]:
        """Many changes as one (each change here is already immediate and all-or-nothing)."""
        return contextlib.nullcontext()

    # internals ------------------------------------------------------------------------------
    def _next(self, kind: str) -> int:
        self._ids[kind] += 1
        return self._ids[kind]

    def _audit(self, at: str, actor: str, action: str, object_type: str, object_id: Any,
               payload: dict[str, Any]) -> None:
        prev = self._audit_log[-1] if self._audit_log else None
        self._audit_log.append(make_record(prev, at, actor, action, object_type, object_id, payload))

    def _touch(self, process_id: int, now: str) -> None:
        current: dict[Stage, EntryStatus] = {}
        for entry in sorted(self._entries.values(), key=lambda e: e.id):
            if entry.process_id == process_id:
                current[entry.stage] = entry.status
        self._statuses[process_id] = current
        self._change_seq[process_id] = self._next("change")
        self._processes[process_id] = dataclasses.replace(
            self._processes[process_id], current_stage=latest_stage(current), updated_at=now)

    def _current(self, process_id: int, stage: Stage) -> Entry | None:
        found = [e for e in self._entries.values() if e.process_id == process_id and e.stage == stage]
        return max(found, key=lambda e: e.id) if found else None

    def _entry(self, entry_id: int) -> Entry:
        if entry_id not in self._entries:
            raise NotFound(f"Entri #{entry_id} tidak ditemukan. Muat ulang paket ini.")
        return self._entries[entry_id]

    def _editable(self, entry_id: int) -> Entry:
        entry = self._entry(entry_id)
        if entry.status not in EDITABLE_STATUSES:
            raise ReadOnlyEntry(read_only_message(entry.status))
        return entry

    def _out(self, entry: Entry) -> Entry:
        return dataclasses.replace(entry, data=_copy(entry.data))

    # processes ------------------------------------------------------------------------------
    def create_process(self, new: NewProcess, ocid_prefix: str, actor: str = "operator") -> Process:
        kode_rup = clean_kode_rup(new.kode_rup)
        if kode_rup:
            ocid = ocid_for_kode_rup(ocid_prefix, kode_rup)
            if self.find_process_by_ocid(ocid) is not None:
                raise StorageError(duplicate_ocid_message(ocid))
        else:
            seq = int(self._meta["ocid_seq"]) + 1
            self._meta["ocid_seq"] = str(seq)
            ocid = offline_ocid(ocid_prefix, self._meta["device_id"], seq)
        now, pid, title = now_iso(), self._next("process"), new.title.strip()
        self._processes[pid] = Process(pid, ocid, title, new.opd_code, new.opd_name, int(new.year),
                                       kode_rup, new.kecamatan, Stage.PLANNING, now, now)
        self._statuses[pid] = {}
        self._change_seq[pid] = self._next("change")
        self._search[pid] = search_text(title, ocid, kode_rup, new.opd_name)
        self._audit(now, actor, "create_process", "process", pid,
                    {"ocid": ocid, "title": title, "opd_code": new.opd_code, "year": int(new.year),
                     "kode_rup": kode_rup})
        return self._processes[pid]

    def get_process(self, process_id: int) -> Process:
        if process_id not in self._processes:
            raise NotFound(f"Paket #{process_id} tidak ditemukan. Muat ulang daftar paket.")
        return self._processes[process_id]

    def find_process_by_ocid(self, ocid: str) -> Process | None:
        return next((p for p in self._processes.values() if p.ocid == ocid), None)

    def list_process_ids(self, flt: ProcessFilter = ProcessFilter(),
                         order: ProcessOrder = ProcessOrder()) -> list[int]:
        terms = search_terms(flt.text)
        ids = [p.id for p in self._processes.values()
               if all(t in self._search[p.id] for t in terms)
               and (flt.opd_code is None or p.opd_code == flt.opd_code)
               and (flt.year is None or p.year == int(flt.year))
               and (flt.stage is None or p.current_stage == Stage(flt.stage))
               and (flt.status is None or EntryStatus(flt.status) in self._statuses[p.id].values())]
        newest_first = sorted(ids, key=lambda i: self._change_seq[i], reverse=True)
        if order.key == SortKey.UPDATED:
            return newest_first if order.descending else newest_first[::-1]
        return sorted(newest_first, key=lambda i: self._sort_value(i, SortKey(order.key)),
                      reverse=order.descending)  # stable: ties stay newest first

    def _sort_value(self, process_id: int, key: SortKey) -> Any:
        process = self._processes[process_id]
        if key == SortKey.TITLE:
            return process.title.lower()
        if key == SortKey.OPD:
            return process.opd_name.lower()
        if key == SortKey.YEAR:
            return process.year
        if key == SortKey.STAGE:
            return process.current_stage.order
        status = self._statuses[process_id].get(process.current_stage)
        return 0 if status is None else list(EntryStatus).index(status) + 1

    def get_process_rows(self, ids: list[int]) -> list[ProcessRow]:
        return [ProcessRow(p.id, p.ocid, p.title, p.opd_name, p.year, p.current_stage,
                           dict(self._statuses[p.id]), p.updated_at)
                for p in (self._processes.get(i) for i in ids) if p is not None]

    def count_processes(self) -> int:
        return len(self._processes)

    def list_opds(self) -> list[tuple[str, str]]:
        pairs = {(p.opd_name, p.opd_code) for p in self._processes.values()}
        return [(code, name) for name, code in sorted(pairs, key=lambda p: (p[0].lower(), p[1]))]

    def list_years(self) -> list[int]:
        return sorted({p.year for p in self._processes.values()}, reverse=True)

    # entries --------------------------------------------------------------------------------
    def current_entry(self, process_id: int, stage: Stage) -> Entry | None:
        entry = self._current(process_id, Stage(stage))
        return self._out(entry) if entry else None

    def entries_of_process(self, process_id: int) -> list[Entry]:
        return [self._out(e) for e in sorted(self._entries.values(), key=lambda e: e.id)
                if e.process_id == process_id]

    def create_entry(self, process_id: int, stage: Stage, form_id: str, form_version: int,
                     form_hash: str, data: dict[str, Any] | None = None,
                     actor: str = "operator") -> Entry:
        stage = Stage(stage)
        self.get_process(process_id)
        current = self._current(process_id, stage)
        if current is not None and current.status != EntryStatus.APPROVED:
            raise StorageError(stage_busy_message(stage))
        data = _copy(data or {})
        now, eid, sha = now_iso(), self._next("entry"), content_sha256(data)
        self._entries[eid] = Entry(eid, new_uid(), process_id, stage, form_id, int(form_version),
                                   form_hash, data, EntryStatus.DRAFT, 1,
                                   current.revision if current else None, sha, now, now)
        self._touch(process_id, now)
        self._audit(now, actor, "create_entry", "entry", eid,
                    {"process_id": process_id, "stage": stage.value, "form_id": form_id,
                     "form_version": int(form_version), "content_sha256": sha})
        return self._out(self._entries[eid])

    def get_entry(self, entry_id: int) -> Entry:
        return self._out(self._entry(entry_id))

    def save_entry_data(self, entry_id: int, data: dict[str, Any], actor: str = "operator") -> Entry:
        entry = self._editable(entry_id)
        sha = content_sha256(data)
        if sha == entry.content_sha256:
            return self._out(entry)
        return self._rewrite_entry(entry, actor, "save_entry_data",
                                   {"revision": entry.revision + 1, "content_sha256": sha, "status": "draft"},
                                   data=_copy(data), content_sha256=sha, revision=entry.revision + 1)

    def migrate_entry(self, entry_id: int, form_version: int, form_hash: str, data: dict[str, Any],
                      actor: str = "operator") -> Entry:
        entry = self._editable(entry_id)
        if form_version <= entry.form_version:
            raise StorageError(not_newer_message(entry.form_version, form_version))
        sha = content_sha256(data)
        return self._rewrite_entry(entry, actor, "migrate_entry",
                                   {"from_version": entry.form_version, "to_version": form_version,
                                    "form_hash": form_hash, "revision": entry.revision + 1,
                                    "content_sha256": sha},
                                   data=_copy(data), content_sha256=sha, revision=entry.revision + 1,
                                   form_version=form_version, form_hash=form_hash)

    def _rewrite_entry(self, entry: Entry, actor: str, action: str, payload: dict[str, Any],
                       **values: Any) -> Entry:
        """Store new values of an editable entry, audited; it is a DRAFT afterwards."""
        now = now_iso()
        self._entries[entry.id] = dataclasses.replace(entry, status=EntryStatus.DRAFT, updated_at=now,
                                                      **values)
        self._touch(entry.process_id, now)
        self._audit(now, actor, action, "entry", entry.id, payload)
        return self._out(self._entries[entry.id])

    def set_entry_status(self, entry_id: int, status: EntryStatus, actor: str = "operator",
                         reason: str = "") -> Entry:
        status = EntryStatus(status)
        entry = self._entry(entry_id)
        check_transition(entry.status, status)
        now = now_iso()
        self._entries[entry_id] = dataclasses.replace(entry, status=status, updated_at=now)
        self._touch(entry.process_id, now)
        self._audit(now, actor, "set_entry_status", "entry", entry_id,
                    {"from": entry.status.value, "to": status.value, "reason": reason,
                     "revision": entry.revision, "content_sha256": entry.content_sha256})
        return self._out(self._entries[entry_id])

    def _current_entries(self) -> list[Entry]:
        newest: dict[tuple[int, Stage], Entry] = {}
        for e in sorted(self._entries.values(), key=lambda e: e.id):
            newest[(e.process_id, e.stage)] = e
        return sorted(newest.values(), key=lambda e: e.id)

    def iter_entries(self, statuses: set[EntryStatus] | None = None) -> list[Entry]:
        wanted = None if statuses is None else {EntryStatus(s) for s in statuses}
        return [self._out(e) for e in self._current_entries() if wanted is None or e.status in wanted]

    def count_entries_by_status(self) -> dict[str, int]:
        counts = {s.value: 0 for s in EntryStatus}
        for e in self._current_entries():
            counts[e.status.value] += 1
        return counts

    # attachments ----------------------------------------------------------------------------
    def _documents_changed(self, entry: Entry, now: str) -> None:
        if entry.status != EntryStatus.DRAFT:
            self._entries[entry.id] = dataclasses.replace(entry, status=EntryStatus.DRAFT,
                                                          updated_at=now)
        self._touch(entry.process_id, now)

    def add_attachment(self, entry_id: int, source: Path | bytes, filename: str, document_type: str,
                       title: str = "", mime: str | None = None,
                       actor: str = "operator") -> Attachment:
        entry = self._editable(entry_id)
        refuse_unfit_document(source, filename, mime)
        if isinstance(source, (bytes, bytearray, memoryview)):
            blob = bytes(source)
        else:
            path = Path(source)
            if not path.is_file():
                raise StorageError(missing_source_message(path))
            blob = path.read_bytes()
        if len(blob) > self.max_attachment_bytes:
            raise StorageError(too_large_message(len(blob), self.max_attachment_bytes))
        sha = hashlib.sha256(blob).hexdigest()
        self._blobs[sha] = blob
        now, aid = now_iso(), self._next("attachment")
        self._attachments[aid] = Attachment(aid, entry_id, sha, filename, guess_mime(filename, mime),
                                            len(blob), document_type, title, now)
        self._documents_changed(entry, now)
        self._audit(now, actor, "add_attachment", "attachment", aid,
                    {"entry_id": entry_id, "sha256": sha, "filename": filename, "size": len(blob),
                     "document_type": document_type})
        return self._attachments[aid]

    def remove_attachment(self, attachment_id: int, actor: str = "operator") -> None:
        if attachment_id not in self._attachments:
            raise NotFound(f"Lampiran #{attachment_id} tidak ditemukan. Muat ulang entri ini.")
        att = self._attachments[attachment_id]
        entry = self._editable(att.entry_id)
        del self._attachments[attachment_id]
        now = now_iso()
        self._documents_changed(entry, now)
        self._audit(now, actor, "remove_attachment", "attachment", attachment_id,
                    {"entry_id": att.entry_id, "sha256": att.sha256, "filename": att.filename})
        if all(a.sha256 != att.sha256 for a in self._attachments.values()):
            del self._blobs[att.sha256]

    def list_attachments(self, entry_id: int) -> list[Attachment]:
        return sorted((a for a in self._attachments.values() if a.entry_id == entry_id),
                      key=lambda a: a.id)

    def attachment_path(self, attachment: Attachment) -> Path | None:
        return None

    def read_attachment(self, attachment: Attachment) -> bytes:
        if attachment.sha256 not in self._blobs:
            raise StorageError("Berkas lampiran hilang dari penyimpanan. Lampirkan ulang dokumen itu.")
        return self._blobs[attachment.sha256]

    def attachment_totals(self) -> tuple[int, int]:
        sizes = {a.sha256: a.size for a in self._attachments.values()}
        return len(self._attachments), sum(sizes.values())

    # review notes ---------------------------------------------------------------------------
    def add_review_note(self, entry_id: int, text: str, author: str,
                        field_id: str | None = None) -> ReviewNote:
        if not text.strip():
            raise StorageError(EMPTY_NOTE_MESSAGE)
        self._entry(entry_id)
        now, nid = now_iso(), self._next("note")
        self._notes[nid] = ReviewNote(nid, entry_id, field_id, author, text, now)
        self._audit(now, author, "add_review_note", "review_note", nid,
                    {"entry_id": entry_id, "field_id": field_id, "text": text})
        return self._notes[nid]

    def list_review_notes(self, entry_id: int) -> list[ReviewNote]:
        return sorted((n for n in self._notes.values() if n.entry_id == entry_id), key=lambda n: n.id)

    # meta, audit, integrity -----------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        return self._meta.get(key, default)

    def set_meta(self, key: str, value: str, actor: str = "operator") -> None:
        if key in RESERVED_META:
            raise StorageError(reserved_meta_message(key))
        self._meta[key] = str(value)
        self._audit(now_iso(), actor, "set_meta", "meta", key, {"value": str(value)})

    def verify_audit_chain(self) -> AuditCheck:
        return verify_chain(self._audit_log)

    def integrity_check(self) -> dict[str, Any]:
        audit = self.verify_audit_chain()
        shas = sorted({a.sha256 for a in self._attachments.values()})
        missing = [s for s in shas if s not in self._blobs]
        corrupt = [s for s in shas if s in self._blobs and hashlib.sha256(self._blobs[s]).hexdigest() != s]
        counts = {"processes": len(self._processes), "entries": len(self._entries),
                  "attachments": len(self._attachments)}
        return integrity_report([], audit, missing, corrupt, counts)

    def warm_up(self) -> None:
        """Nothing is deferred in memory; present for the Repository protocol."""

    def close(self) -> None:
        """Nothing to release; present for the Repository protocol."""
