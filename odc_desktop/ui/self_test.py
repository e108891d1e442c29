"""``odc-desktop --self-test OUTDIR``: start the real app at 1024×768 (an office screen), visit the list
and all six stage forms of a process, and save a screenshot of each (used by the installer smoke test
and by people checking a PC). The app runs it on a temporary store, never on the operator's.
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import QApplication

from odc_desktop.demo import data as demo
from odc_desktop.domain.statuses import Stage
from odc_desktop.storage.repository import Repository
from odc_desktop.ui.main_window import MainWindow
from odc_desktop.ui.services import Services

log = logging.getLogger(__name__)

DEMO_SEEDS = range(1, 200)
SCREEN_SIZE = (1024, 768)


def wait_until(services: Services, predicate: Callable[[], bool], timeout: float = 120.0) -> None:
    """Let queued DB jobs and their GUI callbacks run until ``predicate()`` holds (or fail)."""
    deadline = time.monotonic() + timeout
    while True:
        services.db.settle()
        QApplication.processEvents()
        if predicate():
            for _ in range(3):  # let follow-up jobs (e.g. a form loading its entry) finish too
                services.db.settle()
                QApplication.processEvents()
            return
        if time.monotonic() > deadline:
            raise TimeoutError("self-test: the window did not reach the expected state in time")
        time.sleep(0.01)


def ensure_demo_process(repo: Repository, services: Services) -> None:
    """If the store is empty, create one demo process whose six stage entries are all filled."""
    if repo.count_processes() > 0:
        return
    import tempfile

    from odc_desktop.storage.sql import SqlRepository

    # The demo generator decides randomly how far a process got; probe seeds on a scratch store first
    # so the real store receives exactly one process, complete through hand-over.
    for seed in DEMO_SEEDS:
        with tempfile.TemporaryDirectory(prefix="odc-self-test-probe-") as scratch:
            probe = SqlRepository.open(Path(scratch))
            try:
                demo.generate(probe, services.forms, 1, seed=seed, ocid_prefix=services.settings.ocid_prefix)
                process_id = probe.list_process_ids()[0]
                complete = all(probe.current_entry(process_id, stage) is not None for stage in Stage)
            finally:
                probe.close()
        if complete:
            demo.generate(repo, services.forms, 1, seed=seed, ocid_prefix=services.settings.ocid_prefix)
            return
    raise RuntimeError("self-test: no demo seed produced a process with all six stages")


def _most_complete_process(repo: Repository) -> int:
    """Among the most recent processes, the first that has an entry for every stage."""
    ids = repo.list_process_ids()[:200]
    for row in repo.get_process_rows(ids):
        if len(row.stage_statuses) == len(Stage):
            return row.id
    return ids[0]


def _grab(window: MainWindow, path: Path) -> Path:
    if not window.grab().save(str(path)):
        raise OSError(f"self-test: could not write {path}")
    return path


def run_self_test(services: Services, outdir: Path,
                  make_window: Callable[[Services], MainWindow]) -> int:
    """Screenshot the main window and every stage form into ``outdir``; 0 on success, 1 on failure."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        services.db.run(lambda repo: ensure_demo_process(repo, services)).result()
        process_id = services.db.run(_most_complete_process).result()
        window = make_window(services)
        window.resize(*SCREEN_SIZE)
        window.show()
        window.start()
        model = window.list_page.model
        wait_until(services, lambda: model.rowCount() > 0 and model.is_row_loaded(0))
        written = [_grab(window, outdir / "main_window.png")]
        window.open_process(process_id)
        view = window.process_view
        wait_until(services, lambda: view.process is not None and view.process.id == process_id)
        for stage in Stage:
            view.show_stage(stage)
            page = view.current_page()  # shown at once; its fields fill in once the entry has loaded
            wait_until(services, page.is_loaded)
            written.append(_grab(window, outdir / f"stage_{stage.value}.png"))
        window.close()
        for path in written:
            print(path.name)
        return 0
    except Exception:
        log.exception("self-test failed")
        traceback.print_exc(file=sys.stderr)
        return 1
