"""Entry point of the desktop app (``odc-desktop``): options, logging, error dialogs, start-up order.

Start-up is kept short for big stores: forms are loaded once, the database is opened (no rows are
read), the window is shown, and only then is the process list filled on the DB thread.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QLocale, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from odc_desktop import __version__
from odc_desktop.datadir import (
    APP_AUTHOR, APP_NAME, default_data_dir, demo_data_dir, form_checks_cache, resolve_data_dir)
from odc_desktop.form_registry import FormRegistry
from odc_desktop.exit_codes import EXIT_REFUSED, EXIT_UNEXPECTED
from odc_desktop.settings import Settings
from odc_desktop.storage.folder_lock import APP_PROGRAM, FolderBusy, FolderLock
from odc_desktop.storage.repository import StorageError
from odc_desktop.ui import i18n
from odc_desktop.ui import start_problems as problems
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.main_window import MainWindow
from odc_desktop.ui.services import Services
from odc_desktop.ui.workers import DbRunner, IoRunner, SyncDbRunner, SyncIoRunner

log = logging.getLogger("odc_desktop")

BACKUP_DELAY_MS = 5_000  # the daily backup starts once the first screen is up
LOG_FILE = "odc-desktop.log"


def log_path(data_dir: Path) -> Path:
    return Path(data_dir) / "logs" / LOG_FILE


def setup_logging(data_dir: Path) -> None:
    """Log to ``<data_dir>/logs/odc-desktop.log`` (rotated), where support staff look first."""
    import logging.handlers  # ~8 ms (sockets, pickle): only the real app logs to a file

    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def create_services(data_dir: Path | str, lang: str = "id", sync: bool = False,
                    settings: Settings | None = None) -> Services:
    """Open the store in ``data_dir`` and load the forms; raises StorageError if the store is unusable.

    ``sync=True`` runs database jobs on the calling thread (tests, scripted runs). ``settings``: the
    folder's settings when the caller has read them already (else they are read here).
    """
    from odc_desktop.storage.sql import SqlRepository  # heavy (SQLAlchemy); imported when needed

    data_dir = resolve_data_dir(data_dir)
    if settings is None:
        settings = Settings(data_dir)
    forms = FormRegistry.open(data_dir, checks_cache=form_checks_cache())
    repo = SqlRepository.open(data_dir)
    db = SyncDbRunner(repo) if sync else DbRunner(repo)
    io = SyncIoRunner() if sync else IoRunner()
    return Services(data_dir=data_dir, db=db, forms=forms, settings=settings, lang=lang, io=io)


def create_main_window(services: Services) -> MainWindow:
    """Install the chrome language (if not installed yet) and stylesheet, then build the main window
    (not shown yet)."""
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("create_main_window needs a QApplication")
    i18n.install_language(services.lang)  # a no-op when main() installed it already
    stylesheet = i18n.resources_dir() / "style.qss"
    if stylesheet.exists():
        app.setStyleSheet(stylesheet.read_text(encoding="utf-8"))
    return MainWindow(services)


def check_stored_forms(services: Services, window: MainWindow) -> None:
    """Read the form versions stored in the data folder once, on the DB thread (off the start path); a
    damaged file is ignored and named in a notice (entries made with it open read-only)."""
    if not services.forms.stored_versions():
        return

    def done(found) -> None:
        if found:
            window.show_notice("\n".join(problem.message(services.lang) for problem in found))

    def failed(exc: BaseException) -> None:
        log.error("stored forms could not be checked: %s", exc)
        window.show_notice(with_args(QCoreApplication.translate("app", "Formulir tersimpan tidak dapat "
                                                                "diperiksa: %1"), exc))

    services.db.run(lambda _repo: services.forms.check_stored(), done, failed)


DEMO_PROCESSES, DEMO_ATTACHMENTS = 40, 24


def fill_demo_data_if_empty(services: Services, window: MainWindow) -> None:
    """Queue demo processes on the DB thread when the store is empty; the list shows them once the
    change arrives."""

    def job(repo):
        if repo.count_processes():
            return None
        from odc_desktop.demo import data as demo  # only demo runs need the generator (and Pillow)

        return demo.generate(repo, services.forms, DEMO_PROCESSES, attachments=DEMO_ATTACHMENTS, seed=1,
                             ocid_prefix=services.settings.ocid_prefix)

    def done(summary) -> None:
        if summary is not None:
            window.show_notice(with_args(QCoreApplication.translate("app", "Data demo dibuat: %1 paket contoh."), QLocale().toString(summary.processes)))

    def failed(exc: BaseException) -> None:
        window.show_notice(with_args(QCoreApplication.translate("app", "Data demo tidak dapat dibuat: %1"), exc))

    services.db.run(job, done, failed)


def start_daily_backup(services: Services, window: MainWindow) -> None:
    """Back up the store when the newest daily backup is a day old (settings ``backup_keep``, ``backup_folder``).

    It runs on its own thread, not the DB thread: the backup reads through its own SQLite connection
    (WAL lets it read while the app writes), so a long copy never holds up saving. The thread holds no
    Qt object; a timer on the GUI thread looks for its result and shows a failure as a notice.
    """
    import concurrent.futures
    import threading

    from odc_desktop.storage import backup

    keep, folder, data_dir = services.settings.get("backup_keep"), services.settings.backup_folder, services.data_dir
    if keep <= 0:
        return
    outcome: concurrent.futures.Future[str | None] = concurrent.futures.Future()

    def work() -> None:
        try:
            if backup.backup_due(folder):
                info = backup.auto_backup(data_dir, folder, keep)
                log.info("daily backup made in %s", info.path)
            outcome.set_result(None)
        except (StorageError, OSError) as exc:
            log.warning("daily backup failed: %s", exc)
            outcome.set_result(str(exc))

    timer = QTimer(window)
    timer.setObjectName("dailyBackupWatch")

    def look() -> None:
        if not outcome.done():
            return
        timer.stop()
        if (failure := outcome.result()) is not None:
            window.show_notice(with_args(QCoreApplication.translate("app", "Cadangan harian gagal dibuat: %1"),
                                         failure))

    timer.timeout.connect(look)
    timer.start(500)
    threading.Thread(target=work, name="daily-backup", daemon=True).start()


def close_services(services: Services) -> None:
    """Finish queued file and database work and close the store."""
    services.io.wait_idle()
    services.io.shutdown()
    services.db.wait_idle()
    services.db.shutdown()
    if services.changes is not None:
        services.changes.close()
    services.db.repo.close()


def _install_excepthook(data_dir: Path) -> None:
    """Unhandled errors: full traceback to the log, a calm Indonesian dialog to the operator."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.critical("unhandled exception:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        if QApplication.instance() is None:
            return
        QMessageBox.critical(None, QCoreApplication.translate("app", "Terjadi kesalahan"), with_args(
            QCoreApplication.translate("app", "Terjadi kesalahan. Data Anda tetap tersimpan. Detail ada di log: %1"), log_path(data_dir)))

    sys.excepthook = hook


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="odc-desktop", description="ODC Desktop (Open Data Kontrak)")
    parser.add_argument("--data-dir", help="folder data lokal (bawaan: folder data pengguna)")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help="bahasa tampilan: id atau en")
    parser.add_argument("--self-test", metavar="OUTDIR",
                        help="buka aplikasi pada penyimpanan sementara berisi satu paket contoh, simpan "
                             "tangkapan layar (1024×768) ke OUTDIR, lalu keluar; data Anda tidak disentuh")
    parser.add_argument("--demo", action="store_true",
                        help="pakai folder data demo terpisah dan isi dengan paket contoh bila masih kosong")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the app; returns the process exit code (:mod:`odc_desktop.ui.start_problems`: 3 when the data
    folder or the store is refused, 4 on an unexpected error). Failures show a dialog, not a traceback."""
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationVersion(__version__)
    i18n.install_language(args.lang or i18n.SOURCE_LANGUAGE)  # until the folder's settings are read
    try:
        return _start(app, args)
    except Exception:  # the operator gets a calm dialog; the traceback goes to the log (or stderr)
        log.exception("ODC Desktop could not start")
        log_file = next((h.baseFilename for h in logging.getLogger().handlers
                         if isinstance(h, logging.FileHandler)), None)
        problems.tell(*problems.unexpected(log_file), to_stderr=bool(args.self_test))
        return EXIT_UNEXPECTED


def _start(app: QApplication, args: argparse.Namespace) -> int:
    unattended = bool(args.self_test)
    requested = args.data_dir or (demo_data_dir() if args.demo else None)
    try:
        data_dir = resolve_data_dir(requested)
        settings = Settings(data_dir)
        lang = args.lang or settings.get("language")
        i18n.install_language(lang)
        setup_logging(data_dir)
    except OSError as exc:  # a file given as the folder, a read-only folder, a log that cannot be written
        folder = Path(requested or default_data_dir()).expanduser().absolute()
        log.error("data folder %s unusable: %s", folder, exc)
        problems.tell(*problems.folder_refused(folder, exc), to_stderr=unattended)
        return EXIT_REFUSED
    log.info("ODC Desktop %s starting, data dir %s", __version__, data_dir)
    # One writer per data folder, the app or a writing `odc` command: two windows autosaving the same
    # entries, or `odc demo-data` under an open app, would overwrite each other. The OS releases the
    # lock of a killed or crashed app, so it never blocks the next start.
    lock = FolderLock(data_dir, APP_PROGRAM)
    try:
        lock.acquire()
    except FolderBusy as exc:
        holder = exc.holder
        log.warning("the data folder %s is held by %s", data_dir, holder)
        if holder is None or holder.is_app:
            problems.tell(*problems.already_open(data_dir), to_stderr=unattended, error=False)
        else:
            problems.tell(*problems.folder_busy(data_dir, holder.program, holder.pid), to_stderr=unattended,
                          error=False)
        return EXIT_REFUSED
    except OSError as exc:
        log.error("cannot create the lock file in %s (%s)", data_dir, exc)
        problems.tell(*problems.folder_refused(data_dir, exc), to_stderr=unattended)
        return EXIT_REFUSED
    try:
        return _run(app, args, data_dir, settings, lang, unattended)
    finally:
        lock.release()


def _run(app: QApplication, args: argparse.Namespace, data_dir: Path, settings: Settings, lang: str,
         unattended: bool) -> int:
    """Open the store and run the window (or the self-test) while the folder's lock is held."""
    if args.self_test:
        return _self_test(Path(args.self_test), lang)
    try:
        services = create_services(data_dir, lang, settings=settings)
    except StorageError as exc:  # damaged, made by a newer version, … (the storage layer says which)
        log.error("cannot open the local store: %s", exc)
        problems.tell(*problems.store_refused(exc, log_path(data_dir)))
        return EXIT_REFUSED
    except OSError as exc:
        log.error("cannot open the local store: %s", exc)
        problems.tell(*problems.folder_refused(data_dir, exc))
        return EXIT_REFUSED
    sync_setups: list = []  # made once the window shows (its imports are not on the start path)
    try:
        _install_excepthook(data_dir)
        window = create_main_window(services)
        window.show()
        QTimer.singleShot(0, window.start)
        QTimer.singleShot(0, window.restore_last_session)
        QTimer.singleShot(0, lambda: check_stored_forms(services, window))
        QTimer.singleShot(0, lambda: sync_setups.append(start_app_sync(services, window, demo=args.demo)))
        QTimer.singleShot(BACKUP_DELAY_MS, lambda: start_daily_backup(services, window))
        if args.demo:
            fill_demo_data_if_empty(services, window)
        return app.exec()
    finally:
        for sync_setup in sync_setups:
            sync_setup.close()
        close_services(services)
        log.info("ODC Desktop stopped")


def start_app_sync(services: Services, window: MainWindow, demo: bool = False):  # noqa: ANN201 - SyncSetup
    """Sync in the window (menu, indicator, background runs); with ``demo`` also the local demo server."""
    from odc_desktop.ui.sync_setup import start_sync

    return start_sync(services, window, demo)


def _self_test(outdir: Path, lang: str) -> int:
    """``--self-test``: the real app on a temporary store holding one demo process, screenshots into
    ``outdir``. The operator's store is never opened, so nothing in it can change."""
    import tempfile

    from odc_desktop.ui.self_test import run_self_test

    with tempfile.TemporaryDirectory(prefix="odc-self-test-") as scratch:
        services = create_services(scratch, lang)
        try:
            return run_self_test(services, outdir, create_main_window)
        finally:
            close_services(services)
            log.info("ODC Desktop self-test done")


if __name__ == "__main__":
    sys.exit(main())
