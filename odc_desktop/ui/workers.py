"""Work off the GUI thread: one serial worker thread owns the local database; results come back to the
GUI thread through one helper (:class:`DbRunner`, a QObject living on the GUI thread).

Jobs receive the repository and must not touch widgets; callbacks run on the GUI thread. Tests that
need determinism use :class:`SyncDbRunner`, which runs each job at once on the calling thread.

Why the care about which thread lets go of an object: a Python-owned Qt object (a window a test or
the app has dropped, a widget captured by a callback) is destroyed by whichever thread drops the last
reference to it, or by whichever thread happens to run Python's cyclic garbage collector. Destroyed on
the database thread, Qt crashes. So (1) only an integer ticket crosses from the worker to the GUI
thread; callbacks, jobs and futures stay referenced by the GUI side until the ticket arrives, the
worker drops its own references first, and a failed job's traceback frames are cleared once logged;
(2) while a runner's thread exists, automatic collection is off and a timer on the GUI thread collects
instead (the usual PyQt/PySide remedy).

A job that fails is always logged with its traceback (on the database thread). If its caller gave no
``on_error``, the runner also says so calmly through :attr:`DbRunner.job_did_fail`, which the main
window shows in its notice bar: no failure stays silent.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import gc
import itertools
import logging
import queue
import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThread, QTimer, Signal, Slot

from odc_desktop.storage.repository import Repository, StorageError

log = logging.getLogger(__name__)
Job = Callable[[Repository], Any]
Done = Callable[[Any], None] | None
Failed = Callable[[BaseException], None] | None

GC_INTERVAL_MS = 500


class _GuiThreadGarbageCollector(QObject):
    """Runs Python's cyclic garbage collector from a GUI-thread timer, generation by generation,
    when the allocation counts pass the usual thresholds (automatic collection is switched off)."""

    def __init__(self, app: QCoreApplication):
        super().__init__(app)
        self._timer = QTimer(self)
        self._timer.timeout.connect(collect_garbage_if_due)
        self._timer.start(GC_INTERVAL_MS)


def collect_garbage_if_due() -> None:
    """Collect the oldest generation whose allocation count passed its threshold (if any)."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = [gen for gen in range(3) if counts[gen] > thresholds[gen]]
    if due:
        gc.collect(max(due))


_collector: _GuiThreadGarbageCollector | None = None
_live_runners = 0


def _runner_did_start() -> None:
    """While a database thread exists, cyclic garbage (and the Qt objects in it) is collected only on
    the GUI thread: automatic collection off, a GUI-thread timer (made once) collecting instead."""
    global _collector, _live_runners
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        raise RuntimeError("a DbRunner must be made on the GUI thread of an application")
    if _collector is None:
        _collector = _GuiThreadGarbageCollector(app)
    gc.disable()
    _live_runners += 1


def _runner_did_stop() -> None:
    """With no database thread left, automatic collection is safe again (only this thread runs Python)."""
    global _live_runners
    _live_runners -= 1
    if _live_runners == 0:
        gc.enable()


@dataclasses.dataclass
class _Pending:
    """What the GUI side keeps for a queued job until its ticket comes back."""

    job: Job  # held here so that the worker never lets go of it last
    future: concurrent.futures.Future
    on_done: Done
    on_error: Failed


