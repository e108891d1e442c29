"""Work off the GUI thread: one serial worker thread owns the local database (:class:`DbRunner`), a
second one copies files (and later talks to the network: :class:`IoRunner`), so a long copy never
holds up a save. Results come back to the GUI thread through one helper (a QObject living there).

Jobs receive the repository and must not touch widgets; callbacks run on the GUI thread. Tests that
need determinism use :class:`SyncDbRunner`, which runs each job at once on the calling thread.

Why the care about which thread lets go of an object: a Python-owned Qt object (a window a test or
the app has dropped, a widget captured by a callback) is destroyed by whichever thread drops the last
reference to it, or by whichever thread happens to run Python's cyclic garbage collector. Destroyed on
the database thread, Qt crashes. So (1) only an integer ticket crosses from the worker to the GUI
thread; callbacks, jobs and futures stay referenced by the GUI side until the ticket arrives, the
worker drops its own references first, and a failed job's traceback frames are cleared once logged;
(2) while a runner's thread exists, automatic collection is off and a timer on the GUI thread collects
instead (the usual PyQt/PySide remedy: :mod:`odc_desktop.ui.thread_gc`).

A job that fails is always logged with its traceback (on the database thread). If its caller gave no
``on_error``, the runner also says so calmly through :attr:`DbRunner.job_did_fail`, which the main
window shows in its notice bar: no failure stays silent.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import itertools
import logging
import queue
import threading
import traceback
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal, Slot

from odc_desktop.changes import ChangeChannel, Changes
from odc_desktop.ui.thread_gc import runner_did_start, runner_did_stop
from odc_desktop.storage.repository import Repository, StorageError

if TYPE_CHECKING:
    from odc_desktop.storage.change_log import ChangeMark

log = logging.getLogger(__name__)
Job = Callable[[Repository], Any]
Done = Callable[[Any], None] | None
Failed = Callable[[BaseException], None] | None

@dataclasses.dataclass
class _Pending:
    """What the GUI side keeps for a queued job until its ticket comes back."""

    job: Callable[..., Any]  # held here so that the worker never lets go of it last
    future: concurrent.futures.Future
    on_done: Done
    on_error: Failed


class _SerialRunner(QObject):
    """One worker thread running jobs one after another, in order; results come back to the GUI
    thread. Create, use and shut it down on the GUI thread. Subclasses say how a job is called.

    Signals:
        job_did_fail(message): a job queued without ``on_error`` failed; ``message`` is a calm
            sentence for the operator (the traceback is in the log). A job with ``on_error`` is
            reported by its caller only.
    """

    job_did_fail = Signal(str)
    _job_did_finish = Signal(int)  # internal: worker -> GUI thread, carries only a ticket

    def __init__(self, thread_name: str):
        super().__init__()
        runner_did_start()
        self._pending: dict[int, _Pending] = {}
        self._tickets = itertools.count(1)
        self._queue: queue.SimpleQueue[tuple[int, Callable[[int], Any], concurrent.futures.Future] | None] = (
            queue.SimpleQueue())
        self._closed = False
        self._job_did_finish.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._work, name=thread_name, daemon=True)
        self._thread.start()

    def _queue_call(self, job: Callable[..., Any], call: Callable[[int], Any], on_done: Done,
                    on_error: Failed) -> concurrent.futures.Future:
        """Queue ``call(ticket)`` (which runs ``job``) on the worker; callbacks as in ``run``."""
        future: concurrent.futures.Future = concurrent.futures.Future()
        if self._closed:
            log.warning("background job refused: %s is closed (%r)", self._thread.name, job)
            future.cancel()
            return future
        ticket = next(self._tickets)
        self._pending[ticket] = _Pending(job, future, on_done, on_error)
        self._queue.put((ticket, call, future))
        return future

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Block until every job queued so far has run (used at shutdown and by tests)."""
        if not self._closed:
            self._queue_call(_nothing, lambda _ticket: None, None, None).result(timeout=timeout)

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
        runner_did_stop()
        if self._pending:
            log.info("%d background result(s) not delivered: %s closed", len(self._pending), self._thread.name)
        self._pending.clear()  # on the GUI thread, with the worker gone

    def failure_message(self, exc: BaseException) -> str:
        """What the operator is told about a failed job: a storage error's own message (written for
        operators: what went wrong and what to do), otherwise a calm sentence that points to the log."""
        return failure_message(exc)

    def report_failure(self, exc: BaseException) -> None:
        """Tell the operator about a failure that an ``on_error`` handler only tidied up after (its
        widget has nowhere to say it): emitted as :attr:`job_did_fail`, like a job without a handler."""
        self.job_did_fail.emit(self.failure_message(exc))

    # worker thread ---------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            ticket, call, future = item
            del item
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(call(ticket))
                except BaseException as exc:  # handed to the GUI thread, which logs or shows it
                    log.error("background job failed (%s)", self._thread.name, exc_info=exc)
                    traceback.clear_frames(exc.__traceback__)  # frames may hold widgets' last refs
                    future.set_exception(exc)
            # The GUI side still holds the job and future: drop ours before telling it.
            del call, future
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
        finally:
            self._job_did_deliver(ticket)

    def _job_did_deliver(self, ticket: int) -> None:
        """Called on the GUI thread after a job's callback (subclasses add their own step)."""


