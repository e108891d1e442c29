"""Background sync in the app: a worker thread of its own, with its own connection to the store.

Why a thread and a connection of its own: one sync run over a slow or dropping link can take minutes
(uploads, retries with backoff). On the database runner it would hold up every autosave; on the I/O
runner every attachment copy. So :class:`SyncRunner` is a third serial worker that owns a second
SQLite connection to the same store. Both writers are safe together: every write is a
``BEGIN IMMEDIATE`` transaction (the other waits for the busy timeout), and the workflow checks the
entry's status inside the transaction (``apply_receipt`` refuses an entry the operator took back
meanwhile), so the engine and the operator never overwrite each other. The engine writes only
through the workflow and the repository, as the CLI's ``odc sync`` does.

What a run changed is read back with the store's change marks (as the database runner does for its
jobs) and published on the app's change channel on the GUI thread, so the list and the process view
re-read what the server's receipts and decisions changed.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from odc_desktop.sync_status import PendingWork, pending_work, server_answers
from odc_desktop.ui.services import Services
from odc_desktop.ui.workers import Done, Failed, _SerialRunner

log = logging.getLogger(__name__)

SYNC_INTERVAL_MS = 5 * 60_000  # a run every five minutes while signed in
HEALTH_INTERVAL_MS = 30_000  # how often the server is asked whether it answers
PENDING_DELAY_MS = 500  # the pending counts are re-read this long after the store changed
#: What stopped a run before any ODC server answered (a portal's page is not the server).
UNREACHED = frozenset({"sync.offline", "sync.not_protocol"})
REQUEST_TIMEOUT_S = 15.0  # one request's limit: closing the app waits at most about this long


class SyncRunner(_SerialRunner):
    """The sync worker thread; jobs get a repository on its own connection to the store (opened on
    first use, closed at :meth:`shutdown`). Create, use and shut it down on the GUI thread."""

    def __init__(self, services: Services) -> None:
        super().__init__("odc-sync")
        self._data_dir, self._files = services.data_dir, services.files
        self._repo: Any = None

    def _connection(self) -> Any:
        if self._repo is None:
            from odc_desktop.storage.db import DB_FILENAME, connect
            from odc_desktop.storage.sql import SqlRepository

            self._repo = SqlRepository(self._data_dir, self._files, connect(self._data_dir / DB_FILENAME))
        return self._repo

    def run(self, job: Any, on_done: Done = None, on_error: Failed = None) -> Any:
        """Queue ``job(repo)``; ``on_done(result)`` or ``on_error(exc)`` then runs on the GUI thread."""
        return self._queue_call(job, lambda _ticket: job(self._connection()), on_done, on_error)

    def shutdown(self) -> None:
        if not self._closed:
            self._queue_call(self._close, lambda _ticket: self._close(), None, None)
        super().shutdown()

    def _close(self) -> None:
        if self._repo is not None:
            self._repo.close()
            self._repo = None


@dataclasses.dataclass(frozen=True)
class SyncState:
    """What the status bar shows. ``online``: None until the server was first asked; ``last_error``:
    what stopped the last run or sign-in, in the app's language (None: nothing)."""

    signed_in: bool = False
    username: str | None = None
    online: bool | None = None
    running: bool = False
    pending: PendingWork = PendingWork()
    last_contact: datetime.datetime | None = None
    last_summary: Any = None
    last_error: str | None = None


@dataclasses.dataclass(frozen=True)
class RunOutcome:
    """One sync run as the worker saw it (crosses to the GUI thread whole)."""

    summary: Any
    error: str | None
    pending: PendingWork
    changes: Any


