"""Run the real ``odc`` command line as a subprocess, and make demo stores with it (shared by tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ODC = [sys.executable, "-m", "odc_desktop.cli"]


def odc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``odc ARGS`` run to its end (in ``cwd`` when given); text output captured."""
    return subprocess.run(ODC + list(args), capture_output=True, text=True, timeout=300, cwd=cwd)


def demo_store(folder: Path, *args: str) -> Path:
    """``folder`` filled by ``odc demo-data ARGS`` (which must succeed)."""
    made = odc("demo-data", *args, "--data-dir", str(folder))
    assert made.returncode == 0, made.stderr
    return folder


def app_holding(folder: Path):
    """A context manager: the real app (offscreen) open on ``folder`` and holding its lock; closed at
    the end. Waits for the app to write itself into the lock file (a bounded wait for that event)."""
    import contextlib
    import os
    import time

    from odc_desktop.storage.folder_lock import read_holder

    @contextlib.contextmanager
    def running():
        app = subprocess.Popen([sys.executable, "-m", "odc_desktop.app", "--data-dir", str(folder)],
                               env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 120  # an upper bound; the loop ends when the app holds the lock
            while (holder := read_holder(folder)) is None or holder.pid != app.pid:
                assert app.poll() is None, f"the app ended before holding {folder}: {app.stderr.read()}"
                assert time.monotonic() < deadline, "the app did not take the folder's lock"
                time.sleep(0.05)
            yield app
        finally:
            app.terminate()
            app.wait(timeout=60)
            app.stderr.close()

    return running()


def restore_in_progress(backup: Path, folder: Path, scratch: Path):
    """A context manager: a real ``odc restore`` of ``backup`` into ``folder``, held mid-way. Its
    backup's manifest is a named pipe this helper writes: the command has taken the folder's lock and
    waits on the pipe until the block ends, when the real manifest is written and the restore finishes.
    Yields the running process; its CompletedProcess-like (returncode, stdout, stderr) is left on it."""
    import contextlib
    import os
    import shutil
    import threading

    from odc_desktop.storage.backup import MANIFEST

    @contextlib.contextmanager
    def running():
        gated = scratch / "cadangan-tertahan"
        shutil.copytree(backup, gated)
        manifest = (gated / MANIFEST).read_bytes()
        (gated / MANIFEST).unlink()
        os.mkfifo(gated / MANIFEST)
        proc = subprocess.Popen(ODC + ["restore", str(gated), "--data-dir", str(folder)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        opened: list = []
        opener = threading.Thread(target=lambda: opened.append(open(gated / MANIFEST, "wb")))
        opener.start()  # returns once the command opens the manifest: it holds the lock by then
        opener.join(timeout=120)
        if not opened:  # the command ended (or hangs) before reading: unblock the opener, then fail
            proc.kill()
            with open(gated / MANIFEST, "rb"):
                opener.join()
            raise AssertionError(f"odc restore did not start: {proc.communicate()}")
        writer = opened[0]
        try:
            yield proc
        finally:
            try:
                writer.write(manifest)
                writer.close()
            except BrokenPipeError:  # the test killed the command
                pass
            proc.stdout_text, proc.stderr_text = proc.communicate(timeout=300)
    return running()
