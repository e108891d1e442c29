"""The database runner on a real SQLite store: results reach the GUI thread, Qt objects are never
destroyed on the database thread, and a closed runner refuses work without raising.

Issue 11 item 1: the app crashed while Python's garbage collector, started by an allocation on the
database thread, destroyed the previous window there. These tests watch the thread on which objects
die through a marker whose ``__del__`` records it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QLabel, QMainWindow

from odc_desktop.storage.sql import SqlRepository
from odc_desktop.ui.workers import DbRunner

pytestmark = pytest.mark.gui

WAIT_MS = 60_000  # an upper bound for a loaded machine; the waits end as soon as the event happens


class DeathRecorder:
    """Records the name of the thread on which it is destroyed."""

    def __init__(self, deaths: list[str]):
        self.deaths = deaths

    def __del__(self) -> None:
        self.deaths.append(threading.current_thread().name)


@pytest.fixture
def runner(qtbot, data_dir):
    repo = SqlRepository.open(data_dir)
    runner = DbRunner(repo)
    yield runner
    runner.shutdown()
    repo.close()


def _allocate_and_write(repo) -> int:
    """A job that, like the app's session start, writes and allocates enough objects that Python's
    collector would normally start on this (the database) thread."""
    keep = [[] for _ in range(20_000)]
    repo.set_meta("ui.test_marker", "1")
    return len(keep)


def test_dropped_windows_are_destroyed_on_the_gui_thread_not_the_database_thread(qtbot, runner):
    deaths: list[str] = []
    for _ in range(5):  # windows the app or a test no longer holds, kept alive only by a cycle
        window = QMainWindow()
        window.label = QLabel("x", window)
        window.itself = window
        window.marker = DeathRecorder(deaths)
        window.show()
    del window
    assert runner.run(_allocate_and_write).result(timeout=60) == 20_000
    assert deaths == []  # not collected on the database thread
    busy_gui = [[] for _ in range(5_000)]  # the GUI thread goes on working; its collector runs
    qtbot.waitUntil(lambda: len(deaths) == 5, timeout=WAIT_MS)  # the GUI thread's collector
    assert set(deaths) == {threading.main_thread().name}
    assert len(busy_gui) == 5_000


def test_a_job_and_its_callback_are_let_go_on_the_gui_thread(qtbot, runner):
    deaths: list[str] = []
    started, release = threading.Event(), threading.Event()
    marker_of_job, marker_of_callback = DeathRecorder(deaths), DeathRecorder(deaths)
    results: list[tuple[int, str]] = []

    def job(repo, held=marker_of_job):
        started.set()
        release.wait(60)
        return 7

    def done(value, held=marker_of_callback):
        results.append((value, threading.current_thread().name))

    runner.run(job, done)
    assert started.wait(60)
    del job, done, marker_of_job, marker_of_callback  # the runner holds the last references now
    release.set()
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    runner.settle()
    assert results == [(7, threading.main_thread().name)]
    assert deaths == [threading.main_thread().name] * 2


def test_a_failing_job_reports_its_error_on_the_gui_thread(qtbot, runner):
    errors: list[tuple[str, str]] = []

    def job(repo):
        raise ValueError("baris rusak")

    runner.run(job, on_error=lambda exc: errors.append((str(exc), threading.current_thread().name)))
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert errors == [("baris rusak", threading.main_thread().name)]


def test_results_arrive_in_the_order_jobs_were_queued(qtbot, runner):
    seen: list[int] = []
    for i in range(20):
        runner.run(lambda repo, i=i: i, seen.append)
    qtbot.waitUntil(lambda: len(seen) == 20, timeout=WAIT_MS)
    assert seen == list(range(20))


def test_a_shut_down_runner_refuses_new_jobs_and_drops_undelivered_results(qtbot, data_dir):
    repo = SqlRepository.open(data_dir)
    runner = DbRunner(repo)
    called: list[object] = []
    queued = runner.run(lambda repo: repo.set_meta("ui.test_marker", "queued"), called.append)
    runner.shutdown()  # queued work still runs (it may be a save) ...
    assert queued.done() and queued.exception() is None
    assert repo.get_meta("ui.test_marker") == "queued"
    late = runner.run(lambda repo: repo.set_meta("ui.test_marker", "late"), called.append)
    assert late.cancelled()  # ... a job asked for afterwards is refused, without an exception
    runner.wait_idle()
    runner.shutdown()
    runner.settle()
    assert called == []
    assert repo.get_meta("ui.test_marker") == "queued"
    repo.close()


def test_automatic_garbage_collection_is_off_only_while_a_database_thread_exists(qtbot, data_dir):
    import gc

    repo = SqlRepository.open(data_dir)
    before = gc.isenabled()  # True unless an earlier test left a runner running
    first, second = DbRunner(repo), DbRunner(repo)
    assert not gc.isenabled()
    first.shutdown()
    assert not gc.isenabled()  # the second thread still runs Python
    second.shutdown()
    assert gc.isenabled() is before
    repo.close()
