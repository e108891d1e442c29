"""Start-up benchmark: a bare PySide6 window against the real app with 100,000 local processes.

Both are started in fresh subprocesses, alternately, several times; the time is from launching the
interpreter to the window being usable (bare: shown and the event loop idle; app: shown, the process
list filled and its first rows loaded and painted). Each child also reports the CPU time it used
until then (all its threads): on a busy machine (other work on the cores) wall time swings with the
scheduler, CPU time much less. Prints one JSON object as the last line:
``{"bare_qt_s", "app_s", "ratio", "bare_cpu_s", "app_cpu_s", "cpu_ratio", "processes"}``.
Target: ratio <= 3.

    python bench/startup.py [--n 100000] [--repeat 5] [--unclean]

``--unclean`` removes the store's clean-close record before every app start, as a crash leaves it,
so each start runs the database quick check (:mod:`odc_desktop.storage.health`): the worst case.

The data dir is built once (bulk insert) and cached under the temp folder (``odc-bench/``). The
app's bytecode is compiled once before timing, as installing it does (pip, PyInstaller): otherwise,
with ``PYTHONDONTWRITEBYTECODE`` set, every timed start would compile the app's sources again, a
cost no user pays and the bare window (PySide6 comes compiled) does not have.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

READY = "READY"


def bench_data_dir(n: int) -> Path:
    """A data dir holding ``n`` processes, built once and reused while the schema still opens."""
    from store import make_rows  # bench/store.py: the storage benchmark's synthetic rows

    from odc_desktop.storage.repository import StorageError
    from odc_desktop.storage.sql import SqlRepository

    path = Path(tempfile.gettempdir()) / "odc-bench" / f"data-{n}"
    marker = path / "bench-complete"
    if marker.exists():
        try:
            repo = SqlRepository.open(path)
            count = repo.count_processes()
            repo.close()
            if count == n:
                return path
        except StorageError:
            pass  # made by an older/newer schema: rebuild below
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    repo = SqlRepository.open(path)
    repo.bulk_insert_processes(make_rows(n, random.Random(7)), "ocds-000bjn")
    repo.close()
    marker.write_text("ok")
    return path


def _child_bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.resize(1180, 760)
    window.show()
    QTimer.singleShot(0, lambda: (_say_ready(), app.quit()))
    app.exec()


def _say_ready() -> None:
    print(READY, time.process_time(), flush=True)


def _child_app(data_dir: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from odc_desktop.app import close_services, create_main_window, create_services

    app = QApplication([])
    services = create_services(data_dir)
    window = create_main_window(services)
    window.show()
    # list_did_update: the list is filled and its first rows are loaded and painted.
    window.list_page.list_did_update.connect(
        lambda _count: QTimer.singleShot(0, lambda: (_say_ready(), app.quit())))
    QTimer.singleShot(0, window.start)  # the same timers as odc_desktop.app.main
    QTimer.singleShot(0, window.restore_last_session)
    app.exec()
    window.close()
    close_services(services)


def time_child(args: list[str]) -> tuple[float, float]:
    """(wall seconds from launching ``startup.py <args>`` to its READY line, CPU seconds it used until then)."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(READY):
            elapsed = time.perf_counter() - start
            cpu = float(line.split()[1])
            break
    else:
        raise RuntimeError(f"child {args} exited without getting ready (code {proc.wait()})")
    proc.wait(timeout=60)
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description="Start-up time of ODC Desktop vs a bare PySide6 window")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", choices=["bare", "app"], help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--unclean", action="store_true", help="start as after a crash (quick check runs)")
    args = parser.parse_args()
    if args.child == "bare":
        return _child_bare()
    if args.child == "app":
        return _child_app(args.data_dir)
    data_dir = bench_data_dir(args.n)
    import odc_desktop

    compileall.compile_dir(Path(odc_desktop.__file__).parent, quiet=1)  # see the module docstring
    time_child(["--child", "app", "--data-dir", str(data_dir)])  # warm the OS file cache once
    bare, real = [], []
    for _ in range(args.repeat):
        bare.append(time_child(["--child", "bare"]))
        if args.unclean:
            (data_dir / "odc.sqlite3.clean").unlink(missing_ok=True)
        real.append(time_child(["--child", "app", "--data-dir", str(data_dir)]))
    bare_s, app_s = (statistics.median(run[0] for run in runs) for runs in (bare, real))
    bare_cpu, app_cpu = (statistics.median(run[1] for run in runs) for runs in (bare, real))
    print(f"bare runs: {[round(x, 3) for x, _ in bare]}\napp runs:  {[round(x, 3) for x, _ in real]}")
    print(json.dumps({"bare_qt_s": round(bare_s, 3), "app_s": round(app_s, 3), "ratio": round(app_s / bare_s, 2),
                      "bare_cpu_s": round(bare_cpu, 3), "app_cpu_s": round(app_cpu, 3),
                      "cpu_ratio": round(app_cpu / bare_cpu, 2), "processes": args.n, "unclean": args.unclean}))


if __name__ == "__main__":
    main()
