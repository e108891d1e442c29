"""One writer per data folder, shared by the app and the CLI's writing commands (issue 7, item 6):
real ``odc`` subprocesses and the real app. A writing command refuses while the app (or another
writing command) has the folder; the app refuses, and says which command, while a command writes;
a killed holder blocks nobody."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from odc_desktop.storage.folder_lock import APP_PROGRAM, FolderBusy, FolderLock, read_holder
from tests.odc_cli import app_holding, demo_store, odc, restore_in_progress

#: A real dataset for `odc import` (refused before it is read while the app has the folder).
ISB_SAMPLE = next((Path(__file__).resolve().parents[1] / "data" / "isb").glob("*.json"))

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="the gated restore uses a named pipe (POSIX)")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return demo_store(tmp_path_factory.mktemp("store"), "--processes", "6", "--attachments", "3")


@pytest.fixture(scope="module")
def saved(store, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("backups") / "cadangan"
    made = odc("backup", str(folder), "--data-dir", str(store))
    assert made.returncode == 0, made.stderr
    return folder


def _processes(folder: Path) -> int:
    return json.loads(odc("status", "--json", "--data-dir", str(folder)).stdout)["processes"]


def _self_test(folder: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "odc_desktop.app", "--self-test", str(out), "--data-dir",
                           str(folder), *extra], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_the_lock_says_who_holds_it_and_a_second_holder_is_refused(tmp_path):
    first = FolderLock(tmp_path, APP_PROGRAM).acquire()
    assert read_holder(tmp_path).program == APP_PROGRAM and read_holder(tmp_path).pid == os.getpid()
    with pytest.raises(FolderBusy) as refused:
        FolderLock(tmp_path, "odc demo-data").acquire()
    assert refused.value.holder.is_app
    first.release()
    assert read_holder(tmp_path) is None
    with FolderLock(tmp_path, "odc demo-data"):
        assert read_holder(tmp_path).program == "odc demo-data"


def test_writing_commands_refuse_while_the_app_has_the_folder(store, saved, tmp_path):
    folder = tmp_path / "dipakai"
    import shutil

    shutil.copytree(store, folder)
    before = _processes(folder)
    with app_holding(folder):
        for command in (["demo-data", "--processes", "2"], ["restore", str(saved)], ["submit", "--all"],
                        ["sync"], ["login", "--server", "http://127.0.0.1:9", "--username", "u", "--password", "p"],
                        ["import", str(ISB_SAMPLE)]):
            refused = odc(*command, "--data-dir", str(folder))
            assert refused.returncode == 3, refused.stderr
            assert "ODC Desktop sedang terbuka" in refused.stderr and "Traceback" not in refused.stderr
            english = odc("--lang", "en", *command, "--data-dir", str(folder))
            assert english.returncode == 3 and "ODC Desktop is open on the data folder" in english.stderr
        assert not list(folder.glob("replaced-*"))  # the restore moved nothing aside
    assert _processes(folder) == before
    assert odc("demo-data", "--processes", "2", "--data-dir", str(folder)).returncode == 0


def test_the_app_and_other_writers_refuse_while_a_command_writes(store, saved, tmp_path):
    import shutil

    folder = tmp_path / "dipulihkan"
    shutil.copytree(store, folder)
    with restore_in_progress(saved, folder, tmp_path) as restore:
        holder = read_holder(folder)
        assert (holder.program, holder.pid) == ("odc restore", restore.pid)
        app = _self_test(folder, tmp_path / "out")
        assert app.returncode == 3
        assert f"Perintah odc restore (proses {restore.pid}) sedang menulis ke folder data ini" in app.stderr
        assert not (tmp_path / "out").exists()
        english = _self_test(folder, tmp_path / "out", "--lang", "en")
        assert english.returncode == 3 and f"The command odc restore (process {restore.pid})" in english.stderr
        other = odc("demo-data", "--processes", "2", "--data-dir", str(folder))
        assert other.returncode == 3 and "Perintah 'odc restore'" in other.stderr
    assert restore.returncode == 0, restore.stderr_text
    assert read_holder(folder) is None
    assert _self_test(folder, tmp_path / "out").returncode == 0  # free again once the command ended


def test_a_killed_command_leaves_no_lock_behind(store, saved, tmp_path):
    import shutil

    folder = tmp_path / "terputus"
    shutil.copytree(store, folder)
    with restore_in_progress(saved, folder, tmp_path) as restore:
        restore.send_signal(signal.SIGKILL)
        restore.wait(timeout=60)
        assert read_holder(folder).program == "odc restore"  # the file still names it, the OS lock is gone
        result = _self_test(folder, tmp_path / "out")
    assert result.returncode == 0, result.stderr