class DbRunner(QObject):
    """One worker thread that owns the repository; jobs run one after another, in order.

    Create, use and shut it down on the GUI thread. After :meth:`shutdown` new jobs are refused (a
    cancelled future, no callback) instead of raising, because a closing window may still ask.

    Signals:
        job_did_fail(message): a job queued without ``on_error`` failed; ``message`` is a calm
            sentence for the operator (the traceback is in the log). A job with ``on_error`` is
            reported by its caller only.
    """

    job_did_fail = Signal(str)
    _job_did_finish = Signal(int)  # internal: worker -> GUI thread, carries only a ticket

    def __init__(self, repo: Repository):
        super().__init__()
        _runner_did_start()
        self.repo = repo
        self._pending: dict[int, _Pending] = {}
        self._tickets = itertools.count(1)
        self._queue: queue.SimpleQueue[tuple[int, Job, concurrent.futures.Future] | None] = queue.SimpleQueue()
        self._closed = False
        self._job_did_finish.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._work, name="odc-db", daemon=True)
        self._thread.start()

    def run(self, job: Job, on_done: Done = None, on_error: Failed = None) -> concurrent.futures.Future:
        """Queue ``job(repo)``; ``on_done(result)`` or ``on_error(exc)`` is then called on the GUI thread."""
        future: concurrent.futures.Future = concurrent.futures.Future()
        if self._closed:
            log.warning("database job refused: the store is closed (%r)", job)
            future.cancel()
            return future
        ticket = next(self._tickets)
        self._pending[ticket] = _Pending(job, future, on_done, on_error)
        self._queue.put((ticket, job, future))
        return future

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Block until every job queued so far has run (used at shutdown and by tests)."""
        if not self._closed:
            self.run(lambda repo: None).result(timeout=timeout)

    def settle(self, timeout: float = 60.0) -> None:
        """Wait until every job queued so far has run and its callback has been called (GUI thread)."""
        self.wait_idle(timeout)
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall.value)

    def shutdown(self) -> None:
        """Run the jobs already queued, stop the worker, and drop the callbacks not yet delivered
        (their windows are closing). Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join()
        _runner_did_stop()
        if self._pending:
            log.info("%d database result(s) not delivered: the store closed", len(self._pending))
        self._pending.clear()  # on the GUI thread, with the worker gone

    def failure_message(self, exc: BaseException) -> str:
        """What the operator is told about a failed job: a storage error's own message (written for
        operators: what went wrong and what to do), otherwise a calm sentence that points to the log."""
        if isinstance(exc, StorageError) and str(exc):
            from odc_desktop.ui.i18n import current_language

            return exc.message(current_language())  # the message catalogue's, in the app's language
        return self.tr("Sebuah pekerjaan di latar belakang tidak selesai. Data yang sudah tersimpan tetap "
                       "aman. Coba lagi; bila tetap gagal, hubungi Diskominfo dan sertakan berkas log.")

    # worker thread ---------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            ticket, job, future = item
            del item
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(job(self.repo))
                except BaseException as exc:  # handed to the GUI thread, which logs or shows it
                    log.error("database job failed", exc_info=exc)
                    traceback.clear_frames(exc.__traceback__)  # frames may hold widgets' last refs
                    future.set_exception(exc)
            # The GUI side still holds the job and future: drop ours before telling it.
            del job, future
            self._job_did_finish.emit(ticket)

    # GUI thread ------------------------------------------------------------------------------
    @Slot(int)
    def _deliver(self, ticket: int) -> None:
        pending = self._pending.pop(ticket, None)
        if pending is None:
            return
        future, on_done, on_error = pending.future, pending.on_done, pending.on_error
        try:
            exc = future.exception()
            if exc is not None:
                if on_error is not None:
                    on_error(exc)
                else:
                    self.job_did_fail.emit(self.failure_message(exc))
            elif on_done is not None:
                on_done(future.result())
        except Exception:  # a failing callback must not kill the event loop; it is logged
            log.exception("callback on the GUI thread failed")


class SyncDbRunner:
    """Test double with the same interface: runs each job immediately on the calling thread."""

    def __init__(self, repo: Repository):
        self.repo = repo

    def run(self, job: Job, on_done: Done = None, on_error: Failed = None) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        try:
            result = job(self.repo)
        except Exception as exc:
            future.set_exception(exc)
            if on_error is None:
                raise
            on_error(exc)
        else:
            future.set_result(result)
            if on_done is not None:
                on_done(result)
        return future

    def wait_idle(self, timeout: float = 30.0) -> None:
        return None

    def settle(self, timeout: float = 30.0) -> None:
        return None

    def shutdown(self) -> None:
        return None
