"""Starting the real app on odd folders and refused stores (issue 11, items 2 and 4).

Each start runs ``odc_desktop.app.main`` in a subprocess through ``answer_dialogs.py``, which finds the
dialog the app shows, records its title and text and clicks OK, as an operator would. Folders and
files are real: a file given as the data folder, a log path taken by a folder, a folder without write
permission, a database storage refuses. ``--self-test`` must leave the operator's store byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from odc_desktop.app import close_services, create_services
from odc_desktop.demo import data as demo
from odc_desktop.domain.statuses import Stage

pytestmark = pytest.mark.gui

HARNESS = Path(__file__).with_name("answer_dialogs.py")
NOBODY = 65534
REFUSED = 3  # the exit code for a refused folder or store (same scheme as the odc command line)


def _start(*args: str, as_nobody: bool = False, env: dict[str, str] | None = None) -> dict:
    """Run the app with ``args``; its exit code and the dialogs it showed (each answered with OK)."""
    command = [sys.executable, str(HARNESS), *args]
    if as_nobody:
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr  # the harness itself; the app's code is in the report
    return json.loads(result.stdout.strip().splitlines()[-1])


def _one_error_dialog(report: dict) -> dict:
    assert report["code"] == REFUSED
    assert len(report["dialogs"]) == 1, report
    dialog = report["dialogs"][0]
    assert dialog["icon"] == "Critical"
    assert "Traceback" not in dialog["text"]
    return dialog


@pytest.mark.parametrize("lang, title, reason", [
    ("id", "Folder data tidak dapat dipakai", "sudah ada berkas dengan nama itu, bukan folder"),
    ("en", "Data folder cannot be used", "a file with that name exists, not a folder"),
])
def test_a_file_given_as_the_data_folder_is_refused_in_a_dialog(tmp_path, lang, title, reason):
    not_a_folder = tmp_path / "odc-data.txt"
    not_a_folder.write_text("catatan operator", encoding="utf-8")
    dialog = _one_error_dialog(_start("--data-dir", str(not_a_folder), "--lang", lang))
    assert dialog["title"] == title
    assert str(not_a_folder) in dialog["text"] and reason in dialog["text"]
    assert "--data-dir" in dialog["text"]
    assert not_a_folder.read_text(encoding="utf-8") == "catatan operator"


def test_a_data_folder_below_a_file_is_refused_in_a_dialog(tmp_path):
    (tmp_path / "berkas").write_bytes(b"x")
    dialog = _one_error_dialog(_start("--data-dir", str(tmp_path / "berkas" / "data")))
    assert "bagian dari jalurnya adalah berkas, bukan folder" in dialog["text"]


def test_a_folder_whose_log_cannot_be_written_is_refused_in_a_dialog(tmp_path):
    data = tmp_path / "data"
    (data / "logs" / "odc-desktop.log").mkdir(parents=True)  # a folder where the log file must go
    dialog = _one_error_dialog(_start("--data-dir", str(data), "--lang", "en"))
    assert dialog["title"] == "Data folder cannot be used"
    assert "what should be a file is a folder" in dialog["text"]
    assert str(data / "logs" / "odc-desktop.log") in dialog["text"]


def test_a_read_only_data_folder_is_refused_in_a_dialog():
    """chmod takes writing away from everyone but root, which ignores permissions (checked below).
    Run as root (CI, containers), the app is started as the unprivileged user ``nobody`` instead."""
    as_root = os.geteuid() == 0
    if as_root and shutil.which("setpriv") is None:
        pytest.fail("running as root, this test needs setpriv (util-linux) to start the app as nobody")
    if as_root:
        probe = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                                sys.executable, "-c", "import odc_desktop.app"], capture_output=True, text=True,
                               timeout=120)
        assert probe.returncode == 0, ("the user nobody cannot run this checkout's Python (keep the clone "
                                       f"and its .venv readable by others): {probe.stderr[-500:]}")
    root = Path(tempfile.mkdtemp(prefix="odc-read-only-"))  # not under pytest's private tmp folder
    try:
        root.chmod(0o755)
        data, cache = root / "data", root / "cache"
        data.mkdir()
        cache.mkdir(mode=0o777)
        cache.chmod(0o777)
        (data / "settings.json").write_text('{"language": "en"}', encoding="utf-8")
        data.chmod(0o555)
        if as_root:  # root could still write here, so chmod alone would prove nothing
            (data / "probe").write_bytes(b"")
            (data / "probe").unlink()
        before = _snapshot(data)
        dialog = _one_error_dialog(_start("--data-dir", str(data), as_nobody=as_root,
                                          env={"ODC_CACHE_DIR": str(cache)}))
        assert dialog["title"] == "Data folder cannot be used"  # the folder's language setting is read
        assert "access denied" in dialog["text"] and str(data) in dialog["text"]
        assert _snapshot(data) == before
    finally:
        (root / "data").chmod(0o755)
        shutil.rmtree(root)


@pytest.mark.parametrize("make_store", ["random_bytes", "newer_version"])
def test_a_store_that_storage_refuses_is_named_in_a_dialog_and_left_as_it_was(tmp_path, make_store):
    data = tmp_path / "data"
    data.mkdir()
    if make_store == "random_bytes":
        (data / "odc.sqlite3").write_bytes(os.urandom(64 * 1024))
    else:
        with sqlite3.connect(data / "odc.sqlite3") as conn:
            conn.execute("PRAGMA user_version = 999")
    before = (data / "odc.sqlite3").read_bytes()
    for lang, title, frame in (("id", "Data tidak dapat dibuka", "Data lokal tidak dapat dibuka:\n\n"),
                               ("en", "Data cannot be opened", "The local data cannot be opened:\n\n")):
        dialog = _one_error_dialog(_start("--data-dir", str(data), "--lang", lang))
        assert dialog["title"] == title
        assert dialog["text"].startswith(frame)
        reason = dialog["text"][len(frame):].split("\n\n")[0]
        assert len(reason) > 20  # the storage layer's own explanation (what is wrong, what to do)
        assert str(data / "logs" / "odc-desktop.log") in dialog["text"]
    if make_store == "random_bytes":
        assert (data / "odc.sqlite3").read_bytes() == before
    else:  # SQLite may switch the journal mode in the header when opening; the content stays as it was
        with sqlite3.connect(data / "odc.sqlite3") as conn:
            assert conn.execute("PRAGMA user_version").fetchone() == (999,)
            assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
        conn.close()


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (but the app's log and lock) with the SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != "logs" and p.name != "odc-desktop.lock"}


def _png_size(path: Path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


@pytest.mark.parametrize("store", ["empty", "with_processes_and_attachments"])
def test_self_test_leaves_the_operators_store_byte_identical(tmp_path, store):
    data, out = tmp_path / "data", tmp_path / "out"
    services = create_services(data, sync=True)  # a real store, as the app leaves it
    if store != "empty":
        demo.generate(services.db.repo, services.forms, 3, attachments=2, seed=4)
    close_services(services)
    before = _snapshot(data)
    assert "odc.sqlite3" in before
    result = subprocess.run([sys.executable, "-m", "odc_desktop.app", "--self-test", str(out), "--data-dir",
                             str(data)], capture_output=True, text=True, timeout=180,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert _snapshot(data) == before
    names = sorted(p.name for p in out.glob("*.png"))
    assert names == sorted(["main_window.png"] + [f"stage_{s.value}.png" for s in Stage])
    for name in names:  # drawn for an office screen of 1024×768
        assert _png_size(out / name) == (1024, 768), name
