"""Why the app cannot start, told to the operator in their language: a dialog (or one line on stderr
for ``--self-test`` runs), never a traceback. Also the app's exit codes, the same scheme as ``odc``'s.

Every text goes through Qt's translation (context "app"), so ``--lang en`` shows English.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from odc_desktop.os_reasons import os_reason
from odc_desktop.ui import i18n
from odc_desktop.ui.i18n import with_args



def _reason(exc: BaseException) -> str:
    """What went wrong with a file or folder, in the app's language (the OS says it in English).

    The data folder's own name taken by a file gets its own words; everything else comes from the one
    table the command line uses too (:mod:`odc_desktop.os_reasons`).
    """
    if getattr(exc, "errno", None) == errno.EEXIST:
        return QCoreApplication.translate("app", "sudah ada berkas dengan nama itu, bukan folder")
    return os_reason(exc, i18n.current_language())


def folder_refused(data_dir: Path | str, exc: BaseException) -> tuple[str, str]:
    """Title and text when the data folder (or its log) cannot be created, read or written."""
    reason = _reason(exc)
    culprit = getattr(exc, "filename", None)
    if culprit and Path(culprit) != Path(data_dir):
        reason = f"{reason} ({culprit})"
    return QCoreApplication.translate("app", "Folder data tidak dapat dipakai"), with_args(QCoreApplication.translate("app", 
        "Folder data %1 tidak dapat dipakai: %2.\n\nPilih folder lain dengan --data-dir, atau minta "
        "bantuan Diskominfo untuk memperbaiki izin folder itu. Data Anda tidak diubah."), data_dir, reason)


def store_refused(exc: BaseException, log_file: Path | str) -> tuple[str, str]:
    """Title and text when the storage layer refuses the store (damaged, newer version, …)."""
    return QCoreApplication.translate("app", "Data tidak dapat dibuka"), with_args(QCoreApplication.translate("app", 
        "Data lokal tidak dapat dibuka:\n\n%1\n\nAplikasi ditutup. Hubungi Diskominfo dan sertakan "
        "berkas log: %2"), exc, log_file)


def already_open(data_dir: Path | str) -> tuple[str, str]:
    """Title and text when another app already has this data folder open."""
    return QCoreApplication.translate("app", "Sudah terbuka"), with_args(QCoreApplication.translate("app", 
        "ODC Desktop sudah terbuka untuk folder data ini (%1). Pakai jendela yang sudah terbuka, "
        "atau tutup dulu lalu buka lagi."), data_dir)


def folder_busy(data_dir: Path | str, program: str, pid: int) -> tuple[str, str]:
    """Title and text when a command of ``odc`` (``program``) is writing into this data folder."""
    return QCoreApplication.translate("app", "Folder data sedang dipakai"), with_args(QCoreApplication.translate(
        "app", "Perintah %1 (proses %2) sedang menulis ke folder data ini (%3). Tunggu sampai perintah itu "
        "selesai, lalu buka ODC Desktop lagi. Data Anda tidak diubah."), program, pid, data_dir)


def unexpected(log_file: Path | str | None) -> tuple[str, str]:
    """Title and text for any other failure while starting (the traceback goes to the log)."""
    where = with_args(QCoreApplication.translate("app", "Detail ada di log: %1"), log_file) if log_file else QCoreApplication.translate("app", 
        "Detail ditulis ke keluaran galat (stderr).")
    return QCoreApplication.translate("app", "Terjadi kesalahan"), with_args(QCoreApplication.translate("app", 
        "ODC Desktop tidak dapat dimulai karena kesalahan tak terduga. Data Anda tidak diubah. %1"), where)


def tell(title: str, text: str, to_stderr: bool = False, error: bool = True) -> None:
    """Show ``text`` in a modal dialog (an error, or information when nothing is wrong), or print it
    on stderr for unattended runs (``--self-test``) or when there is no application object."""
    if to_stderr or QApplication.instance() is None:
        print(text, file=sys.stderr)
    elif error:
        QMessageBox.critical(None, title, text)
    else:
        QMessageBox.information(None, title, text)
