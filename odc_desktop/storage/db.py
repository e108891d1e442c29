"""The SQLite file of the local store: connection pragmas, explicit schema versions, error messages.

Every connection runs with ``journal_mode=WAL``, ``synchronous=FULL`` (a commit survives a crash or
power cut), ``foreign_keys=ON`` and a busy timeout. Connections may be used from a thread other than
the one that opened the store (the UI's serial database worker), never from two threads at once.

Two kinds of connection share those pragmas (:func:`apply_pragmas`): a plain ``sqlite3`` one
(:func:`connect`) that opens the store and serves the process list, and the SQLAlchemy engine
(:func:`create_db_engine`) for everything else. SQLAlchemy is imported only when the engine is made,
because importing it takes about 0.2 s, longer than opening a 100,000-process store and showing it.

The schema version lives in ``PRAGMA user_version``. :data:`UPGRADE_STEPS` maps each version to the
step that builds it from the previous one; steps are plain DDL frozen in time (never the current
:mod:`tables`), and all pending steps run in one transaction when the store is opened.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from odc_desktop.messages import Msg
from odc_desktop.storage.repository import StorageError, StoreDamaged

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)

DB_FILENAME = "odc.sqlite3"
#: The lock file the app holds on its data folder (Qt's QLockFile format: pid, app name, host).
APP_LOCK_FILE = "odc-desktop.lock"
BUSY_TIMEOUT_MS = 10_000
PRAGMAS = (f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}", "PRAGMA journal_mode = WAL",
           "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON")


def _step_1_tables(conn: sqlite3.Connection) -> None:
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
        conn.execute(ddl)


def _step_2_review_and_list(conn: sqlite3.Connection) -> None:
    """Version 2: reviewers' field-level notes, and one covering index for the process list.

    The list index holds every filter column in list order, so text and status filters over
    100,000 processes scan only the index (no table lookups); see list_queries.process_list_sql.
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
        conn.execute(ddl)


def _step_3_list_order(conn: sqlite3.Connection) -> None:
    """Version 3: one index per column the process list sorts by (name, OPD, year, stage, status)."""
    from odc_desktop.storage.list_order import SORT_INDEXES

    for ddl in SORT_INDEXES.values():
        conn.execute(ddl)


def _step_4_sync_ready(conn: sqlite3.Connection) -> None:
    """Version 4: edit counter, server revision, receipts, outbox, sync state (storage.schema_v4)."""
    from odc_desktop.storage.schema_v4 import step_4_sync_ready

    step_4_sync_ready(conn)


def _step_5_review_offline(conn: sqlite3.Connection) -> None:
    """Version 5: the review queue and queued review decisions (storage.schema_v5)."""
    from odc_desktop.storage.schema_v5 import step_5_review_offline

    step_5_review_offline(conn)


def _step_6_receipt_proofs(conn: sqlite3.Connection) -> None:
    """Version 6: a receipt's Merkle proof (storage.schema_v6)."""
    from odc_desktop.storage.schema_v6 import step_6_receipt_proofs

    step_6_receipt_proofs(conn)


UPGRADE_STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _step_1_tables,
    2: _step_2_review_and_list,
    3: _step_3_list_order,
    4: _step_4_sync_ready,
    5: _step_5_review_offline,
    6: _step_6_receipt_proofs,
}
LATEST_VERSION = max(UPGRADE_STEPS)


def apply_pragmas(dbapi_conn: sqlite3.Connection) -> None:
    """Put a fresh sqlite3 connection in autocommit mode (we issue BEGIN ourselves) with :data:`PRAGMAS`."""
    dbapi_conn.isolation_level = None
    for pragma in PRAGMAS:
        dbapi_conn.execute(pragma).fetchall()


def connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection to ``path`` with the store's pragmas, usable from another thread.

    It is in autocommit mode: each statement outside an explicit ``BEGIN`` reads the latest commit,
    including those made through the SQLAlchemy engine a moment before.
    """
    with storage_errors():
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        try:
            apply_pragmas(conn)
        except BaseException:
            conn.close()
            raise
    return conn


def create_db_engine(path: Path) -> Engine:
    """A SQLAlchemy engine for the SQLite file at ``path`` with :data:`PRAGMAS` on every connection.

    pysqlite's own transaction handling is switched off so that our ``begin`` hook decides:
    ``BEGIN IMMEDIATE`` for writes (takes the write lock up front, so a second program waits for
    the busy timeout instead of failing half-way), plain ``BEGIN`` for reads.
    """
    from sqlalchemy import create_engine, event  # ~0.2 s: only when the engine is first needed

    engine = create_engine(f"sqlite:///{path}",
                           connect_args={"check_same_thread": False,
                                         "timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        apply_pragmas(dbapi_conn)

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


@contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Several reads on a :func:`connect` connection that see one consistent state.

    The transaction always ends with the block, so the next statement sees later commits again.
    """
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


def schema_version(conn: sqlite3.Connection) -> int:
    """The file's ``PRAGMA user_version`` (0 for a new, empty file)."""
    with storage_errors():
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def upgrade_schema(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Apply the missing steps up to ``target`` in one transaction; return the version reached.

    Runs on a :func:`connect` connection (plain DDL needs no SQLAlchemy). Refuses a file made by a
    newer ODC Desktop (its version is unknown here) with StorageError, leaving it untouched.
    """
    version = _known_version(conn)
    if version >= target:
        return version  # the usual start: nothing to do, no write lock taken
    with storage_errors():
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = _known_version(conn)  # again under the lock: another program may have upgraded
            for step in range(version + 1, target + 1):
                log.info("Upgrading local database schema to version %d", step)
                UPGRADE_STEPS[step](conn)
            if target > version:
                conn.execute(f"PRAGMA user_version = {int(target)}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return max(version, target)


def _known_version(conn: sqlite3.Connection) -> int:
    version = schema_version(conn)
    if version > LATEST_VERSION:
        raise StorageError("storage.newer_schema", version=version, latest=LATEST_VERSION)
    return version


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    """The SQLite error behind ``exc``: itself, or the one a SQLAlchemy ``DBAPIError`` wraps (``orig``)."""
    if isinstance(exc, sqlite3.Error):
        return exc
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, sqlite3.Error) else None


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn SQLite failures (direct or through SQLAlchemy) into StorageError that says what to do next."""
    try:
        yield
    except StorageError:
        raise
    except Exception as exc:
        error = _sqlite_error(exc)
        if error is None:
            raise
        log.error("Local database error", exc_info=exc)
        text = str(error).lower()
        if is_damage(text):
            raise StoreDamaged(DAMAGED_MESSAGE) from exc
        kind = failure_kind(text)
        raise StorageError(FAILURE_MESSAGES[kind], kind) from exc


#: What to do about a damaged database (the CLI says the same with the data folder named).
DAMAGED_MESSAGE = Msg("storage.damaged")


def is_damage(text: str) -> bool:
    """True when a (lowercased) SQLite error text says the file is damaged or not a database."""
    return "not a database" in text or "malformed" in text or "encrypted" in text


#: The operator's message for each kind of SQLite failure (the CLI says them with the data folder named).
FAILURE_MESSAGES = {kind: Msg(f"storage.{kind}") for kind in ("locked", "full", "readonly", "other")}


def failure_kind(text: str) -> str:
    """Which of :data:`FAILURE_MESSAGES` a (lowercased, not damage) SQLite error text is."""
    if "locked" in text or "busy" in text:
        return "locked"
    if "disk is full" in text or "disk i/o" in text:
        return "full"
    if "readonly" in text or "unable to open" in text:
        return "readonly"
    return "other"