class SyncController(QObject):
    """Runs sync in the background: every :data:`SYNC_INTERVAL_MS`, when the server answers again
    after it did not, and on :meth:`sync_now`; signs in (:meth:`sign_in`); says how things stand.

    Signals:
        state_did_change(state): a new :class:`SyncState` (online, pending, last contact, running).
        sync_did_finish(summary): a run ended (its :class:`~odc_sync.client.SyncSummary`; the
            changes it made are published on the app's change channel before this).
        sign_in_did_finish(signed_in): a sign-in succeeded (an :class:`~odc_desktop.offline_login.SignedIn`).
        sign_in_did_fail(message): a sign-in was refused, said in the app's language.
    """

    state_did_change = Signal(object)
    sync_did_finish = Signal(object)
    sign_in_did_finish = Signal(object)
    sign_in_did_fail = Signal(str)

    def __init__(self, services: Services, parent: QObject | None = None, *,
                 sync_interval_ms: int = SYNC_INTERVAL_MS, health_interval_ms: int = HEALTH_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = SyncRunner(services)
        self.state = SyncState()
        self._cancel = threading.Event()
        self._again = False  # a run was asked for while one ran: one more after it
        self._checking = False
        self._sync_timer = QTimer(self, objectName="syncTimer", interval=sync_interval_ms)
        self._sync_timer.timeout.connect(self._sync_if_signed_in)
        self._health_timer = QTimer(self, objectName="healthTimer", interval=health_interval_ms)
        self._health_timer.timeout.connect(self.check_server)
        self._pending_timer = QTimer(self, objectName="pendingTimer", singleShot=True, interval=PENDING_DELAY_MS)
        self._pending_timer.timeout.connect(self.refresh_pending)
        services.changes.store_did_change.connect(self._store_did_change)

    @property
    def server_url(self) -> str:
        return self.services.settings.get("server_url")

    def start(self) -> None:
        """Read who is signed in and what is pending, ask the server, and start the timers."""
        self.runner.run(_signed_in_user, self._user_did_arrive)
        self.refresh_pending()
        self.check_server()
        self._sync_timer.start()
        self._health_timer.start()

    def shutdown(self) -> None:
        """Stop the timers, cancel a run under way (it stops between requests; the next start goes on
        from there) and close the sync connection. Idempotent."""
        for timer in (self._sync_timer, self._health_timer, self._pending_timer):
            timer.stop()
        self._cancel.set()
        self.runner.shutdown()

    # sign-in -----------------------------------------------------------------------------------
    def sign_in(self, server_url: str, username: str, password: str) -> None:
        """Sign in on the worker (online, else against the cached hash); the answer comes as
        :attr:`sign_in_did_finish` or :attr:`sign_in_did_fail`."""
        from odc_desktop.offline_login import sign_in

        data_dir, url = self.services.data_dir, server_url.strip().rstrip("/")
        self.runner.run(lambda repo: sign_in(repo, data_dir, url, username, password),
                        lambda who: self._signed_in(url, who), self._sign_in_failed)

    def _signed_in(self, url: str, who: Any) -> None:
        settings = self.services.settings
        if url and url != self.server_url:
            settings.set("server_url", url)
        if who.opd and not settings.get("default_opd"):  # new processes start in the account's OPD
            settings.set("default_opd", who.opd)
        self._update(signed_in=True, username=who.username, online=who.online or self.state.online,
                     last_contact=_now() if who.online else self.state.last_contact, last_error=None)
        self.sign_in_did_finish.emit(who)
        if who.online:
            self.sync_now()

    def _sign_in_failed(self, exc: BaseException) -> None:
        log.info("sign-in refused: %s", exc)
        self.sign_in_did_fail.emit(self._said(exc))

    # sync --------------------------------------------------------------------------------------
    def sync_now(self) -> None:
        """Start a run now (or once more right after the one under way)."""
        if self.state.running:
            self._again = True
            return
        self._cancel.clear()
        self._update(running=True)
        cancel, data_dir = self._cancel, self.services.data_dir

        def job(repo: Any) -> RunOutcome:
            from odc_sync.client import SyncEngine, SyncError

            mark = repo.change_mark()
            engine = SyncEngine(repo, data_dir, is_cancelled=cancel.is_set, sleep=cancel.wait,
                                retries=2, timeout=REQUEST_TIMEOUT_S)
            try:
                summary = engine.run()
                error = engine.error if summary.error else None
            except SyncError as exc:  # not signed in
                summary, error = None, exc
            return RunOutcome(summary, error and self._said(error), pending_work(repo), repo.changes_since(mark))

        self.runner.run(job, self._run_did_end, self._run_did_fail)

    def _sync_if_signed_in(self) -> None:
        if self.state.signed_in:
            self.sync_now()

    def _run_did_end(self, outcome: RunOutcome) -> None:
        if outcome.changes:
            self.services.db.changes.publish(outcome.changes)  # the list and the view re-read them
        summary = outcome.summary
        online = self.state.online  # a run that was not signed in, or was cancelled, says nothing of the link
        if summary is not None and summary.error != "sync.cancelled":
            online = summary.completed or summary.error not in UNREACHED
        self._update(running=False, pending=outcome.pending, last_summary=summary, last_error=outcome.error,
                     online=online, last_contact=_now() if online and summary is not None else self.state.last_contact)
        self.sync_did_finish.emit(summary)
        self._again_if_asked()

    def _run_did_fail(self, exc: BaseException) -> None:
        log.error("sync run failed: %s", exc)
        self._update(running=False, last_error=self._said(exc))
        self._again_if_asked()

    def _again_if_asked(self) -> None:
        if self._again and not self._cancel.is_set():
            self._again = False
            self.sync_now()

    # health and pending ----------------------------------------------------------------------
    def check_server(self) -> None:
        """Ask the server whether it answers; when it answers again after it did not, sync."""
        if self._checking or self.state.running:
            return
        self._checking = True
        url = self.server_url
        self.runner.run(lambda _repo: server_answers(url, timeout=5.0), self._health_did_arrive,
                        lambda _exc: self._health_did_arrive(False))

    def _health_did_arrive(self, answers: bool) -> None:
        self._checking = False
        came_back = answers and self.state.online is False
        self._update(online=answers, last_contact=_now() if answers else self.state.last_contact)
        if came_back and self.state.signed_in:
            self.sync_now()

    def refresh_pending(self) -> None:
        """Re-read the pending counts on the worker."""
        self.runner.run(pending_work, lambda pending: self._update(pending=pending))

    def _store_did_change(self, _changes: Any) -> None:
        self._pending_timer.start()  # an entry queued or taken back: the counts change soon

    # helpers ---------------------------------------------------------------------------------
    def _update(self, **values: Any) -> None:
        self.state = dataclasses.replace(self.state, **values)
        self.state_did_change.emit(self.state)

    def _user_did_arrive(self, username: str | None) -> None:
        if username and not self.state.signed_in:
            self._update(username=username)

    def _said(self, exc: BaseException) -> str:
        if getattr(exc, "code", None) == "sync.login_needed":  # the CLI's text names `odc login`
            from odc_desktop.messages import text

            return text("app_sync.login_needed", self.services.lang)
        say = getattr(exc, "message", None)
        return say(self.services.lang) if callable(say) else self.runner.failure_message(exc)


def _signed_in_user(repo: Any) -> str | None:
    from odc_desktop.offline_login import cached_username

    return cached_username(repo)


def _now() -> datetime.datetime:
    return datetime.datetime.now().astimezone()
