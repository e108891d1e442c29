"""What only the SQLite store has: pragmas, schema versions, crash durability, tamper-evident audit
log on the real file, the file store on disk, use from another thread, the bulk insert path."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from odc_desktop.domain.model import NewProcess, ProcessFilter, ProcessOrder, SortKey
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage import tables
from odc_desktop.storage.db import (
    DB_FILENAME,
    LATEST_VERSION,
    UPGRADE_STEPS,
    connect,
    upgrade_schema,
)
from odc_desktop.storage.filestore import FileStore
from odc_desktop.storage.repository import ReadOnlyEntry, StorageError, StoreDamaged
from odc_desktop.storage.list_order import SORT_INDEXES
from odc_desktop.storage.list_queries import process_list_sql
from odc_desktop.storage.sql import SqlRepository

PREFIX = "ocds-test01"


def proc(title="Pembangunan Jalan", kode_rup=None, year=2026) -> NewProcess:
    return NewProcess(title=title, opd_code="1.03.0.00", opd_name="Dinas PUPR", year=year,
                      kode_rup=kode_rup)


@pytest.fixture
def repo(data_dir):
    r = SqlRepository.open(data_dir)
    yield r
    r.close()


def raw(data_dir: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection to the store's file, as someone tampering with it would use."""
    return sqlite3.connect(data_dir / DB_FILENAME, isolation_level=None)


