"""Sync's place in the app's start and end (called from :mod:`odc_desktop.app`).

:func:`start_sync` makes the :class:`SyncController`, adds the menu and the indicator to the window
and, in a demo, starts the local `odc-server` (:mod:`odc_desktop.demo_server`) off the GUI thread,
points the app at it and opens the sign-in dialog prefilled with the demo operator. Outside a demo the
dialog opens at start only on a PC that has signed in before (later sign-ins work offline).
:meth:`SyncSetup.close` cancels a run under way, closes the sync connection and stops the demo server.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QCoreApplication, QTimer

from odc_desktop.demo_server import DEMO_USER, DemoServer
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.services import Services
from odc_desktop.ui.sync_controller import SyncController
from odc_desktop.ui.sync_panel import SyncActions, install_sync

log = logging.getLogger(__name__)

START_DELAY_MS = 1000  # sync starts once the first rows of the list are up (it opens a second connection)


class SyncSetup:
    """The app's sync pieces: controller, menu and indicator, and the demo server (if any)."""

    def __init__(self, services: Services, window, demo: bool = False) -> None:  # noqa: ANN001 - MainWindow
        self.services, self.window = services, window
        self.controller = SyncController(services, window)
        self.demo_server: DemoServer | None = DemoServer(services.data_dir) if demo else None
        prefill = DEMO_USER if demo else ("", "")
        self.actions: SyncActions = install_sync(window, self.controller, username=prefill[0], password=prefill[1])
        self._closed = False
        self._demo_thread: threading.Thread | None = None
        if demo:
            self.controller.sync_did_finish.connect(self._let_the_demo_supervisor_decide)

    def begin(self) -> None:
        """After the window shows: start the demo server, or ask a PC that signed in before to sign in."""
        self.controller.start()
        if self.demo_server is not None:
            self._start_demo_server()
        else:
            self.services.db.run(_has_signed_in_before, self._ask_if_signed_in_before)

    def _ask_if_signed_in_before(self, before: bool) -> None:
        if before and not self._closed:
            self.actions.open_login()

    def _start_demo_server(self) -> None:
        server = self.demo_server
        from urllib.parse import urlsplit

        last = urlsplit(self.services.settings.get("server_url"))
        port = last.port if last.hostname == "127.0.0.1" and last.port else 0  # the demo's address last time
        self.window.statusBar().showMessage(QCoreApplication.translate("SyncSetup", "Menyalakan server demo…"))
        # Not on the I/O runner: starting takes seconds the first time and must not hold up file copies.
        outcome: dict[str, object] = {}

        def work() -> None:
            try:
                outcome["url"] = server.start(port=port)
            except Exception as exc:  # said in the notice bar; the app goes on without sync
                log.warning("demo server did not start: %s", exc)
                outcome["error"] = exc

        thread = self._demo_thread = threading.Thread(target=work, name="demo-server", daemon=True)
        timer = QTimer(self.window, objectName="demoServerWatch", interval=100)

        def look() -> None:
            if thread.is_alive():
                return
            timer.stop()
            self.window.statusBar().clearMessage()
            if self._closed:
                return
            if "error" in outcome:
                error = outcome["error"]
                say = getattr(error, "message", None)
                self.window.show_notice(say(self.services.lang) if callable(say) else str(error))
                return
            self.services.settings.set("server_url", str(outcome["url"]))
            self.window.show_notice(with_args(QCoreApplication.translate(
                "SyncSetup", "Server demo berjalan di %1. Masuk sebagai operator (kata sandi operator), tandai "
                             "entri Siap, lalu Sinkronisasi → Kirim ke server."), outcome["url"]))
            self.controller.check_server()
            self.actions.open_login()

        timer.timeout.connect(look)
        thread.start()
        timer.start()

    def _let_the_demo_supervisor_decide(self, summary) -> None:  # noqa: ANN001 - a SyncSummary
        """After entries reached the demo server, its supervisor approves one and returns one (once
        each), through the real review endpoint; the next run brings the decisions back."""
        from odc_desktop.demo_server import demo_review

        if summary is None or not (summary.accepted or summary.duplicates) or self.demo_server.url is None:
            return
        url, folder = self.demo_server.url, self.demo_server.folder

        def decided(made: int) -> None:
            if made and not self._closed:
                self.window.show_notice(QCoreApplication.translate(
                    "SyncSetup", "Supervisor demo sudah memeriksa kiriman Anda: satu entri disetujui dan satu "
                                 "dikembalikan dengan catatan (bila ada dua). Hasilnya diambil sekarang."))
                self.controller.sync_now()

        self.controller.runner.run(lambda _repo: demo_review(url, folder), decided,
                                   lambda exc: log.warning("the demo supervisor could not decide: %s", exc))

    def close(self) -> None:
        """Cancel sync and close its connection, then stop the demo server. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.controller.shutdown()
        if self._demo_thread is not None:
            self._demo_thread.join()  # a start under way ends (its own waits are bounded) before the stop
        if self.demo_server is not None:
            self.demo_server.stop()


def _has_signed_in_before(repo) -> bool:  # noqa: ANN001
    from odc_desktop.offline_login import cached_username

    return cached_username(repo) is not None


def start_sync(services: Services, window, demo: bool = False) -> SyncSetup:  # noqa: ANN001 - MainWindow
    """Add sync to ``window`` and begin it once the event loop runs (see the module)."""
    setup = SyncSetup(services, window, demo)
    QTimer.singleShot(START_DELAY_MS, setup.begin)
    return setup
