"""The import wizard ("Impor data…"): choose files, confirm column mappings, preview, import.

Pages: files (ISB/Inaproc JSON, CSV, XLSX; and "Unduh templat laporan progres"), mapping (only
for tables whose header has no saved mapping: the guessed mapping, editable), preview (counts of new,
updated, unchanged and blocked rows, and the rows left out with why), then the import and its
summary. Files are read on the I/O runner, the preview and the import run on the DB runner; the
wizard waits on their results. Imported data lands as drafts with its source; nothing is submitted.

Signals: ``preview_did_finish`` (the preview is shown), ``import_did_progress(done, total)`` (rows
written so far; emitted from the database runner's thread, so its connections are queued to the GUI
thread and the bar never touched from the worker), ``import_did_finish`` (the import is done).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QListWidget, QProgressBar,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, QWizard,
                               QWizardPage)

from odc_desktop.importers.tabular_fields import KIND_LABELS, KINDS, Mapping, missing_keys
from odc_desktop.importers.tabular_store import MappingStore
from odc_desktop.importers.tabular_template import write_template
from odc_desktop.messages import text
from odc_desktop.ui.i18n import with_args
from odc_desktop.import_jobs import FilesRead, Previewed, gather, import_job, preview_job, read_files
from odc_desktop.ui.services import Services

log = logging.getLogger(__name__)


class _FileList(QListWidget):
    """The chosen files; Delete removes the selected ones (signal ``delete_pressed``)."""

    delete_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_pressed.emit()
            return
        super().keyPressEvent(event)


class _FilesPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Pilih berkas"))
        self.setSubTitle(self.tr("Berkas JSON ISB/Inaproc, CSV atau XLSX (anggaran DPA, usulan e-musrenbang, "
                                 "laporan progres)."))
        self.files = _FileList(objectName="import_files")
        add = QPushButton(self.tr("&Tambah berkas…"), objectName="import_add_files")
        add.clicked.connect(self._choose)
        remove = QPushButton(self.tr("&Hapus dari daftar"), objectName="import_remove_file")
        remove.clicked.connect(self._remove_selected)
        self.files.delete_pressed.connect(self._remove_selected)
        template = QPushButton(self.tr("&Unduh templat laporan progres…"), objectName="import_template")
        template.clicked.connect(self._save_template)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addWidget(template)
        buttons.addStretch()
        self.problem = QLabel(objectName="import_files_problem", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.files)
        layout.addLayout(buttons)
        layout.addWidget(self.problem)

    def paths(self) -> list[Path]:
        return [Path(self.files.item(i).text()) for i in range(self.files.count())]

    def add_paths(self, paths: list[Path]) -> None:
        known = set(self.paths())
        for path in map(Path, paths):
            if path not in known:
                known.add(path)
                self.files.addItem(str(path))
        self.completeChanged.emit()

    def _remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self.completeChanged.emit()

    def _choose(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Pilih berkas untuk diimpor"), "",
                                                self.tr("Data (*.json *.csv *.xlsx);;Semua berkas (*)"))
        self.add_paths([Path(n) for n in names])

    def _save_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Simpan templat laporan progres"),
                                              "templat-laporan-progres.xlsx", self.tr("Excel (*.xlsx);;CSV (*.csv)"))
        if not name:
            return
        try:
            write_template(Path(name), self._wizard.lang)
        except OSError as error:
            self.problem.setText(with_args(self.tr("Templat tidak dapat disimpan: %1"), error.strerror or error))
        else:
            self.problem.setText(with_args(self.tr("Templat disimpan: %1"), name))

    def isComplete(self) -> bool:
        return self.files.count() > 0


class _MappingPage(QWizardPage):
    """One editable mapping per table whose header is new: the kind, and a column per field."""

    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Pemetaan kolom"))
        self.setSubTitle(self.tr("Periksa kolom mana yang mengisi isian mana. Pemetaan disimpan dan dipakai "
                                 "lagi untuk berkas dengan judul kolom yang sama."))
        self.body = QVBoxLayout(self)
        self.forms: list[tuple[object, QComboBox, dict[str, QComboBox]]] = []
        self.problem = QLabel(objectName="import_mapping_problem", wordWrap=True)

    def show_tables(self, read: FilesRead) -> None:
        while self.body.count():
            widget = self.body.takeAt(0).widget()
            if widget is not None and widget is not self.problem:
                widget.deleteLater()
        self.forms = []
        for item in read.tables:
            if item.saved:
                continue
            box = QWidget(objectName="import_mapping")
            form = QFormLayout(box)
            form.addRow(QLabel(f"<b>{item.table.file}</b>"))
            kind = QComboBox(objectName="import_kind")
            for key, label in KIND_LABELS.items():
                kind.addItem(label.get(self._wizard.lang, label["id"]), key)
            kind.setCurrentIndex(list(KIND_LABELS).index(item.mapping.kind))
            form.addRow(self.tr("Jenis data"), kind)
            combos: dict[str, QComboBox] = {}
            for field in KINDS[item.mapping.kind]:
                combo = QComboBox(objectName=f"import_column_{field.id}")
                combo.addItem(self.tr("(tidak ada)"), -1)
                for index, name in enumerate(item.table.header):
                    combo.addItem(name or with_args(self.tr("Kolom %1"), index + 1), index)
                combo.setCurrentIndex(item.mapping.columns.get(field.id, -1) + 1)
                form.addRow(field.label.get(self._wizard.lang, field.label["id"]), combo)
                combos[field.id] = combo
            kind.currentIndexChanged.connect(lambda _i, it=item, k=kind: self._kind_changed(it, k))
            self.forms.append((item, kind, combos))
            self.body.addWidget(box)
        self.body.addWidget(self.problem)
        self.problem.clear()

    def _kind_changed(self, item, kind: QComboBox) -> None:
        from odc_desktop.importers.tabular_fields import guess_columns

        item.mapping = Mapping(kind.currentData(), guess_columns(kind.currentData(), item.table.header))
        self.show_tables(self._wizard.read)

    def validatePage(self) -> bool:
        for item, kind, combos in self.forms:
            columns = {f: c.currentData() for f, c in combos.items() if c.currentData() is not None and c.currentData() >= 0}
            mapping = Mapping(kind.currentData(), columns)
            missing = missing_keys(mapping)
            if missing:
                labels = ", ".join(next(f.label for f in KINDS[mapping.kind] if f.id == m)[self._wizard.lang]
                                   for m in missing)
                self.problem.setText(text("tabular.mapping_incomplete", self._wizard.lang, fields=labels))
                return False
            item.mapping = mapping
            self._wizard.mappings.put(item.table.header, mapping)
            item.saved = True
        return True


class _PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Pratinjau"))
        self.setSubTitle(self.tr("Data impor menjadi draf; tidak ada yang dikirim otomatis."))
        self.counts = QLabel(objectName="import_counts", wordWrap=True)
        self.problems = QTableWidget(0, 3, objectName="import_problems")
        self.problems.setHorizontalHeaderLabels([self.tr("Berkas"), self.tr("Baris"), self.tr("Alasan")])
        self.problems.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(QLabel(self.tr("Baris yang bermasalah:")))
        layout.addWidget(self.problems)

    def show_preview(self, previewed: Previewed) -> None:
        c = previewed.preview.counts()  # rejected rows are among the problems below
        self.counts.setText(with_args(self.tr("Baru: %1 · Diperbarui: %2 · Tidak berubah: %3 · Terkunci: %4 · "
                                              "Bermasalah: %5"), c["new"], c["updated"], c["unchanged"],
                                      c["blocked"], len(previewed.problems)))
        self.problems.setRowCount(0)
        for problem in previewed.problems:
            row = self.problems.rowCount()
            self.problems.insertRow(row)
            for column, value in enumerate((problem.file, str(problem.row or ""), problem.message(self._wizard.lang))):
                self.problems.setItem(row, column, QTableWidgetItem(value))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._wizard.previewed is not None


class _DonePage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle(self.tr("Impor"))
        self.busy = QProgressBar(objectName="import_progress", textVisible=False)
        self.busy.setRange(0, 0)  # "still working" until the first batch is written
        self.busy.setAccessibleName(self.tr("Mengimpor…"))
        self.summary = QLabel(objectName="import_summary", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary)

    def isComplete(self) -> bool:
        return bool(self.summary.text())

    def show_progress(self, done: int, total: int) -> None:
        """Rows written so far of ``total`` (the import writes in batches)."""
        self.busy.setRange(0, max(total, 1))
        self.busy.setValue(done)


class ImportWizard(QWizard):
    """The import wizard; ``services`` gives the runners, forms, settings and data folder."""

    preview_did_finish = Signal()
    import_did_progress = Signal(int, int)
    import_did_finish = Signal()

    FILES, MAPPING, PREVIEW, DONE = range(4)

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent, objectName="import_wizard")
        self._services = services
        self.lang = services.lang
        self.mappings = MappingStore(services.data_dir)
        self.read: FilesRead | None = None
        self.previewed: Previewed | None = None
        self.setWindowTitle(self.tr("Impor data"))
        self.files_page, self.mapping_page = _FilesPage(self), _MappingPage(self)
        self.preview_page, self.done_page = _PreviewPage(self), _DonePage()
        for page_id, page in enumerate((self.files_page, self.mapping_page, self.preview_page, self.done_page)):
            self.setPage(page_id, page)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Impor"))
        self.preview_page.setCommitPage(True)
        self.currentIdChanged.connect(self._page_did_change)
        self.import_did_progress.connect(self.done_page.show_progress)

    def nextId(self) -> int:
        current = self.currentId()
        if current == self.FILES:
            return self.MAPPING if self.read is None or any(not t.saved for t in self.read.tables) else self.PREVIEW
        return super().nextId()

    def validateCurrentPage(self) -> bool:
        if self.currentId() == self.FILES and self.read is None:
            self._read_files()
            return False  # the reading job moves on when it is done
        return super().validateCurrentPage()

    def _read_files(self) -> None:
        paths = self.files_page.paths()
        self.button(QWizard.WizardButton.NextButton).setEnabled(False)
        shipped = self._shipped_forms()
        self._services.io.run(lambda: read_files(paths, self.mappings, shipped), self._files_did_read,
                              self._job_failed)

    def _files_did_read(self, read: FilesRead) -> None:
        self.read = read
        self.mapping_page.show_tables(read)
        self.button(QWizard.WizardButton.NextButton).setEnabled(True)
        self.next()

    def _page_did_change(self, page_id: int) -> None:
        if page_id == self.FILES:
            self.read = None
        elif page_id == self.PREVIEW:
            self.previewed = None
            self.preview_page.completeChanged.emit()
            read = self.read  # rows are read (parsed, checked against the forms) off the GUI thread
            shipped = self._shipped_forms()
            self._services.io.run(lambda: gather(read, shipped), self._rows_did_read, self._job_failed)
        elif page_id == self.DONE:
            self._services.db.run(import_job(self.previewed.preview, self._services.forms,
                                             self._services.settings.ocid_prefix,
                                             on_progress=self._import_did_write),
                                  self._import_did_finish, self._job_failed)

    def _shipped_forms(self):
        """The shipped form set the importers read with (as ``odc import``), or None: they load it."""
        return getattr(self._services.forms, "shipped", None)

    def _import_did_write(self, done: int, total: int) -> None:
        """Called on the database runner's thread after each batch: only emits (queued to the GUI)."""
        try:
            self.import_did_progress.emit(done, total)
        except RuntimeError:  # the wizard was closed meanwhile; the import goes on without a bar
            log.debug("Import progress %s/%s not shown: the wizard is gone", done, total)

    def _rows_did_read(self, gathered) -> None:
        rows, problems = gathered
        self._services.db.run(preview_job(rows, problems, self._services.forms, self._services.settings.ocid_prefix),
                              self._preview_did_finish, self._job_failed)

    def _preview_did_finish(self, previewed: Previewed) -> None:
        self.previewed = previewed
        self.preview_page.show_preview(previewed)
        self.preview_did_finish.emit()

    def _import_did_finish(self, result) -> None:
        counts = result.counts()
        self.done_page.summary.setText(with_args(self.tr("%1 entri ditulis sebagai draf; %2 dilewati."),
                                                 counts["created"] + counts["changed"],
                                                 counts["unchanged"] + counts["kept"] + counts["rejected"]))
        self.done_page.busy.hide()
        self.done_page.completeChanged.emit()
        self.import_did_finish.emit()

    def _job_failed(self, exc: BaseException) -> None:
        self.button(QWizard.WizardButton.NextButton).setEnabled(True)
        label = {self.FILES: self.files_page.problem, self.DONE: self.done_page.summary}.get(
            self.currentId(), self.preview_page.counts)
        label.setText(self._services.db.failure_message(exc))
        self.done_page.busy.hide()