# pragmas and schema -------------------------------------------------------------------------------
def test_every_connection_has_the_durability_pragmas_even_on_another_thread(repo):
    def pragmas():
        with repo.engine.connect() as conn:
            return tuple(conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                         for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"))

    with ThreadPoolExecutor(max_workers=1) as worker:
        on_worker = worker.submit(pragmas).result()
    assert on_worker == pragmas()
    journal, synchronous, foreign_keys, busy = on_worker
    assert (journal, synchronous, foreign_keys) == ("wal", 2, 1) and busy >= 1000


def test_the_list_connection_has_the_same_pragmas(repo):
    pragmas = tuple(repo._conn.execute(f"PRAGMA {p}").fetchall()[0][0]
                    for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"))
    assert pragmas[:3] == ("wal", 2, 1) and pragmas[3] >= 1000


def test_writes_take_the_write_lock_up_front_and_wait_for_another_program(repo, data_dir):
    statements: list[str] = []
    asked = threading.Event()

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)
        if statement == "BEGIN IMMEDIATE":
            asked.set()

    event.listen(repo.engine, "before_cursor_execute", record)
    other = raw(data_dir)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    with ThreadPoolExecutor(max_workers=1) as worker:
        pending = worker.submit(repo.create_process, proc(), PREFIX)
        assert asked.wait(timeout=60)  # the write asked for the lock; SQLite makes it wait (busy timeout)
        assert not pending.done()
        other.execute("COMMIT")
        assert pending.result(timeout=10).id == 1
    assert statements[0] == "BEGIN IMMEDIATE"


def test_repository_opened_here_works_on_a_worker_thread(repo):
    with ThreadPoolExecutor(max_workers=1) as worker:
        p = worker.submit(repo.create_process, proc(), PREFIX).result()
        ids = worker.submit(repo.list_process_ids).result()
    assert ids == [p.id]


def test_new_store_is_at_the_latest_version_and_tables_match_the_steps(repo, data_dir):
    assert sorted(UPGRADE_STEPS) == list(range(1, LATEST_VERSION + 1)) and LATEST_VERSION >= 2
    con = raw(data_dir)
    assert con.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    for table in tables.metadata.sorted_tables:
        columns = [row[1] for row in con.execute(f"PRAGMA table_info({table.name})")]
        assert columns == [c.name for c in table.columns], table.name
    assert (data_dir / "files").is_dir()


def _old_rows(conn: sqlite3.Connection, *processes: tuple[str, str, str]) -> None:
    """Rows as an older version wrote them, in plain SQL (the current code writes the newest
    columns): (title, kode RUP, statuses) per process; a process with statuses has a planning entry
    {"pagu": 20} at revision 2."""
    conn.execute("INSERT INTO meta VALUES ('device_id', 'abcd1234'), ('ocid_seq', '0')")
    for n, (title, kode_rup, statuses) in enumerate(processes, start=1):
        now = f"2026-01-0{n}T10:00:00+07:00"
        conn.execute("INSERT INTO processes (id, ocid, kode_rup, title, opd_code, opd_name, year, "
                     "current_stage, statuses, change_seq, search_text, created_at, updated_at) VALUES "
                     "(?, ?, ?, ?, '1.03', 'Dinas PUPR', 2026, 'planning', ?, ?, ?, ?, ?)",
                     (n, f"{PREFIX}-{kode_rup}", kode_rup, title, statuses, n,
                      f"{title}\n{PREFIX}-{kode_rup}\n{kode_rup}\ndinas pupr".lower(), now, now))
        if statuses:
            conn.execute("INSERT INTO entries (id, uid, process_id, stage, form_id, form_version, "
                         "form_hash, data, status, revision, content_sha256, created_at, updated_at) "
                         "VALUES (?, ?, ?, 'planning', 'planning', 1, 'h', '{\"pagu\":20}', 'ready', 2, "
                         "'x', ?, ?)", (n, f"{n:032x}", n, now, now))


def test_a_version_1_database_with_data_upgrades_with_data_intact(data_dir):
    conn = connect(data_dir / DB_FILENAME)
    assert upgrade_schema(conn, target=1) == 1
    _old_rows(conn, ("Rehabilitasi Gedung Kalitidu", "555", "planning=ready,"))
    conn.close()

    repo = SqlRepository.open(data_dir)
    try:
        assert raw(data_dir).execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        p = repo.get_process(1)
        assert (p.ocid, p.title, p.kode_rup, len(p.uid)) == (f"{PREFIX}-555", "Rehabilitasi Gedung Kalitidu",
                                                             "555", 32)
        entry = repo.get_entry(1)
        # the old revision counted local edits: it is the edit counter now; no server saw a ready entry
        assert (entry.data, entry.edit_seq, entry.revision, entry.status) == ({"pagu": 20}, 2, 0,
                                                                              EntryStatus.READY)
        assert repo.list_process_ids(ProcessFilter(text="kalitidu", status=EntryStatus.READY)) == [p.id]
        note = repo.add_review_note(entry.id, "Periksa pagu", author="rev", field_id="pagu")
        assert repo.list_review_notes(entry.id) == [note]
        assert repo.integrity_check()["ok"] is True
    finally:
        repo.close()


def test_a_version_2_database_gains_the_sort_indexes_and_sorts_from_them(data_dir):
    conn = connect(data_dir / DB_FILENAME)
    assert upgrade_schema(conn, target=2) == 2
    _old_rows(conn, ("Rehabilitasi Gedung Kalitidu", "556", ""), ("aspal Jalan Ngasem", "557", ""))
    conn.close()
    b, a = SimpleNamespace(id=1), SimpleNamespace(id=2)

    repo = SqlRepository.open(data_dir)
    try:
        con = raw(data_dir)
        assert con.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        indexes = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert set(SORT_INDEXES) <= indexes
        assert repo.list_process_ids(order=ProcessOrder(SortKey.TITLE, False)) == [a.id, b.id]
        for key in (SortKey.TITLE, SortKey.OPD, SortKey.YEAR, SortKey.STAGE, SortKey.STATUS):
            for descending in (False, True):
                sql, params = process_list_sql(ProcessFilter(), ProcessOrder(key, descending))
                plan = " ".join(row[3] for row in con.execute("EXPLAIN QUERY PLAN " + sql, params))
                assert "COVERING INDEX" in plan and "TEMP B-TREE" not in plan, (key, descending, plan)
    finally:
        repo.close()


def test_a_database_from_a_newer_version_is_refused_untouched(data_dir):
    SqlRepository.open(data_dir).close()
    raw(data_dir).execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(StorageError, match="versi ODC Desktop yang lebih baru"):
        SqlRepository.open(data_dir)
    assert raw(data_dir).execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION + 1


def test_a_file_that_is_not_a_database_gives_a_clear_error(data_dir):
    (data_dir / DB_FILENAME).write_bytes(os.urandom(8192))
    with pytest.raises(StoreDamaged, match="rusak.*odc restore"):
        SqlRepository.open(data_dir)


def test_data_survives_reopening(data_dir):
    repo = SqlRepository.open(data_dir)
    p = repo.create_process(proc(), PREFIX)
    device = repo.get_meta("device_id")
    repo.close()
    again = SqlRepository.open(data_dir)
    try:
        assert again.get_process(p.id) == p and again.get_meta("device_id") == device
        assert again.create_process(proc(), PREFIX).ocid == f"{PREFIX}-{device}-2"
    finally:
        again.close()


# crash durability ---------------------------------------------------------------------------------
CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from odc_desktop.domain.model import NewProcess
    from odc_desktop.domain.statuses import Stage
    from odc_desktop.storage.sql import SqlRepository
    repo = SqlRepository.open(Path(sys.argv[1]))
    p = repo.create_process(NewProcess("Jalan", "1.03", "Dinas PUPR", 2026), "ocds-x")
    e = repo.create_entry(p.id, Stage.PLANNING, "planning", 1, "h", {"n": 0})
    print(e.id, flush=True)
    n = 0
    while True:
        n += 1
        saved = repo.save_entry_data(e.id, {"n": n, "catatan": "x" * 500})
        print(saved.edit_seq, flush=True)
""")


def test_a_killed_process_loses_nothing_it_reported_saved(data_dir, tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    child = subprocess.Popen([sys.executable, str(script), str(data_dir)], stdout=subprocess.PIPE,
                             text=True)
    try:
        entry_id = int(child.stdout.readline())
        revisions = [int(child.stdout.readline()) for _ in range(25)]
        child.send_signal(signal.SIGKILL)
        revisions += [int(line) for line in child.stdout.read().split()]
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    repo = SqlRepository.open(data_dir)
    try:
        entry = repo.get_entry(entry_id)
        assert entry.edit_seq >= revisions[-1]
        assert entry.data["n"] == entry.edit_seq - 1
        report = repo.integrity_check()
        assert report["integrity"] == "ok" and report["audit"]["ok"] is True, report
    finally:
        repo.close()


# audit chain tampering ----------------------------------------------------------------------------
@pytest.fixture
def audited(repo, data_dir):
    """A store with a dozen audit records, and a raw connection to tamper with it."""
    p = repo.create_process(proc(), PREFIX)
    e = repo.create_entry(p.id, Stage.PLANNING, "planning", 1, "h", {"n": 0})
    for n in range(1, 10):
        repo.save_entry_data(e.id, {"n": n})
    assert repo.verify_audit_chain().ok
    return repo, raw(data_dir)


def test_a_modified_audit_record_is_detected(audited):
    repo, con = audited
    con.execute("UPDATE audit_log SET payload = replace(payload, '\"edit_seq\":4', '\"edit_seq\":9') "
                "WHERE seq = 6")
    check = repo.verify_audit_chain()
    assert (check.ok, check.first_bad_seq) == (False, 6)
    report = repo.integrity_check()
    assert report["ok"] is False and "#6" in report["integrity"]


def test_a_deleted_audit_record_is_detected(audited):
    repo, con = audited
    con.execute("DELETE FROM audit_log WHERE seq = 5")
    check = repo.verify_audit_chain()
    assert (check.ok, check.first_bad_seq) == (False, 5)


def test_reordered_audit_records_are_detected(audited):
    repo, con = audited
    con.execute("UPDATE audit_log SET seq = -1 WHERE seq = 7")
    con.execute("UPDATE audit_log SET seq = 7 WHERE seq = 8")
    con.execute("UPDATE audit_log SET seq = 8 WHERE seq = -1")
    check = repo.verify_audit_chain()
    assert (check.ok, check.first_bad_seq) == (False, 7)


def test_a_cut_off_audit_tail_is_detected(audited):
    repo, con = audited
    last = con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    con.execute("DELETE FROM audit_log WHERE seq = ?", (last,))
    check = repo.verify_audit_chain()
    assert (check.ok, check.first_bad_seq) == (False, last)


# file store --------------------------------------------------------------------------------------
def test_files_are_stored_once_under_their_hash(repo, data_dir):
    p = repo.create_process(proc(), PREFIX)
    e = repo.create_entry(p.id, Stage.PLANNING, "planning", 1, "h")
    a = repo.add_attachment(e.id, b"%PDF-isi dokumen", "a.pdf", "dpa")
    b = repo.add_attachment(e.id, b"%PDF-isi dokumen", "b.pdf", "kak")
    path = data_dir / "files" / a.sha256[:2] / a.sha256
    assert repo.attachment_path(b) == path and path.read_bytes() == b"%PDF-isi dokumen"
    stored = [f for f in (data_dir / "files").rglob("*") if f.is_file()]
    assert stored == [path]
    repo.remove_attachment(a.id)
    assert path.exists()
    repo.remove_attachment(b.id)
    assert not path.exists()


def test_integrity_check_finds_missing_and_corrupt_files(repo, data_dir):
    p = repo.create_process(proc(), PREFIX)
    e = repo.create_entry(p.id, Stage.PLANNING, "planning", 1, "h")
    gone = repo.add_attachment(e.id, b"%PDF-akan hilang", "a.pdf", "dpa")
    broken = repo.add_attachment(e.id, b"%PDF-akan rusak", "b.pdf", "kak")
    repo.attachment_path(gone).unlink()
    repo.attachment_path(broken).write_bytes(b"diubah")
    report = repo.integrity_check()
    assert report["ok"] is False
    assert "1 berkas lampiran hilang" in report["integrity"]
    assert "1 berkas lampiran rusak" in report["integrity"]
    assert sorted(report["missing_files"]) == sorted([gone.sha256, broken.sha256])
    assert report["corrupt_files"] == [broken.sha256]
    with pytest.raises(StorageError, match="hilang"):
        repo.read_attachment(gone)


def test_too_large_file_is_refused_before_anything_is_stored(tmp_path):
    store = FileStore(tmp_path / "files", max_bytes=1024)
    big = tmp_path / "besar.pdf"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(StorageError, match="Batas ukuran lampiran"):
        store.put(big)
    assert [f for f in (tmp_path / "files").rglob("*") if f.is_file()] == []
    sha, size = store.put(b"y" * 1024)
    assert size == 1024 and store.is_intact(sha)
    assert list((tmp_path / "files" / "tmp").iterdir()) == []


# bulk insert -------------------------------------------------------------------------------------
def test_bulk_insert_makes_listable_processes_in_one_audited_step(repo):
    audit_before = repo.verify_audit_chain().length
    rows = [proc(f"Paket {i}", kode_rup=str(9000 + i) if i % 2 else None, year=2020 + i % 3)
            for i in range(300)]
    assert repo.bulk_insert_processes(rows, PREFIX) == 300
    assert repo.count_processes() == 300
    ids = repo.list_process_ids()
    assert len(ids) == 300 and ids == sorted(ids, reverse=True)
    assert repo.list_process_ids(ProcessFilter(text="paket 299")) == [ids[0]]
    assert repo.find_process_by_ocid(f"{PREFIX}-9001").title == "Paket 1"
    assert repo.verify_audit_chain().length == audit_before + 1
    with pytest.raises(StorageError, match="sudah ada"):
        repo.bulk_insert_processes([proc(kode_rup="9001")], PREFIX)
    assert repo.count_processes() == 300


def test_copies_interrupted_by_a_crash_are_cleaned_up_once_stale(tmp_path):
    FileStore(tmp_path / "files")
    stale, fresh = tmp_path / "files" / "tmp" / "incoming-a", tmp_path / "files" / "tmp" / "incoming-b"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(stale, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    FileStore(tmp_path / "files")
    assert (stale.exists(), fresh.exists()) == (False, True)


def test_storing_the_same_bytes_again_repairs_a_damaged_copy(tmp_path):
    store = FileStore(tmp_path / "files")
    sha, _ = store.put(b"dokumen asli")
    store.path_for(sha).write_bytes(b"rusak")
    assert not store.is_intact(sha)
    assert store.put(b"dokumen asli") == (sha, len(b"dokumen asli"))
    assert store.is_intact(sha)


# start-up path without SQLAlchemy -----------------------------------------------------------------
LIST_ONLY_CHILD = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from odc_desktop.domain.model import ProcessFilter
    from odc_desktop.storage.sql import SqlRepository
    repo = SqlRepository.open(Path(sys.argv[1]))
    ids = repo.list_process_ids()
    rows = repo.get_process_rows(ids[:200])
    found = repo.list_process_ids(ProcessFilter(text="kalitidu", year=2025))
    unchanged = not repo.changes_since(repo.change_mark())  # what the UI's DB runner asks around each job
    result = {"unchanged": unchanged, "ids": len(ids), "rows": [r.title for r in rows[:2]], "found": len(found),
              "count": repo.count_processes(), "opds": repo.list_opds(), "years": repo.list_years(),
              "sqlalchemy_loaded": "sqlalchemy" in sys.modules}
    repo.close()
    print(json.dumps(result))
""")


