"""A real ``odc import`` / ``odc demo-data`` SIGKILLed once its first batch is committed: afterwards the
store opens, ``odc doctor`` finds the audit chain intact, and every process is whole (all the entries
its batch wrote, its denormalised statuses matching them) or absent."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.isb_rows import write_isb_files
from odc_desktop.storage.sql import SqlRepository

ODC = [sys.executable, "-m", "odc_desktop.cli"]

pytestmark = pytest.mark.slow


def _committed_processes(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM processes").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0  # not made yet


def _kill_after_first_batch(args: list[str], data_dir: Path) -> subprocess.Popen:
    """Start ``odc`` and SIGKILL it once some processes are committed (the marker), before it ends."""
    proc = subprocess.Popen(ODC + ["--data-dir", str(data_dir), *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    db = data_dir / "odc.sqlite3"
    while proc.poll() is None and _committed_processes(db) == 0:
        time.sleep(0.02)  # polling the store, not waiting for a time
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the command ended before it could be killed mid-way"
    return proc


def _assert_whole_or_absent(data_dir: Path, entries_per_process: int | None, total: int) -> None:
    doctor = subprocess.run(ODC + ["--data-dir", str(data_dir), "doctor"], capture_output=True, text=True,
                            timeout=300)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "utuh" in doctor.stdout
    repo = SqlRepository.open(data_dir)
    try:
        assert repo.verify_audit_chain().ok
        count = repo.count_processes()
        assert 0 < count < total
        conn = sqlite3.connect(data_dir / "odc.sqlite3")
        rows = conn.execute("SELECT p.id, p.statuses, count(e.id) FROM processes p "
                            "LEFT JOIN entries e ON e.process_id = p.id GROUP BY p.id").fetchall()
        conn.close()
        for pid, statuses, entries in rows:
            assert entries >= 1 and statuses.count("=") == entries, (pid, statuses, entries)
            if entries_per_process is not None:
                assert entries == entries_per_process, pid
        audited = repo.verify_audit_chain().length
        assert audited >= count + sum(r[2] for r in rows)  # a record per process and per entry
    finally:
        repo.close()


def test_a_killed_demo_data_leaves_whole_processes(tmp_path):
    data_dir = tmp_path / "data"
    _kill_after_first_batch(["demo-data", "--processes", "50000"], data_dir)
    _assert_whole_or_absent(data_dir, None, 50000)


def test_a_killed_import_leaves_whole_processes(tmp_path):
    files = write_isb_files(tmp_path / "in", 40_000)
    data_dir = tmp_path / "data"
    _kill_after_first_batch(["import", *map(str, files)], data_dir)
    _assert_whole_or_absent(data_dir, 2, 20_000)


def test_a_killed_table_import_leaves_whole_processes(tmp_path):
    """A SIMDA/SIPD budget table (one package per line, the OPD by name) imported with ``--mapping``."""
    import csv

    path = tmp_path / "dpa.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["Kode Rekening", "Uraian", "Jumlah", "Nama OPD", "Tahun"])
        writer.writerows([f"5.1.02.{n:06d}", f"Paket belanja nomor {n}", f"Rp {1_000_000 + n:,}".replace(",", "."),
                          "Dinas Pendidikan", "2026"] for n in range(40_000))
    data_dir = tmp_path / "data"
    _kill_after_first_batch(["import", str(path), "--mapping", "dpa"], data_dir)
    _assert_whole_or_absent(data_dir, 1, 40_000)
