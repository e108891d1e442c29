"""SqlRepository: the Repository on a SQLite file (``<data_dir>/odc.sqlite3``) plus a file store.

Every mutating method runs in one ``BEGIN IMMEDIATE`` transaction that also appends its audit record
and refreshes the denormalised process columns, so a crash leaves either all of a change or none.
Method contracts are documented on :class:`odc_desktop.storage.repository.Repository`.

Two connections to the one file, used one after the other from the same thread: a plain ``sqlite3``
connection opens the store (schema version, upgrades) and serves the process list
(:mod:`~odc_desktop.storage.list_queries`), so the app shows its first rows without importing
SQLAlchemy; every other query and all writes go through the SQLAlchemy engine, made on first use
(:attr:`SqlRepository.engine`, :meth:`SqlRepository.warm_up`). Each write commits before the method
returns, and the list connection reads in autocommit mode, so the list always sees it.

So that opening the store and reading the list do not import SQLAlchemy (about 0.2 s, longer than
showing the first rows of a 100,000-process store), every method that builds a SQLAlchemy query
imports ``sqlalchemy`` and :mod:`~odc_desktop.storage.tables` itself, in its first lines: plain
imports that readers and tools see (no proxy module), costing a dictionary lookup once loaded.
``tests/unit/test_storage_sql.py`` holds the start path to it.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from odc_desktop.domain.model import (
    AuditCheck,
    NewProcess,
    Process,
    ProcessFilter,
    ProcessOrder,
    ProcessRow,
)
from odc_desktop.changes import Changes
from odc_desktop.messages import Msg
from odc_desktop.storage import change_log, health, list_queries
from odc_desktop.storage.audit import AuditRecord, make_record, verify_chain
from odc_desktop.storage.common import (
    DEFAULT_MAX_ATTACHMENT_BYTES,
    RESERVED_META,
    actor_or_default,
    clean_kode_rup,
    duplicate_ocid_message,
    integrity_report,
    new_uid,
    now_iso,
    ocid_for_kode_rup,
    offline_ocid,
    reserved_meta_message,
    search_text,
)
from odc_desktop.storage.db import (
    DB_FILENAME,
    connect,
    create_db_engine,
    read_connection,
    storage_errors,
    upgrade_schema,
    write_transaction,
)
from odc_desktop.storage.filestore import FileStore
from odc_desktop.storage.repository import NotFound, StorageError
from odc_desktop.storage.sql_attachments import SqlAttachmentsMixin
from odc_desktop.storage.sql_bulk import SqlBulkMixin
from odc_desktop.storage.sql_conflicts import SqlConflictsMixin
from odc_desktop.storage.sql_entries import SqlEntriesMixin
from odc_desktop.storage.sql_rows import to_process
from odc_desktop.storage.sql_sync import SqlSyncMixin
from odc_desktop.storage.sql_review import SqlReviewMixin

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


class SqlRepository(SqlEntriesMixin, SqlAttachmentsMixin, SqlSyncMixin, SqlBulkMixin, SqlReviewMixin,
                    SqlConflictsMixin):
    """The local store. Open with :meth:`open`; use from one thread at a time (any thread)."""

    def __init__(self, data_dir: Path, files: FileStore, conn: sqlite3.Connection) -> None:
        """Wrap an already opened (and upgraded) ``conn`` from :func:`odc_desktop.storage.db.connect`."""
        self.data_dir = data_dir
        self.files = files
        self._conn = conn
        self._engine: Engine | None = None
        self._opened = False  # only a store that opened sound is recorded as closed cleanly
        self._batch: Connection | None = None  # the open transaction of batch(), if any

    @classmethod
    def open(cls, data_dir: Path, *,
             max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES) -> SqlRepository:
        """Open (creating when needed) the store in ``data_dir``, upgrading its schema to the latest.

        Raises StorageError for a file that is not an ODC database or was made by a newer version,
        and its subclass StoreDamaged for a damaged database (see :mod:`~odc_desktop.storage.health`).
        """
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            health.refuse_unusable(data_dir)
            files = FileStore(data_dir / "files", max_attachment_bytes)
        except OSError as exc:
            raise StorageError("storage.data_dir_unusable", path=data_dir) from exc
        was_closed_cleanly = health.closed_cleanly(data_dir)  # before connecting makes the -wal file
        conn = connect(data_dir / DB_FILENAME)
        repo = cls(data_dir, files, conn)
        try:
            health.check_on_open(conn, was_closed_cleanly)
            upgrade_schema(conn)
            repo._ensure_device_id()
            repo._opened = True
        except BaseException:
            repo.close()
            raise
        return repo

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine for everything but the process list, made (and imported) on first use."""
        if self._engine is None:
            self._engine = create_db_engine(self.data_dir / DB_FILENAME)
        return self._engine

    def warm_up(self) -> None:
        """Import SQLAlchemy, connect the engine and compile a query now, ahead of the first edit.

        The app runs this on its database thread once the first rows of the list are painted.
        """
        self.get_meta("device_id")

    @property
    def max_attachment_bytes(self) -> int:
        """Largest attachment accepted, in bytes (settable)."""
        return self.files.max_bytes

    @max_attachment_bytes.setter
    def max_attachment_bytes(self, value: int) -> None:
        self.files.max_bytes = int(value)

    def close(self) -> None:
        """Close both connections (the WAL is checkpointed by SQLite on the last close)."""
        if self._engine is not None:
            self._engine.dispose()
        self._conn.close()
        if self._opened:
            health.mark_clean(self.data_dir)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Run many changes in one transaction (demo data, imports): one durable commit instead of
        one per change. Each change keeps a savepoint, so a refused one undoes only itself; reads
        inside the block see the block's own changes."""
        if self._batch is not None:
            yield
            return
        with write_transaction(self.engine) as conn:
            self._batch = conn
            try:
                yield
            finally:
                self._batch = None

    # internals ------------------------------------------------------------------------------
    def _write(self):
        if self._batch is not None:
            return self._savepoint(self._batch)
        return write_transaction(self.engine)

    def _read(self):
        if self._batch is not None:
            return self._savepoint(self._batch)
        return read_connection(self.engine)

    @staticmethod
    @contextmanager
    def _savepoint(conn: Connection) -> Iterator[Connection]:
        with storage_errors(), conn.begin_nested():
            yield conn

    def _audit(self, conn: Connection, at: str, actor: str | None, action: str, object_type: str,
               object_id: Any, payload: dict[str, Any]) -> None:
        actor = actor_or_default(actor)  # the real person (the OS user until logins exist)
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        last = conn.execute(sa.select(t.audit_log)
                            .order_by(t.audit_log.c.seq.desc()).limit(1)).first()
        prev = AuditRecord(**last._mapping) if last else None
        rec = make_record(prev, at, actor, action, object_type, object_id, payload)
        conn.execute(sa.insert(t.audit_log).values(**rec.__dict__))
        self._put_meta(conn, "audit_head", f"{rec.seq}:{rec.hash}")

    @staticmethod
    def _put_meta(conn: Connection, key: str, value: str) -> None:
        conn.exec_driver_sql("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) "
                             "DO UPDATE SET value = excluded.value", (key, value))

    @staticmethod
    def _meta_value(conn: Connection, key: str) -> str | None:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        return conn.execute(sa.select(t.meta.c.value).where(t.meta.c.key == key)).scalar()

    @staticmethod
    def _next_change_seq(conn: Connection) -> int:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        latest = sa.func.max(t.processes.c.change_seq)
        return conn.execute(sa.select(sa.func.coalesce(latest, 0))).scalar() + 1

    def _ensure_device_id(self) -> None:
        with storage_errors():
            if self._conn.execute("SELECT 1 FROM meta WHERE key = 'device_id'").fetchall():
                return  # an existing store (every start but the first) needs no write
        with self._write() as conn:
            if self._meta_value(conn, "device_id") is None:
                device_id = secrets.token_hex(4)
                self._put_meta(conn, "device_id", device_id)
                self._put_meta(conn, "ocid_seq", "0")
                self._audit(conn, now_iso(), "system", "init_device", "meta", "device_id",
                            {"device_id": device_id})

    def _offline_ocids(self, conn: Connection, prefix: str, count: int) -> list[str]:
        device_id = self._meta_value(conn, "device_id")
        start = int(self._meta_value(conn, "ocid_seq") or "0")
        self._put_meta(conn, "ocid_seq", str(start + count))
        return [offline_ocid(prefix, device_id, seq) for seq in range(start + 1, start + count + 1)]

    # processes ------------------------------------------------------------------------------
    def create_process(self, new: NewProcess, ocid_prefix: str, actor: str | None = None) -> Process:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        now = now_iso()
        kode_rup = clean_kode_rup(new.kode_rup)
        with self._write() as conn:
            if kode_rup:
                ocid = ocid_for_kode_rup(ocid_prefix, kode_rup)
                if self._process_of_ocid(conn, ocid) is not None:
                    raise StorageError(duplicate_ocid_message(ocid))
            else:
                ocid = self._offline_ocids(conn, ocid_prefix, 1)[0]
            values = dict(uid=new_uid(), ocid=ocid, kode_rup=kode_rup, title=new.title.strip(),
                          opd_code=new.opd_code, opd_name=new.opd_name, year=int(new.year),
                          kecamatan=new.kecamatan, current_stage="planning", statuses="",
                          change_seq=self._next_change_seq(conn),
                          search_text=search_text(new.title.strip(), ocid, kode_rup, new.opd_name),
                          created_at=now, updated_at=now)
            pid = conn.execute(sa.insert(t.processes).values(**values)).inserted_primary_key[0]
            self._audit(conn, now, actor, "create_process", "process", pid,
                        {"ocid": ocid, "uid": values["uid"], "title": values["title"], "opd_code": new.opd_code,
                         "year": values["year"], "kode_rup": kode_rup})
            return to_process(conn.execute(sa.select(t.processes).where(t.processes.c.id == pid)).one())

    def bulk_insert_processes(self, rows: list[NewProcess], ocid_prefix: str,
                              actor: str | None = None) -> int:
        """Insert many processes in one transaction (demo data, benchmarks); return how many.

        One audit record covers the batch (with a hash of its ocids), not one per process.
        """
        now = now_iso()
        with self._write() as conn:
            kodes = [clean_kode_rup(r.kode_rup) for r in rows]
            offline = iter(self._offline_ocids(conn, ocid_prefix, kodes.count(None)))
            seq = self._next_change_seq(conn)
            params, ocids = [], []
            for i, (new, kode_rup) in enumerate(zip(rows, kodes)):
                ocid = ocid_for_kode_rup(ocid_prefix, kode_rup) if kode_rup else next(offline)
                ocids.append(ocid)
                title = new.title.strip()
                params.append((new_uid(), ocid, kode_rup, title, new.opd_code, new.opd_name, int(new.year),
                               new.kecamatan, seq + i,
                               search_text(title, ocid, kode_rup, new.opd_name), now, now))
            if len(set(ocids)) != len(ocids):
                raise StorageError("storage.duplicate_kode_rup")
            clash = self._first_existing(conn, ocids)
            if clash:
                raise StorageError(duplicate_ocid_message(clash))
            conn.exec_driver_sql(
                "INSERT INTO processes (uid, ocid, kode_rup, title, opd_code, opd_name, year, "
                "kecamatan, current_stage, statuses, change_seq, search_text, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'planning', '', ?, ?, ?, ?)", params)
            digest = hashlib.sha256("\n".join(ocids).encode("utf-8")).hexdigest()
            self._audit(conn, now, actor, "bulk_insert_processes", "process", "*",
                        {"count": len(rows), "ocids_sha256": digest})
        return len(rows)

    @staticmethod
    def _first_existing(conn: Connection, ocids: list[str]) -> str | None:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        for start in range(0, len(ocids), 500):
            chunk = ocids[start:start + 500]
            for table in (t.processes, t.ocid_aliases):
                found = conn.execute(sa.select(table.c.ocid)
                                     .where(table.c.ocid.in_(chunk)).limit(1)).scalar()
                if found:
                    return found
        return None

    def get_process(self, process_id: int) -> Process:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            row = conn.execute(sa.select(t.processes).where(t.processes.c.id == process_id)).first()
        if row is None:
            raise NotFound("storage.process_not_found", process_id=process_id)
        return to_process(row)

    def find_process_by_ocid(self, ocid: str) -> Process | None:
        """The process named ``ocid``, or known by it (an ocid alias)."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            pid = self._process_of_ocid(conn, ocid)
            row = conn.execute(sa.select(t.processes).where(t.processes.c.id == pid)).first()
        return to_process(row) if row else None

    # the process list: plain sqlite3, see the module docstring ------------------------------
    def list_process_ids(self, flt: ProcessFilter = ProcessFilter(),
                         order: ProcessOrder = ProcessOrder()) -> list[int]:
        with storage_errors():
            return list_queries.list_process_ids(self._conn, flt, order)

    def get_process_rows(self, ids: list[int]) -> list[ProcessRow]:
        with storage_errors():
            return list_queries.get_process_rows(self._conn, ids)

    def count_processes(self) -> int:
        with storage_errors():
            return list_queries.count_processes(self._conn)

    def list_opds(self) -> list[tuple[str, str]]:
        with storage_errors():
            return list_queries.list_opds(self._conn)

    def list_years(self) -> list[int]:
        with storage_errors():
            return list_queries.list_years(self._conn)

    def list_returned_process_ids(self) -> set[int]:
        with storage_errors():
            return list_queries.list_returned_process_ids(self._conn)

    # what a piece of work changed: plain sqlite3, see storage.change_log ----------------------
    def change_mark(self) -> change_log.ChangeMark:
        with storage_errors():
            return change_log.change_mark(self._conn)

    def changes_since(self, mark: change_log.ChangeMark) -> Changes:
        with storage_errors():
            return change_log.changes_since(self._conn, mark)

    # meta, audit, integrity -----------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self._read() as conn:
            value = self._meta_value(conn, key)
        return default if value is None else value

    def set_meta(self, key: str, value: str, actor: str | None = None) -> None:
        if key in RESERVED_META:
            raise StorageError(reserved_meta_message(key))
        with self._write() as conn:
            self._put_meta(conn, key, str(value))
            self._audit(conn, now_iso(), actor, "set_meta", "meta", key, {"value": str(value)})

    def verify_audit_chain(self) -> AuditCheck:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            head_text = self._meta_value(conn, "audit_head")
            rows = conn.execute(sa.select(t.audit_log).order_by(t.audit_log.c.seq))
            records = (AuditRecord(**r._mapping) for r in rows)
            head = None
            if head_text:
                seq, digest = head_text.split(":", 1)
                head = (int(seq), digest)
            return verify_chain(records, head)

    def integrity_check(self) -> dict[str, Any]:
        with self._read() as conn:
            problems = [p for p in conn.exec_driver_sql("PRAGMA integrity_check").scalars()
                        if p != "ok"]
            if conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                problems.append(Msg("storage.foreign_keys"))
            shas = list(conn.exec_driver_sql("SELECT DISTINCT sha256 FROM attachments").scalars())
            counts = {name: conn.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar_one()
                      for name in ("processes", "entries", "attachments")}
        missing = [s for s in shas if not self.files.exists(s)]
        corrupt = [s for s in shas if s not in missing and not self.files.is_intact(s)]
        return integrity_report(problems, self.verify_audit_chain(), missing, corrupt, counts)
