"""The bulk write path of :class:`~odc_desktop.storage.sql.SqlRepository` (a mixin): many new processes
with their first stage entries in one transaction, for imports and demo data.

Rows go in with ``executemany``; every process and every entry still gets its own audit record
(the same actions and payloads as :meth:`create_process`, :meth:`create_entry` and, for an entry
that starts ready, :meth:`set_local_status`), chained in Python from the log's last record and
appended with one ``executemany``. All of it is one ``BEGIN IMMEDIATE`` transaction (or a savepoint
of the caller's :meth:`batch`): a crash leaves the whole batch or none of it. The workflow
(``workflow.bulk``) is the only caller; it decides which entries may start ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.audit import AuditRecord, make_record
from odc_desktop.storage.common import (
    actor_or_default,
    canonical_json,
    clean_kode_rup,
    content_identity,
    duplicate_ocid_message,
    encode_statuses,
    latest_stage,
    new_uid,
    now_iso,
    ocid_for_kode_rup,
    search_text,
)
from odc_desktop.storage.repository import BulkProcess, StorageError

if TYPE_CHECKING:
    from sqlalchemy import Connection


_PROCESS_SQL = (
    "INSERT INTO processes (id, uid, ocid, kode_rup, title, opd_code, opd_name, year, kecamatan, "
    "current_stage, statuses, change_seq, search_text, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_ENTRY_SQL = (
    "INSERT INTO entries (id, uid, process_id, stage, form_id, form_version, form_hash, data, status, "
    "revision, edit_seq, supersedes_uid, base_revision, content_sha256, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, NULL, NULL, ?, ?, ?)")
_SOURCE_SQL = (
    "INSERT INTO import_sources (entry_id, source_system, dataset, row_key, imported_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(source_system, dataset, row_key) DO UPDATE SET "
    "entry_id = excluded.entry_id, imported_at = excluded.imported_at")
_AUDIT_SQL = ("INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, payload, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


class SqlBulkMixin:
    """:meth:`bulk_create_processes` and the look-ups an import needs in one query each."""

    def known_ocids(self, ocids: list[str]) -> dict[str, int]:
        """ocid → process id for those of ``ocids`` that name a process (or an alias of one)."""
        found: dict[str, int] = {}
        with self._read() as conn:
            for start in range(0, len(ocids), 500):
                chunk = list(ocids[start:start + 500])
                marks = ",".join("?" * len(chunk))
                for table, column in (("processes", "id"), ("ocid_aliases", "process_id")):
                    for ocid, pid in conn.exec_driver_sql(
                            f"SELECT ocid, {column} FROM {table} WHERE ocid IN ({marks})", tuple(chunk)):
                        found.setdefault(ocid, pid)
        return found

    def processes_of_sources(self, source_system: str, dataset: str, row_keys: list[str]) -> dict[str, int]:
        """row_key → process id of those of ``row_keys`` that earlier imports recorded for ``dataset``."""
        found: dict[str, int] = {}
        with self._read() as conn:
            for start in range(0, len(row_keys), 500):
                chunk = list(row_keys[start:start + 500])
                found.update(conn.exec_driver_sql(
                    "SELECT s.row_key, e.process_id FROM import_sources s JOIN entries e ON e.id = s.entry_id "
                    f"WHERE s.source_system = ? AND s.dataset = ? AND s.row_key IN ({','.join('?' * len(chunk))})",
                    (source_system, dataset, *chunk)).all())
        return found

    def bulk_create_processes(self, items: list[BulkProcess], ocid_prefix: str,
                              actor: str | None = None) -> list[int]:
        """Create the processes of ``items`` with their entries in one transaction; their ids, in order.

        An ocid already used (or twice in ``items``) refuses the whole batch (StorageError)."""
        if not items:
            return []
        now, who = now_iso(), actor_or_default(actor)
        with self._write() as conn:
            kodes = [clean_kode_rup(item.new.kode_rup) for item in items]
            offline = iter(self._offline_ocids(conn, ocid_prefix, kodes.count(None)))
            ocids = [ocid_for_kode_rup(ocid_prefix, k) if k else next(offline) for k in kodes]
            if len(set(ocids)) != len(ocids):
                raise StorageError("storage.duplicate_kode_rup")
            clash = self._first_existing(conn, ocids)
            if clash:
                raise StorageError(duplicate_ocid_message(clash))
            pid = self._max_id(conn, "processes")
            eid = self._max_id(conn, "entries")
            seq = self._next_change_seq(conn)
            processes, entries, sources, audit = [], [], [], []
            for i, (item, kode_rup, ocid) in enumerate(zip(items, kodes, ocids)):
                pid += 1
                new, title, uid = item.new, item.new.title.strip(), new_uid()
                statuses = {Stage(e.stage): EntryStatus.READY if e.ready else EntryStatus.DRAFT
                            for e in item.entries}
                processes.append((pid, uid, ocid, kode_rup, title, new.opd_code, new.opd_name, int(new.year),
                                  new.kecamatan, latest_stage(statuses).value, encode_statuses(statuses), seq + i,
                                  search_text(title, ocid, kode_rup, new.opd_name), now, now))
                audit.append(("create_process", "process", pid,
                              {"ocid": ocid, "uid": uid, "title": title, "opd_code": new.opd_code,
                               "year": int(new.year), "kode_rup": kode_rup}))
                for entry in item.entries:
                    eid += 1
                    stage = Stage(entry.stage)
                    sha = content_identity(entry.form_id, entry.form_version, entry.form_hash, entry.data, ())
                    status = EntryStatus.READY if entry.ready else EntryStatus.DRAFT
                    entries.append((eid, new_uid(), pid, stage.value, entry.form_id, int(entry.form_version),
                                    entry.form_hash, canonical_json(entry.data), status.value, sha, now, now))
                    audit.append(("create_entry", "entry", eid,
                                  {"process_id": pid, "stage": stage.value, "form_id": entry.form_id,
                                   "form_version": int(entry.form_version), "content_sha256": sha,
                                   "supersedes_uid": None}))
                    if entry.ready:
                        audit.append(("set_entry_status", "entry", eid,
                                      {"from": EntryStatus.DRAFT.value, "to": EntryStatus.READY.value,
                                       "revision": 0, "content_sha256": sha, "reason": ""}))
                    sources.extend((eid, *source, now) for source in entry.sources)
            conn.exec_driver_sql(_PROCESS_SQL, processes)
            if entries:
                conn.exec_driver_sql(_ENTRY_SQL, entries)
            if sources:
                conn.exec_driver_sql(_SOURCE_SQL, sources)
            self._append_audit(conn, now, who, audit)
        return [row[0] for row in processes]

    @staticmethod
    def _max_id(conn: Connection, table: str) -> int:
        return conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar_one()

    def _append_audit(self, conn: Connection, at: str, actor: str,
                      records: list[tuple[str, str, Any, dict[str, Any]]]) -> None:
        """Chain ``records`` (action, object type, object id, payload) after the log's last record."""
        last = conn.exec_driver_sql("SELECT seq, at, actor, action, object_type, object_id, payload, "
                                    "prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first()
        prev = AuditRecord(*last) if last else None
        rows = []
        for action, object_type, object_id, payload in records:
            prev = make_record(prev, at, actor, action, object_type, object_id, payload)
            rows.append(tuple(prev.__dict__.values()))
        conn.exec_driver_sql(_AUDIT_SQL, rows)
        self._put_meta(conn, "audit_head", f"{prev.seq}:{prev.hash}")
