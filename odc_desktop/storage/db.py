"""The SQLite engine of the local store and its explicit, numbered schema versions.

Every connection runs with ``journal_mode=WAL``, ``synchronous=FULL`` (a commit survives a crash or
power cut), ``foreign_keys=ON`` and a busy timeout. Connections may be used from a thread other than
the one that opened the store (the UI's serial database worker), never from two threads at once.

The schema version lives in ``PRAGMA user_version``. :data:`UPGRADE_STEPS` maps each version to the
step that builds it from the previous one; steps are plain DDL frozen in time (never the current
:mod:`tables`), and all pending steps run in one transaction when the store is opened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc

from odc_desktop.storage.repository import StorageError

log = logging.getLogger(__name__)

DB_FILENAME = "odc.sqlite3"
BUSY_TIMEOUT_MS = 10_000


def _step_1_tables(conn: Connection) -> None:
    """Version 1: processes, entries, attachments, meta and the audit log, with their indexes."""
    for ddl in (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE processes (
            id INTEGER PRIMARY KEY, ocid TEXT NOT NULL UNIQUE, kode_rup TEXT, title TEXT NOT NULL,
            opd_code TEXT NOT NULL, opd_name TEXT NOT NULL, year INTEGER NOT NULL, kecamatan TEXT,
            current_stage TEXT NOT NULL, statuses TEXT NOT NULL DEFAULT '',
            change_seq INTEGER NOT NULL, search_text TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
        "CREATE INDEX ix_processes_change ON processes (change_seq)",
        "CREATE INDEX ix_processes_opd ON processes (opd_code, change_seq)",
        "CREATE INDEX ix_processes_year ON processes (year, change_seq)",
        "CREATE INDEX ix_processes_stage ON processes (current_stage, change_seq)",
        "CREATE INDEX ix_processes_opd_name ON processes (opd_name, opd_code)",
        "CREATE INDEX ix_processes_kode_rup ON processes (kode_rup)",
        """CREATE TABLE entries (
            id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE,
            process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
            stage TEXT NOT NULL, form_id TEXT NOT NULL, form_version INTEGER NOT NULL,
            form_hash TEXT NOT NULL, data TEXT NOT NULL, status TEXT NOT NULL,
            revision INTEGER NOT NULL, base_revision INTEGER, content_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
        "CREATE INDEX ix_entries_process_stage ON entries (process_id, stage, id)",
        "CREATE INDEX ix_entries_status ON entries (status)",
        """CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL, filename TEXT NOT NULL, mime TEXT NOT NULL, size INTEGER NOT NULL,
            document_type TEXT NOT NULL, title TEXT NOT NULL, created_at TEXT NOT NULL)""",
        "CREATE INDEX ix_attachments_entry ON attachments (entry_id)",
        "CREATE INDEX ix_attachments_sha ON attachments (sha256)",
        """CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            object_type TEXT NOT NULL, object_id TEXT NOT NULL, payload TEXT NOT NULL,
            prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
    ):
        conn.exec_driver_sql(ddl)


def _step_2_review_and_list(conn: Connection) -> None:
    """Version 2: reviewers' field-level notes, and one covering index for the process list.

    The list index holds every filter column in list order, so text and status filters over
    100,000 processes scan only the index (no table lookups); see sql_rows.process_list_sql.
    """
    for ddl in (
        """CREATE TABLE review_notes (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            field_id TEXT, author TEXT NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL)""",
        "CREATE INDEX ix_review_notes_entry ON review_notes (entry_id)",
        """CREATE INDEX ix_processes_list ON processes
            (change_seq, opd_code, year, current_stage, statuses, search_text)""",
    ):
        conn.exec_driver_sql(ddl)


UPGRADE_STEPS: dict[int, Callable[[Connection], None]] = {
    1: _step_1_tables,
    2: _step_2_review_and_list,
}
LATEST_VERSION = max(UPGRADE_STEPS)


def create_db_engine(path: Path) -> Engine:
    """An engine for the SQLite file at ``path`` with the pragmas above on every connection.

    pysqlite's own transaction handling is switched off so that our ``begin`` hook decides:
    ``BEGIN IMMEDIATE`` for writes (takes the write lock up front, so a second program waits for
    the busy timeout instead of failing half-way), plain ``BEGIN`` for reads.
    """
    engine = create_engine(f"sqlite:///{path}",
                           connect_args={"check_same_thread": False,
                                         "timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
            cur.execute("PRAGMA foreign_keys = ON")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("odc_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection inside a write transaction, committed (durably) when the block ends normally."""
    with storage_errors(), engine.connect() as conn:
        conn.execution_options(odc_write=True)
        with conn.begin():
            yield conn


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """A connection reading one consistent snapshot."""
    with storage_errors(), engine.connect() as conn:
        yield conn


def schema_version(engine: Engine) -> int:
    """The file's ``PRAGMA user_version`` (0 for a new, empty file)."""
    with read_connection(engine) as conn:
        return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())


def upgrade_schema(engine: Engine, target: int = LATEST_VERSION) -> int:
    """Apply the missing steps up to ``target`` in one transaction; return the version reached.

    Refuses a file made by a newer ODC Desktop (its version is unknown here) with StorageError.
    """
    with write_transaction(engine) as conn:
        version = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
        if version > LATEST_VERSION:
            raise StorageError(
                f"Basis data dibuat oleh versi ODC Desktop yang lebih baru (skema {version}, versi "
                f"ini hanya mengenal sampai {LATEST_VERSION}). Perbarui ODC Desktop ke versi "
                f"terbaru, lalu buka lagi; data Anda tidak diubah.")
        for step in range(version + 1, target + 1):
            log.info("Upgrading local database schema to version %d", step)
            UPGRADE_STEPS[step](conn)
        if target > version:
            conn.exec_driver_sql(f"PRAGMA user_version = {int(target)}")
        return max(version, target)


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn SQLite failures into StorageError with a message that says what to do next."""
    try:
        yield
    except sa_exc.DBAPIError as exc:
        text = str(exc.orig).lower()
        log.error("Local database error", exc_info=exc)
        if "not a database" in text or "malformed" in text or "encrypted" in text:
            msg = ("Berkas basis data lokal rusak atau bukan basis data ODC Desktop. Pulihkan dari "
                   "cadangan, atau pindahkan berkas odc.sqlite3 ke tempat lain agar dibuat yang baru.")
        elif "locked" in text or "busy" in text:
            msg = ("Basis data sedang dipakai program lain (misalnya ODC Desktop di jendela lain). "
                   "Tunggu sebentar atau tutup program itu, lalu coba lagi.")
        elif "disk is full" in text or "disk i/o" in text:
            msg = ("Penyimpanan penuh atau gagal ditulis. Kosongkan ruang disk, lalu coba lagi; "
                   "data yang sudah tersimpan tetap aman.")
        elif "readonly" in text or "unable to open" in text:
            msg = ("Basis data lokal tidak dapat dibuka untuk ditulis. Periksa izin folder data "
                   "ODC Desktop, lalu coba lagi.")
        else:
            msg = ("Gagal mengakses basis data lokal. Coba lagi; bila terus terjadi, jalankan "
                   "pemeriksaan integritas dan hubungi admin Diskominfo.")
        raise StorageError(msg) from exc
