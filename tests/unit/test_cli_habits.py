"""Command-line habits: option order, exit codes, output files, OS reasons and argparse in both
languages, a read-only store, and a status that summarises. Real ``odc`` processes on real folders."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.odc_cli import ODC, demo_store, odc


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return demo_store(tmp_path_factory.mktemp("store"), "--processes", "40", "--seed", "3")


def test_global_options_before_or_after_the_command(store):
    before = odc("--data-dir", str(store), "--lang", "en", "status", "--json")
    after = odc("status", "--json", "--data-dir", str(store), "--lang", "en")
    assert before.returncode == after.returncode == 0, after.stderr
    assert json.loads(before.stdout)["processes"] == json.loads(after.stdout)["processes"] == 40
    mixed = odc("--lang", "en", "status", "--data-dir", str(store))
    assert "Processes: 40" in mixed.stdout
    # given twice, the one after the command wins
    assert "Paket: 40" in odc("--lang", "en", "status", "--lang", "id", "--data-dir", str(store)).stdout


def test_argparse_speaks_indonesian_by_default_and_english_on_request():
    help_id = odc("status", "--help")
    assert help_id.returncode == 0
    assert "pemakaian:" in help_id.stdout and "opsi:" in help_id.stdout
    assert "tampilkan pesan bantuan ini lalu keluar" in help_id.stdout
    assert "show this help message" not in help_id.stdout and "options:" not in help_id.stdout
    assert "argumen posisi" in odc("validate", "--help").stdout
    top = odc("--help").stdout
    assert "Kode keluar" in top and "tampilkan nomor versi" in top and "show" not in top
    wrong = odc("status", "--tidak-ada")
    assert wrong.returncode == 2
    assert "kesalahan: argumen tidak dikenal: --tidak-ada" in wrong.stderr and "pemakaian:" in wrong.stderr
    missing = odc("export")
    assert missing.returncode == 2 and "argumen berikut wajib diisi: --out" in missing.stderr
    help_en = odc("status", "--help", "--lang", "en")
    assert "usage:" in help_en.stdout and "show this help message and exit" in help_en.stdout
    assert "error: unrecognized arguments" in odc("--lang", "en", "status", "--nope").stderr


def test_exit_codes(store, tmp_path):
    assert odc("forms", "list").returncode == 0
    assert odc("demo-data", "--processes", "x").returncode == 2  # wrong usage
    assert odc("validate", str(tmp_path / "none.json")).returncode == 3  # a file refused
    broken = tmp_path / "broken.json"
    broken.write_text('{"releases": [{"id": "1"}]}', encoding="utf-8")
    assert odc("validate", str(broken)).returncode == 1  # problems found
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    assert odc("status", "--data-dir", str(a_file)).returncode == 3  # folder refused
    assert odc().returncode == 2


def test_export_to_an_existing_folder_or_an_empty_name_is_a_usage_error(store, tmp_path):
    result = odc("export", "--out", str(tmp_path), "--data-dir", str(store))
    assert result.returncode == 2
    assert "adalah folder" in result.stderr and "rilis.json" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no .tmp left behind
    empty = odc("export", "--out", "", "--data-dir", str(store))
    assert empty.returncode == 2 and "--out" in empty.stderr


def test_export_leaves_no_temporary_file_and_replaces_the_output_whole(store, tmp_path):
    out = tmp_path / "rilis.json"
    out.write_text("lama")
    result = odc("export", "--out", str(out), "--data-dir", str(store))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["releases"]
    assert [p.name for p in tmp_path.iterdir()] == ["rilis.json"]


def test_os_reasons_are_in_the_message_language(store, tmp_path):
    where = tmp_path / "tidak-ada" / "rilis.json"
    result_id = odc("export", "--out", str(where), "--data-dir", str(store))
    assert result_id.returncode == 3 and "berkas atau folder tidak ada" in result_id.stderr
    result_en = odc("export", "--out", str(where), "--data-dir", str(store), "--lang", "en")
    assert "no such file or folder" in result_en.stderr
    assert "No such file or directory" not in result_id.stderr + result_en.stderr


def test_a_store_where_files_stand_for_folders_gives_one_line(store, tmp_path):
    # Works the same as root: the database's -wal must be a file (here a folder), and the log folder
    # is a file, so SQLite cannot open the database for writing and no log can be kept.
    copy = tmp_path / "copy"
    shutil.copytree(store, copy, ignore=shutil.ignore_patterns("logs"))
    (copy / "odc.sqlite3-wal").mkdir()
    (copy / "logs").write_text("bukan folder")
    for args in (["status"], ["export", "--out", str(tmp_path / "x.json")], ["demo-data", "--processes", "1"]):
        result = odc(*args, "--data-dir", str(copy))
        assert result.returncode == 3, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr and "tidak dapat" in result.stderr


def _read_only(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """Run odc on ``folder`` made read-only for real: a read-only bind mount in a private mount
    namespace when running as root (chmod does not stop root), else the folder's write bits removed."""
    if os.geteuid() == 0:
        script = ('mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"')
        return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", str(folder), *ODC, *args],
                              capture_output=True, text=True, timeout=300)
    mode = folder.stat().st_mode
    folder.chmod(0o555)
    try:
        return odc(*args)
    finally:
        folder.chmod(mode)


