"""``odc backup`` and ``odc restore`` on real stores: a round trip with attachments, compared byte for
byte; damaged or incomplete backups refused with the store left exactly as it was; the daily backup."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from odc_desktop.storage import backup
from odc_desktop.storage.db import APP_LOCK_FILE, DB_FILENAME
from odc_desktop.storage.folder_lock import APP_PROGRAM, FolderLock
from odc_desktop.storage.health import RESTORE_MARKER
from odc_desktop.storage.repository import StorageError, StoreDamaged
from odc_desktop.storage.sql import SqlRepository
from tests.odc_cli import demo_store, odc


def attachment_bytes(store: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (store / "files").glob("??/*") if p.is_file()}


def rows(store: Path) -> list[str]:
    conn = sqlite3.connect(store / DB_FILENAME)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def tree_digest(store: Path) -> dict[str, str]:
    return {str(p.relative_to(store)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(store.rglob("*")) if p.is_file() and "logs" not in p.parts}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return demo_store(tmp_path_factory.mktemp("store"), "--processes", "20", "--attachments", "12")


@pytest.fixture(scope="module")
def saved(store, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("backups") / "cadangan-1"
    result = odc("backup", str(folder), "--data-dir", str(store))
    assert result.returncode == 0, result.stderr
    assert "20 paket" in result.stdout and "12 lampiran" in result.stdout
    return folder


def test_round_trip_restores_database_and_attachments_byte_for_byte(store, saved, tmp_path):
    target = tmp_path / "target"
    shutil.copytree(store, target)
    original_rows, original_files = rows(store), attachment_bytes(store)
    # later work that the restore must undo: a new process, and a lost database
    made = odc("demo-data", "--processes", "2", "--attachments", "2", "--seed", "9", "--data-dir", str(target))
    assert made.returncode == 0, made.stderr
    (target / DB_FILENAME).write_bytes(b"")
    result = odc("restore", str(saved), "--data-dir", str(target))
    assert result.returncode == 0, result.stderr
    assert (target / DB_FILENAME).read_bytes() == (saved / DB_FILENAME).read_bytes()
    assert rows(target) == original_rows
    assert attachment_bytes(target) == original_files and len(original_files) == 12
    kept = [p for p in target.iterdir() if p.name.startswith("replaced-")]
    assert len(kept) == 1 and (kept[0] / DB_FILENAME).exists()  # the replaced store is kept, not deleted
    status = json.loads(odc("status", "--json", "--data-dir", str(target)).stdout)
    assert status["processes"] == 20 and status["attachments"] == 12
    assert json.loads(odc("doctor", "--json", "--data-dir", str(target)).stdout)["integrity"] == "ok"


@pytest.mark.parametrize("damage", ["random-bytes-in-db", "no-manifest", "attachment-missing",
                                    "attachment-altered"])
def test_a_damaged_or_incomplete_backup_is_refused_and_the_store_is_unchanged(store, saved, tmp_path, damage):
    bad = tmp_path / "bad"
    shutil.copytree(saved, bad)
    if damage == "random-bytes-in-db":
        with (bad / DB_FILENAME).open("r+b") as fh:
            fh.seek((bad / DB_FILENAME).stat().st_size // 2)
            fh.write(bytes(range(256)) * 32)
    elif damage == "no-manifest":
        (bad / backup.MANIFEST).unlink()  # as a copy interrupted before its end leaves it
    else:
        stored = next(p for p in (bad / "files").glob("??/*"))
        if damage == "attachment-missing":
            stored.unlink()
        else:
            stored.write_bytes(b"rusak")
    target = tmp_path / "target"
    shutil.copytree(store, target)
    before = tree_digest(target)
    result = odc("restore", str(bad), "--data-dir", str(target))
    assert result.returncode == 3, result.stdout
    assert "cadangan" in result.stderr.lower() and "Traceback" not in result.stderr
    assert tree_digest(target) == before
    assert not [p for p in target.iterdir() if p.name.startswith((".restore-", "replaced-"))]


def test_backup_refuses_a_damaged_store_and_a_folder_that_is_not_empty(store, tmp_path):
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "x.txt").write_text("x")
    result = odc("backup", str(occupied), "--data-dir", str(store))
    assert result.returncode == 3 and "sudah berisi" in result.stderr
    damaged = tmp_path / "damaged"
    shutil.copytree(store, damaged)
    (damaged / DB_FILENAME).write_bytes(b"\0" * 4096 * 3)
    result = odc("backup", str(tmp_path / "new"), "--data-dir", str(damaged))
    assert result.returncode == 3 and "odc restore" in result.stderr
    assert not (tmp_path / "new").exists()


def test_an_interrupted_restore_keeps_the_store_closed_until_it_is_run_again(store, saved, tmp_path):
    target = tmp_path / "target"
    shutil.copytree(store, target)
    (target / RESTORE_MARKER).write_text(str(saved))  # as a restore killed in the middle of its swap leaves it
    with pytest.raises(StoreDamaged, match="tidak selesai"):
        SqlRepository.open(target)
    assert odc("status", "--data-dir", str(target)).returncode == 3
    assert odc("restore", str(saved), "--data-dir", str(target)).returncode == 0
    SqlRepository.open(target).close()


def test_daily_backup_keeps_the_chosen_number(store, tmp_path):
    folder = tmp_path / "auto"
    assert backup.backup_due(folder)
    for day in range(1, 4):
        info = backup.auto_backup(store, folder, keep=2)
        assert info.processes == 20
        # date it as if made on an earlier day (names hold the time to the second; order is by name)
        info.path.rename(folder / f"{backup.AUTO_PREFIX}200001{day:02d}-000000")
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == [f"{backup.AUTO_PREFIX}20000102-000000", f"{backup.AUTO_PREFIX}20000103-000000"]
    assert not backup.backup_due(folder)
    tomorrow = dt.datetime.now() + dt.timedelta(days=1, minutes=1)
    assert backup.backup_due(folder, tomorrow)


def test_make_backup_refuses_a_missing_attachment_file(store, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(store, broken)
    next((broken / "files").glob("??/*")).unlink()
    with pytest.raises(StorageError, match="hilang"):
        backup.make_backup(broken, tmp_path / "b")
    assert not (tmp_path / "b").exists() and not list(tmp_path.glob(".b.partial-*"))


def test_restore_waits_for_the_app_to_close(store, saved, tmp_path):
    target = tmp_path / "target"
    shutil.copytree(store, target)
    with FolderLock(target, APP_PROGRAM):  # this test process plays the open app
        before = tree_digest(target)
        result = odc("restore", str(saved), "--data-dir", str(target))
        assert tree_digest(target) == before
    assert result.returncode == 3 and "sedang terbuka" in result.stderr


def test_backup_and_restore_with_relative_folders(store, tmp_path):
    shutil.copytree(store, tmp_path / "data")
    made = odc("backup", "cadangan", "--data-dir", "data", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    restored = odc("restore", "cadangan", "--data-dir", "data", cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert attachment_bytes(tmp_path / "data") == attachment_bytes(store)
    assert sorted(p.name for p in (tmp_path / "data").iterdir() if not p.name.startswith("replaced-")) == sorted([
        DB_FILENAME, "files", "logs", APP_LOCK_FILE])  # the lock file stays, empty: see storage.folder_lock


def test_refusals_in_english(store, tmp_path):
    result = odc("restore", str(tmp_path / "none"), "--data-dir", str(store), "--lang", "en")
    assert result.returncode == 3 and "is not a complete ODC Desktop backup" in result.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    result = odc("backup", str(tmp_path / "full"), "--data-dir", str(store), "--lang", "en")
    assert result.returncode == 3 and "already holds something" in result.stderr


def test_stored_form_versions_travel_with_a_backup(tmp_path):
    """Entries made with a stored form version still find it after a restore on another computer."""
    from odc_desktop.form_registry import FormRegistry
    from tests.unit.form_versions import planning_v2

    source = tmp_path / "data"
    SqlRepository.open(source).close()
    v2 = FormRegistry.open(source).add(planning_v2())
    made = backup.make_backup(source, tmp_path / "cadangan")
    assert (made.path / "forms" / "planning" / f"2-{v2.content_hash}.yaml").is_file()
    elsewhere = tmp_path / "komputer-lain"
    backup.restore_backup(made.path, elsewhere)
    assert FormRegistry.open(elsewhere).get("planning", 2, v2.content_hash) is not None
    assert FormRegistry.open(elsewhere).current("planning").version == 2
