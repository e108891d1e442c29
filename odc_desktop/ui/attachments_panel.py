"""The documents of one stage entry: list, add (file dialog or drag-and-drop), remove, and the
checklist of the documents the stage requires.

Copying a file into the store runs on the file runner (``services.io``: a 200 MB file holds up no save),
then the DB runner links it to the entry; a file that cannot be read,
is too large, is empty or is not the PDF/JPEG/PNG it claims to be is reported in a message under the
list and nothing already attached is touched. An attached document opens in the system's viewer
(button or double-click) from a copy under its own name in the temporary folder.
Document type labels come from the ``jenis_dokumen`` codelist in the UI language; the panel's own
words go through ``tr()``.
"""

from __future__ import annotations

import html
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from odc_desktop import workflow
from odc_desktop.domain.forms.definition import Codelist, FormDefinition, text_in
from odc_desktop.domain.model import Attachment
from odc_desktop.domain.parsing import InputRefused
from odc_desktop.storage.filestore import refuse_unfit_document
from odc_desktop.storage.repository import Repository, StorageError
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.services import Services
from odc_desktop.ui.workers import failure_message

log = logging.getLogger(__name__)


def _mark(done: bool, required: bool) -> str:
    """✓ attached, ✗ a required document still missing, ○ an optional one not attached."""
    return "✓" if done else ("✗" if required else "○")


def human_size(size: int) -> str:
    """``1536`` → ``"1,5 KB"`` (decimal comma, as read in Indonesia)."""
    value, unit = float(size), "B"
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            break
        value /= 1024
    return (f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}").replace(".", ",")


class DocumentTypeDialog(QDialog):
    """Asks which document type a file is; opened window-modal and non-blocking (``open()``)."""

    def __init__(self, filename: str, choices: list[tuple[str, str]], default: str | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Jenis dokumen"))
        self.combo = QComboBox(self)
        for code, label in choices:
            self.combo.addItem(label, code)
        if default is not None:
            self.combo.setCurrentIndex(max(self.combo.findData(default), 0))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(with_args(self.tr("Pilih jenis dokumen untuk: %1"), filename), self))
        layout.addWidget(self.combo)
        layout.addWidget(buttons)

    def document_type(self) -> str:
        return self.combo.currentData()


