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

from odc_desktop.ui.i18n import with_args



def os_reason(exc: BaseException) -> str:
    """What went wrong with a file or folder, in the app's language (the OS says it in English)."""
    code = getattr(exc, "errno", None)
    reasons = {
        errno.EACCES: QCoreApplication.translate("app", "akses ditolak (izin folder atau berkas)"),
        errno.EPERM: QCoreApplication.translate("app", "akses ditolak (izin folder atau berkas)"),
        errno.EROFS: QCoreApplication.translate("app", "disk atau folder hanya dapat dibaca"),
        errno.EEXIST: QCoreApplication.translate("app", "sudah ada berkas dengan nama itu, bukan folder"),
        errno.ENOTDIR: QCoreApplication.translate("app", "bagian dari jalurnya adalah berkas, bukan folder"),
        errno.EISDIR: QCoreApplication.translate("app", "yang seharusnya berkas ternyata sebuah folder"),
        errno.ENOSPC: QCoreApplication.translate("app", "disk penuh"),
        errno.ENOENT: QCoreApplication.translate("app", "folder atau berkas tidak ditemukan"),
        errno.ENAMETOOLONG: QCoreApplication.translate("app", "nama jalurnya terlalu panjang"),
    }
    if code in reasons:
        return reasons[code]
    return str(exc.strerror if getattr(exc, "strerror", None) else exc)


def folder_refused(data_dir: Path | str, exc: BaseException) -> tuple[str, str]:
    """Title and text when the data folder (or its log) cannot be created, read or written."""
    reason = os_reason(exc)
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