def _nothing(*_args: Any) -> None:
    return None


def failure_message(exc: BaseException) -> str:
    """The calm sentence an operator reads about a failed background job (see DbRunner)."""
    if isinstance(exc, StorageError) and str(exc):
        from odc_desktop.ui.i18n import current_language

        return exc.message(current_language())  # the message catalogue's, in the app's language
    return QCoreApplication.translate(
        "DbRunner", "Sebuah pekerjaan di latar belakang tidak selesai. Data yang sudah tersimpan tetap "
                    "aman. Coba lagi; bila tetap gagal, hubungi Diskominfo dan sertakan berkas log.")


class DbRunner(_SerialRunner):
    """One worker thread that owns the repository; jobs run one after another, in order.

    Create, use and shut it down on the GUI thread. After :meth:`shutdown` new jobs are refused (a
    cancelled future, no callback) instead of raising, because a closing window may still ask.

    After every job that changed processes or entries (whatever it called), the runner publishes
    those :class:`~odc_desktop.changes.Changes` on :attr:`changes`, on the GUI thread, after the job's
    own callback: views listen there instead of being refreshed by hand.

    Signals:
        job_did_fail(message): a job queued without ``on_error`` failed; ``message`` is a calm
            sentence for the operator (the traceback is in the log). A job with ``on_error`` is
            reported by its caller only.
    """

    def __init__(self, repo: Repository, changes: ChangeChannel | None = None):
        super().__init__("odc-db")
        self.repo = repo
        self.changes = changes if changes is not None else ChangeChannel()
        self._found: dict[int, Changes] = {}  # ticket -> changes; written by the worker, read on the GUI

    def run(self, job: Job, on_done: Done = None, on_error: Failed = None) -> concurrent.futures.Future:
        """Queue ``job(repo)``; ``on_done(result)`` or ``on_error(exc)`` is then called on the GUI thread."""
        return self._queue_call(job, lambda ticket: self._observed(ticket, job), on_done, on_error)

    def _observed(self, ticket: int, job: Job) -> Any:
        """Run ``job`` on the worker and note what it changed (also when it failed half-way)."""
        mark = _change_mark(self.repo)
        try:
            return job(self.repo)
        finally:
            changes = _changes_since(self.repo, mark)
            if changes:
                self._found[ticket] = changes

    def _job_did_deliver(self, ticket: int) -> None:
        changes = self._found.pop(ticket, None)
        if changes:
            self.changes.publish(changes)


def _change_mark(repo: Repository) -> ChangeMark | None:
    try:
        return repo.change_mark()
    except Exception:  # a damaged store: the job itself will say so; views simply are not told
        log.warning("could not read the store's change mark", exc_info=True)
        return None


def _changes_since(repo: Repository, mark: ChangeMark | None) -> Changes | None:
    if mark is None:
        return None
    try:
        return repo.changes_since(mark)
    except Exception:
        log.warning("could not read what a job changed", exc_info=True)
        return None


class IoRunner(_SerialRunner):
    """The second worker thread: file copies (and later network transfers), one after another, so a
    200 MB attachment being copied never holds up the database runner (autosave).

    Jobs take no arguments and must not touch the repository or widgets; callbacks run on the GUI
    thread. Signals as :class:`DbRunner` (``job_did_fail``).
    """

    def __init__(self) -> None:
        super().__init__("odc-io")

    def run(self, job: Callable[[], Any], on_done: Done = None,
            on_error: Failed = None) -> concurrent.futures.Future:
        """Queue ``job()``; ``on_done(result)`` or ``on_error(exc)`` is then called on the GUI thread."""
        return self._queue_call(job, lambda _ticket: job(), on_done, on_error)


class _ImmediateRunner:
    """What the test doubles share: nothing is ever pending, a handled failure is only logged."""

    def report_failure(self, exc: BaseException) -> None:
        log.warning("background job failed (reported by its handler): %s", exc)

    def wait_idle(self, timeout: float = 30.0) -> None:
        return None

    def settle(self, timeout: float = 30.0) -> None:
        return None

    def shutdown(self) -> None:
        return None


class SyncDbRunner(_ImmediateRunner):
    """Test double with the same interface: runs each job immediately on the calling thread (and
    publishes what it changed, as :class:`DbRunner` does)."""

    def __init__(self, repo: Repository, changes: ChangeChannel | None = None):
        self.repo = repo
        self.changes = changes if changes is not None else ChangeChannel()

    def run(self, job: Job, on_done: Done = None, on_error: Failed = None) -> concurrent.futures.Future:
        mark = _change_mark(self.repo)
        try:
            return _run_now(lambda: job(self.repo), on_done, on_error)
        finally:
            changes = _changes_since(self.repo, mark)
            if changes:
                self.changes.publish(changes)


class SyncIoRunner(_ImmediateRunner):
    """Test double of :class:`IoRunner`: runs each job immediately on the calling thread."""

    def run(self, job: Callable[[], Any], on_done: Done = None,
            on_error: Failed = None) -> concurrent.futures.Future:
        return _run_now(job, on_done, on_error)


def _run_now(call: Callable[[], Any], on_done: Done, on_error: Failed) -> concurrent.futures.Future:
    future: concurrent.futures.Future = concurrent.futures.Future()
    try:
        result = call()
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
