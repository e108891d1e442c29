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

from PySide6.QtCore import QCoreApplication, QLockFile, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from odc_desktop import __version__
from odc_desktop.datadir import APP_AUTHOR, APP_NAME, demo_data_dir, resolve_data_dir
from odc_desktop.domain.forms import load_form_set
from odc_desktop.settings import Settings
from odc_desktop.storage.repository import StorageError
from odc_desktop.ui import i18n
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.main_window import MainWindow
from odc_desktop.ui.services import Services
from odc_desktop.ui.workers import DbRunner, SyncDbRunner, to_main

log = logging.getLogger("odc_desktop")

EXIT_STORAGE_ERROR = 2
EXIT_ALREADY_RUNNING = 3
LOCK_FILE = "odc-desktop.lock"
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
    forms = load_form_set()
    repo = SqlRepository.open(data_dir)
    db = SyncDbRunner(repo) if sync else DbRunner(repo)
    return Services(data_dir=data_dir, db=db, forms=forms, settings=settings, lang=lang)


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


DEMO_PROCESSES, DEMO_ATTACHMENTS = 40, 24


def fill_demo_data_if_empty(services: Services, window: MainWindow) -> None:
    """Queue demo processes on the DB thread when the store is empty; the list reloads when done."""

    def job(repo):
        if repo.count_processes():
            return None
        from odc_desktop.domain import demo  # only demo runs need the generator (and Pillow)

        return demo.generate(repo, services.forms, DEMO_PROCESSES, attachments=DEMO_ATTACHMENTS, seed=1,
                             ocid_prefix=services.settings.ocid_prefix)

    def done(summary) -> None:
        if summary is not None:
            window.show_notice(with_args(QCoreApplication.translate("app", "Data demo dibuat: %1 paket contoh."), summary.processes))
            window.list_page.reload()

    def failed(exc: BaseException) -> None:
        window.show_notice(with_args(QCoreApplication.translate("app", "Data demo tidak dapat dibuat: %1"), exc))

    services.db.run(job, done, failed)


def start_daily_backup(services: Services, window: MainWindow) -> None:
    """Back up the store when the newest daily backup is a day old (settings ``backup_keep``, ``backup_folder``).

    It runs on its own thread, not the DB thread: the backup reads through its own SQLite connection
    (WAL lets it read while the app writes), so a long copy never holds up saving.
    """
    import threading

    from odc_desktop.storage import backup

    keep, folder = services.settings.get("backup_keep"), services.settings.backup_folder
    if keep <= 0:
        return

    def work() -> None:
        try:
            if backup.backup_due(folder):
                info = backup.auto_backup(services.data_dir, folder, keep)
                log.info("daily backup made in %s", info.path)
        except (StorageError, OSError) as exc:
            log.warning("daily backup failed: %s", exc)
            message = with_args(QCoreApplication.translate("app", "Cadangan harian gagal dibuat: %1"), exc)
            to_main(lambda: window.show_notice(message))

    threading.Thread(target=work, name="daily-backup", daemon=True).start()


def close_services(services: Services) -> None:
    """Finish queued database work and close the store."""
    services.db.wait_idle()
    services.db.shutdown()
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


def _refuse_start(args: argparse.Namespace, title: str, message: str, error: bool = True) -> None:
    """Tell why the app does not start: on stderr for --self-test runs, else in a dialog (an error
    dialog, or an information one when nothing is wrong, e.g. the app is already open)."""
    if args.self_test:
        print(message, file=sys.stderr)
    elif error:
        QMessageBox.critical(None, title, message)
    else:
        QMessageBox.information(None, title, message)


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="odc-desktop", description="ODC Desktop (Open Data Kontrak)")
    parser.add_argument("--data-dir", help="folder data lokal (bawaan: folder data pengguna)")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help="bahasa tampilan: id atau en")
    parser.add_argument("--self-test", metavar="OUTDIR",
                        help="buka aplikasi, simpan tangkapan layar ke OUTDIR, lalu keluar")
    parser.add_argument("--demo", action="store_true",
                        help="pakai folder data demo terpisah dan isi dengan paket contoh bila masih kosong")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the app; returns the process exit code (2 when the local store cannot be opened)."""
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    data_dir = resolve_data_dir(args.data_dir or (demo_data_dir() if args.demo else None))
    setup_logging(data_dir)
    log.info("ODC Desktop %s starting, data dir %s", __version__, data_dir)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationVersion(__version__)
    settings = Settings(data_dir)
    lang = args.lang or settings.get("language")
    i18n.install_language(lang)
    # One app per data folder: two windows autosaving the same entries would overwrite each other.
    # QLockFile notices a lock left by a crashed (killed) app and takes it over.
    lock = QLockFile(str(data_dir / LOCK_FILE))
    if not lock.tryLock(200):
        log.warning("another instance holds %s", data_dir / LOCK_FILE)
        _refuse_start(args, QCoreApplication.translate("app", "Sudah terbuka"), with_args(
            QCoreApplication.translate("app", "ODC Desktop sudah terbuka untuk folder data ini (%1). Pakai jendela yang sudah terbuka, "
                "atau tutup dulu lalu buka lagi."), data_dir), error=False)
        return EXIT_ALREADY_RUNNING
    try:
        services = create_services(data_dir, lang, settings=settings)
    except StorageError as exc:
        log.error("cannot open the local store: %s", exc)
        _refuse_start(args, QCoreApplication.translate("app", "Data tidak dapat dibuka"), with_args(
            QCoreApplication.translate("app", "Data lokal tidak dapat dibuka:\n\n%1\n\nAplikasi ditutup. Hubungi Diskominfo dan sertakan "
                "berkas log: %2"), exc, log_path(data_dir)))
        return EXIT_STORAGE_ERROR
    try:
        if args.self_test:
            from odc_desktop.ui.self_test import run_self_test

            return run_self_test(services, Path(args.self_test), create_main_window)
        _install_excepthook(data_dir)
        window = create_main_window(services)
        window.show()
        QTimer.singleShot(0, window.start)
        QTimer.singleShot(0, window.restore_last_session)
        QTimer.singleShot(BACKUP_DELAY_MS, lambda: start_daily_backup(services, window))
        if args.demo:
            fill_demo_data_if_empty(services, window)
        return app.exec()
    finally:
        close_services(services)
        log.info("ODC Desktop stopped")


if __name__ == "__main__":
    sys.exit(main())
