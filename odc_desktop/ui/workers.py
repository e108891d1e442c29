"""Work off the GUI thread: one serial executor owns the local database, results come back through
one helper (:func:`to_main`).

Jobs receive the repository and must not touch widgets; callbacks run on the GUI thread. Tests that
need determinism use :class:`SyncDbRunner`, which runs each job at once on the calling thread.
"""

from __future__ import annotations

import concurrent.futures
import logging
from typing import Any, Callable, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from odc_desktop.storage.repository import Repository

log = logging.getLogger(__name__)
T = TypeVar("T")
Job = Callable[[Repository], Any]
Done = Callable[[Any], None] | None
Failed = Callable[[BaseException], None] | None


class _MainThreadRelay(QObject):
    """Lives on the GUI thread; a queued signal carries callables over to it."""

    call_requested = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.call_requested.connect(self._call, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _call(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception:  # a failing callback must not kill the event loop; it is logged
            log.exception("callback on the GUI thread failed")


_relay: _MainThreadRelay | None = None


def to_main(fn: Callable[[], None]) -> None:
    """Run ``fn`` on the GUI thread (soon, from the event loop). Safe to call from any thread."""
    global _relay
    if _relay is None:
        _relay = _MainThreadRelay()
        app = QCoreApplication.instance()
        if app is not None:
            _relay.moveToThread(app.thread())
    _relay.call_requested.emit(fn)


class DbRunner:
    """One worker thread that owns the repository; jobs run one after another, in order."""

    def __init__(self, repo: Repository):
        self.repo = repo
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="odc-db")
        to_main(lambda: None)  # create the relay on the GUI thread before any worker needs it

    def run(self, job: Job, on_done: Done = None, on_error: Failed = None) -> concurrent.futures.Future:
        """Queue ``job(repo)``; ``on_done(result)`` or ``on_error(exc)`` is then called on the GUI thread."""
        future = self._pool.submit(job, self.repo)

        def finished(f: concurrent.futures.Future) -> None:
            if f.cancelled():  # dropped by shutdown(cancel_futures=True); nobody waits for it
                return
            exc = f.exception()
            if exc is not None:
                log.error("database job failed", exc_info=exc)
                if on_error is not None:
                    to_main(lambda: on_error(exc))
            elif on_done is not None:
                result = f.result()
                to_main(lambda: on_done(result))

        future.add_done_callback(finished)
        return future

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until every job queued so far has run (used at shutdown and by tests)."""
        self._pool.submit(lambda: None).result(timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)


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

    def shutdown(self) -> None:
        return None