class AttachmentsPanel(QFrame):
    """Attachments of the entry set with :meth:`set_entry`.

    Signals:
        attachments_did_change(list): the entry's attachments after a load, add or remove.
        document_type_requested(QDialog): a type dialog was opened (tests and the page may answer it).
        file_dialog_did_open(QFileDialog): the "Tambah dokumen…" file dialog was opened (window-modal).
        document_did_open(QUrl): an attached document was handed to the system viewer.
    """

    attachments_did_change = Signal(list)
    document_type_requested = Signal(QDialog)
    file_dialog_did_open = Signal(QFileDialog)
    document_did_open = Signal(QUrl)

    def __init__(self, services: Services, form: FormDefinition, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attachmentsPanel")
        self.setAcceptDrops(True)
        self.services = services
        self.form = form
        self.lang = services.lang  # of the codelist labels
        self.codelist: Codelist | None = services.forms.codelists.get("jenis_dokumen")
        self.entry_id: int | None = None
        self._start_entry: Callable[[Repository], int] | None = None
        self.editable = True
        self.attachments: list[Attachment] = []
        self.pending = 0
        self._to_ask: list[Path] = []
        self._asking: DocumentTypeDialog | None = None
        self._types_being_added: set[str] = set()
        self._build()

    def _build(self) -> None:
        self.list = QListWidget(self)
        self.list.setObjectName("attachmentList")
        self.list.setAlternatingRowColors(True)
        self.add_button = QPushButton(self.tr("&Tambah dokumen…"), self)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton(self.tr("&Hapus dokumen"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.open_button = QPushButton(self.tr("B&uka dokumen"), self)
        self.open_button.setObjectName("openDocumentButton")
        self.open_button.setToolTip(self.tr("Buka dokumen terpilih dengan penampil di komputer ini "
                                            "(atau klik dua kali dokumennya)."))
        self.open_button.clicked.connect(self.open_selected)
        self.list.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.drop_hint = QLabel(self.tr("Tarik berkas ke sini untuk melampirkannya."), self)
        self.drop_hint.setObjectName("dropHint")
        self.message = QLabel(self)
        self.message.setObjectName("attachmentMessage")
        self.message.setWordWrap(True)
        self.checklist = QLabel(self)
        self.checklist.setObjectName("documentChecklist")
        self.checklist.setTextFormat(Qt.TextFormat.RichText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Dokumen yang diminta"), self)
        heading.setObjectName("checklistHeading")
        layout.addWidget(heading)
        layout.addWidget(self.checklist)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.drop_hint)
        layout.addWidget(self.message)
        self._refresh_checklist()

    # --- loading -------------------------------------------------------------------------
    def set_entry(self, entry_id: int | None, editable: bool,
                  start_entry: Callable[[Repository], int] | None = None) -> None:
        """Show the attachments of this entry; ``editable`` False disables add/remove/drop.

        ``entry_id`` None: the stage has no entry yet; ``start_entry`` (a DB job returning the
        entry's id) starts it when the first document is added."""
        self.entry_id = entry_id
        self._start_entry = start_entry
        self.editable = editable
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)
        self.setAcceptDrops(editable)
        self.drop_hint.setVisible(editable)
        self.reload()

    def reload(self) -> None:
        entry_id = self.entry_id
        if entry_id is None:
            self._show([])
            return
        self.services.db.run(lambda repo: repo.list_attachments(entry_id), self._show)

    def _show(self, attachments: list[Attachment]) -> None:
        self.attachments = list(attachments)
        self._types_being_added.clear()
        self.list.clear()
        for att in self.attachments:
            item = QListWidgetItem(f"{self.type_label(att.document_type)} — {att.filename} "
                                   f"({human_size(att.size)})", self.list)
            item.setData(Qt.ItemDataRole.UserRole, att.id)
            item.setToolTip(f"SHA-256 {att.sha256}")
        if not self.attachments:
            QListWidgetItem(self.tr("Belum ada dokumen."), self.list).setFlags(Qt.ItemFlag.NoItemFlags)
        self._refresh_checklist()
        self.attachments_did_change.emit(self.attachments)

    def type_label(self, code: str) -> str:
        item = self.codelist.item(code) if self.codelist else None
        return text_in(item.label, self.lang) if item else code

    def _refresh_checklist(self) -> None:
        have = {a.document_type for a in self.attachments}
        lines = []
        for doc in self.form.documents:
            done = doc.type in have
            colour = "#1e7d32" if done else ("#b3261e" if doc.required else "#6b6f76")
            kind = self.tr("wajib") if doc.required else self.tr("tidak wajib")
            lines.append(f'<span style="color:{colour}">{_mark(done, doc.required)}</span>&nbsp; '
                         f"{html.escape(self.type_label(doc.type))} ({kind})")
        self.checklist.setText("<br>".join(lines))

    def checklist_lines(self) -> list[str]:
        """The checklist as plain text lines (``✓  DPA … (wajib)``)."""
        have = {a.document_type for a in self.attachments}
        return [f"{_mark(d.type in have, d.required)}  {self.type_label(d.type)}" for d in self.form.documents]

    def missing_required(self) -> list[str]:
        have = {a.document_type for a in self.attachments}
        return [d.type for d in self.form.documents if d.required and d.type not in have]

    def type_choices(self) -> list[tuple[str, str]]:
        """The form's documents first, then every other ``jenis_dokumen`` type."""
        codes = [d.type for d in self.form.documents]
        codes += [c for c in (self.codelist.codes() if self.codelist else []) if c not in codes]
        return [(code, self.type_label(code)) for code in codes]

    # --- adding --------------------------------------------------------------------------
    def choose_files(self) -> None:
        """Open a window-modal file dialog; the chosen files are then asked their document type."""
        dialog = QFileDialog(self, self.tr("Pilih dokumen"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters([self.tr("Dokumen dan foto (*.pdf *.jpg *.jpeg *.png *.doc *.docx *.xls *.xlsx)"),
                               self.tr("Semua berkas (*)")])
        dialog.filesSelected.connect(lambda paths: self.ask_types_and_add([Path(p) for p in paths]))
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        self.file_dialog_did_open.emit(dialog)

    def ask_types_and_add(self, paths: list[Path]) -> None:
        """Ask the document type of each file in turn (one dialog at a time), then attach it."""
        self._to_ask.extend(paths)
        if self._asking is None:
            self._ask_next()

    def _ask_next(self) -> None:
        if not self._to_ask:
            self._asking = None
            return
        path = self._to_ask.pop(0)
        taken = {a.document_type for a in self.attachments} | self._types_being_added
        missing = [t for t in self.missing_required() if t not in taken]
        dialog = DocumentTypeDialog(path.name, self.type_choices(), missing[0] if missing else None, self)
        self._asking = dialog
        dialog.accepted.connect(lambda: self._type_chosen(path, dialog.document_type()))
        dialog.finished.connect(lambda _r: (dialog.deleteLater(), self._ask_next()))
        dialog.open()
        self.document_type_requested.emit(dialog)

    def _type_chosen(self, path: Path, document_type: str) -> None:
        self._types_being_added.add(document_type)
        self.add_file(path, document_type)

    def add_file(self, path: Path, document_type: str) -> None:
        """Copy ``path`` into the store on the file runner, then link it as ``document_type`` on the
        DB runner (starting the stage's entry first if it has none)."""
        if (self.entry_id is None and self._start_entry is None) or not self.editable:
            return
        if not path.is_file():
            text = self.tr("%1 bukan berkas (mungkin folder); pilih berkas dokumennya.")
            self.message.setText(with_args(text, path.name))
            return
        entry_id, start_entry = self.entry_id, self._start_entry  # the entry the operator added to
        name, lang, files = path.name, self.lang, self.services.files
        self.pending += 1
        self.message.setText(with_args(self.tr("Menyalin %1…"), name))
        unreadable = self.unreadable_text()  # translated here: the job runs on another thread

        def copy() -> tuple[str, int]:
            try:
                refuse_unfit_document(path, name)  # a refused file is not copied, nor starts the entry
                return files.put(path)
            except OSError as exc:
                raise StorageError(with_args(unreadable, exc.strerror or exc)) from exc
            except StorageError as exc:
                if isinstance(exc.__cause__, InputRefused):  # empty or not what it claims: in the UI's language
                    raise StorageError(exc.__cause__.message(lang)) from exc
                raise

        self.services.io.run(copy, lambda stored: self._link(name, document_type, entry_id, start_entry, *stored),
                             lambda exc: self._failed(name, exc))

    def _link(self, name: str, document_type: str, entry_id: int | None,
              start_entry: Callable[[Repository], int] | None, sha: str, size: int) -> None:
        """The copy is stored: link it to the entry it was added to (started now if it has none; a
        locked entry refuses in the store's words)."""
        if entry_id is None and self.entry_id is not None and self._start_entry is start_entry:
            entry_id = self.entry_id  # another document started the entry meanwhile

        lang = self.lang

        def job(repo):
            target = entry_id if entry_id is not None else start_entry(repo)
            try:
                workflow.attach_stored_document(repo, target, sha, size, name, document_type)
            except workflow.WorkflowRefused as refused:
                raise StorageError(refused.message(lang)) from refused
            return target, repo.list_attachments(target)

        self.services.db.run(job, lambda done: self._added(name, *done),
                             lambda exc: self._failed(name, exc))

    def _added(self, name: str, entry_id: int, attachments: list[Attachment]) -> None:
        self.pending -= 1
        self.message.setText(with_args(self.tr("%1 terlampir."), name))
        if self.entry_id not in (None, entry_id):
            return  # the panel shows another entry now (a long copy ended after a change was started)
        self.entry_id = entry_id
        self._show(attachments)

    def _failed(self, name: str, exc: BaseException) -> None:
        self.pending -= 1
        self._types_being_added.clear()
        reason = failure_message(exc)  # a storage error's own words, else a calm sentence (details logged)
        self.message.setText(with_args(self.tr("%1 tidak dapat dilampirkan: %2"), name, reason))

    def unreadable_text(self) -> str:
        """Why a file could not be copied and what to do (``%1`` = the system's reason)."""
        return self.tr("berkas tidak dapat dibaca (%1). Periksa bahwa berkas masih ada dan tidak sedang "
                       "dibuka program lain, lalu coba lagi.")

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        attachment_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if attachment_id is None or not self.editable:
            return
        entry_id, lang = self.entry_id, self.lang

        def job(repo):
            try:
                workflow.remove_document(repo, attachment_id)
            except workflow.WorkflowRefused as refused:
                raise StorageError(refused.message(lang)) from refused
            return repo.list_attachments(entry_id)

        self.services.db.run(job, self._show, lambda exc: self.message.setText(failure_message(exc)))

    # --- viewing -------------------------------------------------------------------------
    def open_selected(self) -> None:
        """Open the selected document in the system's viewer (a copy under its own file name, so
        the viewer knows its type; the store names files by their hash)."""
        item = self.list.currentItem()
        attachment_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        attachment = next((a for a in self.attachments if a.id == attachment_id), None)
        if attachment is None:
            return

        files = self.services.files

        def job() -> Path:  # a file copy: on the file runner, like adding
            folder = Path(tempfile.gettempdir()) / "odc-desktop-dokumen" / attachment.sha256[:16]
            folder.mkdir(parents=True, exist_ok=True)
            copy = folder / Path(attachment.filename).name
            if not copy.is_file() or copy.stat().st_size != attachment.size:
                if not files.exists(attachment.sha256):
                    files.read(attachment.sha256)  # raises the store's message for a missing file
                shutil.copyfile(files.path_for(attachment.sha256), copy)
            return copy

        self.services.io.run(job, self._open_copy, lambda exc: self.message.setText(failure_message(exc)))

    def _open_copy(self, path: Path) -> None:
        url = QUrl.fromLocalFile(str(path))
        if not QDesktopServices.openUrl(url):
            self.message.setText(with_args(self.tr("Tidak ada program untuk membuka %1 di komputer ini."),
                                           path.name))
        self.document_did_open.emit(url)

    # --- drag and drop -------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.editable and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if not self.editable or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.ask_types_and_add(paths)
