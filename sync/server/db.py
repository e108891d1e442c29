"""The server's database: engine, schema upgrade (Alembic), and transactions that retry.

SQLite (the embedded default) runs in WAL mode and every transaction starts with ``BEGIN IMMEDIATE``
so two processes never deadlock on a lock upgrade. On PostgreSQL a transaction that loses a race
(unique violation, serialization failure, deadlock) is rolled back and run again: the work functions
are pure database work, so running one twice is safe.
"""

from __future__ import annotations

import logging
import random
import time
from pathlib import Path
from typing import Callable, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, bindparam, create_engine, event, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from odc_sync.server.models import Counter

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
T = TypeVar("T")
COUNTERS = ("server_seq", "change_seq", "audit")
# PostgreSQL SQLSTATEs worth another try: serialization failure, deadlock, unique violation.
RETRY_SQLSTATES = {"40001", "40P01", "23505"}


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'odc-server.sqlite3').as_posix()}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE``."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60, "isolation_level": None})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # noqa: ANN001 - DBAPI objects
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection):  # noqa: ANN001
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _alembic_config(connection) -> Config:  # noqa: ANN001
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Create or upgrade the schema to the newest revision; returns (before, after) revisions."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # One `init` at a time: two processes upgrading together would both create the tables.
            connection.execute(text("SELECT pg_advisory_xact_lock(80080080)"))
        before = MigrationContext.configure(connection).get_current_revision()
        command.upgrade(_alembic_config(connection), "head")
        after = MigrationContext.configure(connection).get_current_revision()
        with Session(bind=connection) as session:
            for name in COUNTERS:
                if session.get(Counter, name) is None:
                    session.add(Counter(name=name, value=0))
            session.commit()
    return before, after or ""


def schema_is_current(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, IntegrityError) or (isinstance(exc, OperationalError) and "locked" in str(exc)):
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return isinstance(exc, DBAPIError) and code in RETRY_SQLSTATES


def in_transaction(engine: Engine, work: Callable[[Session], T], *, attempts: int = 8) -> T:
    """Run ``work(session)`` in one transaction and commit; a lost race is retried with a short,
    random back-off (the last failure propagates)."""
    for attempt in range(1, attempts + 1):
        with Session(engine, expire_on_commit=False) as session:
            try:
                result = work(session)
                session.commit()
                return result
            except DBAPIError as exc:
                session.rollback()
                if attempt == attempts or not _retryable(exc):
                    raise
                log.info("transaction retried after %s (attempt %d)", type(exc).__name__, attempt)
        time.sleep(random.uniform(0.005, 0.05) * attempt)
    raise AssertionError("unreachable")


_counters = Counter.__table__
# Built once: a Core statement on the table (not the ORM entity) skips the ORM's bulk-update machinery
# and the statement's construction on every call (docs/benchmarks.md, "Server CPU").
_BUMP = (update(_counters).where(_counters.c.name == bindparam("counter"))
         .values(value=_counters.c.value + bindparam("step", type_=_counters.c.value.type))
         .returning(_counters.c.value))


def next_values(session: Session | Connection, name: str, count: int) -> list[int]:
    """``count`` consecutive values of counter ``name``, gap-free as the transaction commits. The row
    stays locked until the transaction ends (SQLite: the whole database is), so ``count=0`` just takes
    the lock. One round trip: ``UPDATE … RETURNING``."""
    end = session.execute(_BUMP, {"counter": name, "step": count}).scalar_one()
    return list(range(end - count + 1, end + 1))