def test_opening_and_reading_the_list_does_not_import_sqlalchemy(data_dir, tmp_path):
    repo = SqlRepository.open(data_dir)
    repo.bulk_insert_processes([proc(f"Paket {i} Kalitidu", year=2024 + i % 2) for i in range(300)],
                               PREFIX)
    repo.close()
    script = tmp_path / "child.py"
    script.write_text(LIST_ONLY_CHILD)
    out = subprocess.run([sys.executable, str(script), str(data_dir)], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    result = json.loads(out)
    assert result["sqlalchemy_loaded"] is False and result["unchanged"] is True
    assert (result["ids"], result["count"], result["found"]) == (300, 300, 150)
    assert result["rows"] == ["Paket 299 Kalitidu", "Paket 298 Kalitidu"]
    assert result["opds"] == [["1.03.0.00", "Dinas PUPR"]] and result["years"] == [2025, 2024]


def test_the_list_sees_every_write_at_once(repo):
    assert repo.list_process_ids() == [] and repo.count_processes() == 0
    first = repo.create_process(proc("Jalan Dander", year=2024), PREFIX)
    second = repo.create_process(proc("Jembatan Kauman", year=2026), PREFIX)
    assert repo.list_process_ids() == [second.id, first.id] and repo.list_years() == [2026, 2024]
    entry = repo.create_entry(first.id, Stage.PLANNING, "planning", 1, "h", {"pagu": 5})
    assert repo.list_process_ids() == [first.id, second.id]  # the latest change comes first
    repo.set_local_status(entry.id, EntryStatus.READY)
    assert repo.list_process_ids(ProcessFilter(status=EntryStatus.READY)) == [first.id]
    [row] = repo.get_process_rows([first.id])
    assert row.stage_statuses == {Stage.PLANNING: EntryStatus.READY}


def test_warm_up_loads_sqlalchemy_and_changes_nothing(data_dir, tmp_path):
    SqlRepository.open(data_dir).close()
    before = raw(data_dir).execute("SELECT count(*) FROM audit_log").fetchone()[0]
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent("""
        import sys
        from odc_desktop.storage.sql import SqlRepository
        repo = SqlRepository.open(sys.argv[1])
        loaded_at_open = "sqlalchemy" in sys.modules
        jsonschema_at_open = "jsonschema" in sys.modules  # ~0.1 s: validation loads it, not the start
        repo.warm_up()
        print(loaded_at_open, "sqlalchemy.engine" in sys.modules, jsonschema_at_open)
        repo.close()
    """))
    out = subprocess.run([sys.executable, str(script), str(data_dir)], capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    assert out == ["False", "True", "False"]
    assert raw(data_dir).execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_a_refused_attachment_leaves_no_file_in_the_store(repo, data_dir, tmp_path):
    p = repo.create_process(proc(), PREFIX)
    e = repo.create_entry(p.id, Stage.PLANNING, "planning", 1, "h", {"n": 1})
    repo.set_local_status(e.id, EntryStatus.READY)
    repo.set_local_status(e.id, EntryStatus.QUEUED)  # locked as much as approved
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 " + b"x" * 50_000)
    with pytest.raises(ReadOnlyEntry):
        repo.add_attachment(e.id, scan, "scan.pdf", "dpa")
    files = data_dir / "files"
    stored = [f for f in files.rglob("*") if f.is_file() and f.relative_to(files).parts[0] != "tmp"]
    assert stored == []