def test_a_read_only_store_gives_one_clear_line(store, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(store, copy)
    (copy / "odc.sqlite3").chmod(0o444)
    result = _read_only(copy, "demo-data", "--processes", "1", "--data-dir", str(copy))
    assert result.returncode == 3, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr and "tidak dapat dibuka untuk ditulis" in result.stderr
    english = _read_only(copy, "status", "--data-dir", str(copy), "--lang", "en")
    assert english.returncode == 3 and english.stderr.count("\n") == 1
    assert "cannot be opened for writing" in english.stderr and "tidak" not in english.stderr


def test_status_summarises_returned_entries_unless_all(tmp_path):
    from odc_desktop.demo import data as demo
    from odc_desktop.domain.forms.definition import load_form_set
    from odc_desktop.domain.statuses import EntryStatus
    from odc_desktop.storage.sql import SqlRepository
    from tests.unit.workflow_helpers import as_server_return

    store = tmp_path / "big"
    repo = SqlRepository.open(store)  # demo data stops at ready; the reviewer's returns are played here
    demo.generate(repo, load_form_set(), 60, attachments=240, seed=5)
    for entry in repo.iter_entries({EntryStatus.READY})[:14]:
        as_server_return(repo, entry)
    repo.close()
    summary = json.loads(odc("status", "--json", "--data-dir", str(store)).stdout)
    total = summary["returned_total"]
    assert total > 10 and len(summary["returned"]) == 10
    everything = json.loads(odc("status", "--json", "--all", "--data-dir", str(store)).stdout)
    assert len(everything["returned"]) == total
    text = odc("status", "--data-dir", str(store)).stdout
    assert f"dan {total - 10} lainnya" in text and "--all" in text


def test_progress_goes_to_a_terminal_only(store, tmp_path):
    import pty

    controller, terminal = pty.openpty()
    try:
        result = subprocess.run(ODC + ["export", "--out", str(tmp_path / "a.json"), "--data-dir", str(store)],
                                stdout=subprocess.PIPE, stderr=terminal, timeout=300)
        os.close(terminal)
        terminal = -1
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
        if terminal != -1:
            os.close(terminal)
    assert result.returncode == 0
    assert b"Mengekspor: 40/40" in shown
    piped = odc("export", "--out", str(tmp_path / "b.json"), "--data-dir", str(store))
    assert piped.returncode == 0 and piped.stderr == ""


def test_demo_data_waits_for_the_app_to_close_its_data_folder(store, tmp_path):
    """A real app holds the folder (its lock); ``demo-data`` refuses with exit 3 and writes nothing,
    then runs once the app has closed (more writers: tests/reliability/test_folder_lock.py)."""
    import json as _json

    from tests.odc_cli import app_holding

    folder = tmp_path / "dipakai"
    shutil.copytree(store, folder)
    before = _json.loads(odc("status", "--json", "--data-dir", str(folder)).stdout)
    with app_holding(folder):
        refused = odc("demo-data", "--processes", "2", "--data-dir", str(folder))
        assert refused.returncode == 3
        assert "ODC Desktop sedang terbuka" in refused.stderr and "Traceback" not in refused.stderr
        english = odc("--lang", "en", "demo-data", "--processes", "2", "--data-dir", str(folder))
        assert "ODC Desktop is open on the data folder" in english.stderr
    after = _json.loads(odc("status", "--json", "--data-dir", str(folder)).stdout)
    assert after["processes"] == before["processes"]  # nothing was written while the app had the folder
    assert odc("demo-data", "--processes", "2", "--data-dir", str(folder)).returncode == 0
