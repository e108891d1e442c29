"""The "Paket baru" dialog: the process-level facts (nama paket, OPD, tahun, kode RUP, kecamatan)."""

from __future__ import annotations

import datetime
import logging

from PySide6.QtCore import QEvent, QRegularExpression, QTimer
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from odc_desktop import workflow
from odc_desktop.domain.forms.definition import text_in
from odc_desktop.domain.model import NewProcess, Process
from odc_desktop.storage.common import ocid_for_kode_rup
from odc_desktop.storage.repository import StorageError
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.inline_errors import error_label, show_errors
from odc_desktop.ui.searchable_combo import SearchableComboBox
from odc_desktop.ui.services import Services

log = logging.getLogger(__name__)


class NewProcessDialog(QDialog):
    """Collects a NewProcess, validates it inline and creates it through ``workflow.create_process``;
    once it exists the dialog closes with Accepted and ``created`` holds it."""

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self.created: Process | None = None
        self.setWindowTitle(self.tr("Paket baru"))
        self.setMinimumWidth(520)
        self._build()

    def _build(self) -> None:
        lang = self._services.lang
        self.title_edit = QLineEdit(self, objectName="title", maxLength=500)
        self.title_edit.setPlaceholderText(self.tr("mis. Rehabilitasi Jalan Desa Ngasem"))
        self.opd = SearchableComboBox(self, self.tr("ketik untuk mencari, mis. Dinas P"))
        self.opd.setObjectName("opd")
        self.opd.addItem("", None)
        self.opd.add_items([(text_in(item.label, lang), item.code) for item in self._codelist_items("opd")])
        default_opd = self._services.settings.get("default_opd")
        if default_opd:
            self.opd.setCurrentIndex(max(self.opd.findData(default_opd), 0))
        self.year = QSpinBox(self, objectName="year", minimum=2000, maximum=2100)
        self.year.setValue(datetime.date.today().year)
        self.kode_rup = QLineEdit(self, objectName="kode_rup", maxLength=20)
        self.kode_rup.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]*"), self))
        self.kode_rup.setPlaceholderText(self.tr("angka dari SIRUP, boleh dikosongkan"))
        self.ocid_hint = QLabel(self, objectName="ocid_hint", wordWrap=True)
        self.ocid_hint.setProperty("role", "help")
        self.kecamatan = SearchableComboBox(self, self.tr("kosong: seluruh kabupaten; ketik untuk mencari"))
        self.kecamatan.setObjectName("kecamatan")
        self.kecamatan.addItem("", None)
        self.kecamatan.add_items([(text_in(i.label, lang), i.code)
                                  for i in self._codelist_items("kecamatan")])

        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        rows = (("title", self.tr("&Nama paket:"), self.title_edit),
                ("opd", self.tr("&OPD:"), self.opd),
                ("year", self.tr("&Tahun anggaran:"), self.year),
                ("kode_rup", self.tr("&Kode RUP:"), self.kode_rup),
                ("kecamatan", self.tr("K&ecamatan:"), self.kecamatan))
        for key, text, widget in rows:
            label = QLabel(text, self)
            label.setBuddy(widget)
            error = error_label(self, key)
            self.errors[key] = error
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(widget)
            if key == "kode_rup":
                column.addWidget(self.ocid_hint)
            column.addWidget(error)
            form.addRow(label, column)
        # A message goes away as soon as its field is fixed (new ones appear on "Buat paket").
        self.title_edit.textChanged.connect(self._clear_fixed_errors)
        self.opd.currentIndexChanged.connect(self._clear_fixed_errors)
        self.kode_rup.textChanged.connect(self._clear_fixed_errors)
        self.kode_rup.textChanged.connect(self._show_ocid)
        self._show_ocid()
        self._fit = QTimer(self, singleShot=True, interval=0)
        self._fit.timeout.connect(self._fit_height)

        self.failure = error_label(self, "create")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Buat paket"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("B&atal"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.failure)
        layout.addWidget(self.buttons)

    def _show_ocid(self) -> None:
        """Say what the process's OCID will be, with or without a kode RUP."""
        prefix, kode_rup = self._services.settings.ocid_prefix, self.kode_rup.text().strip()
        if kode_rup:
            ocid = ocid_for_kode_rup(prefix, kode_rup)
            self.ocid_hint.setText(with_args(self.tr("OCID paket ini: %1"), ocid))
        else:
            self.ocid_hint.setText(with_args(self.tr(
                "Tanpa kode RUP, OCID dibuat otomatis dari kode komputer ini: %1-…-nomor urut."), prefix))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and hasattr(self, "_fit"):
            self._fit.start()
        return super().event(event)

    def _fit_height(self) -> None:
        # Wrapped messages need more height at the dialog's width than its layout asks for; grow
        # to it so they never overlap the fields (the layout alone leaves them squeezed).
        needed = self.layout().heightForWidth(self.width()) if self.layout().hasHeightForWidth() else -1
        if needed > self.height():
            self.resize(self.width(), needed)

    def _clear_fixed_errors(self) -> None:
        errors = self.validation_errors()
        for key, label in self.errors.items():
            if label.isVisible() and key not in errors:
                label.hide()

    def _codelist_items(self, name: str) -> list:
        codelist = self._services.forms.codelists.get(name)
        return list(codelist.items) if codelist is not None else []

    # validation and creation -----------------------------------------------------------------
    def validation_errors(self) -> dict[str, str]:
        """Field key -> message (Indonesian by default) for every invalid field."""
        errors: dict[str, str] = {}
        title = self.title_edit.text().strip()
        if not title:
            errors["title"] = self.tr("Nama paket wajib diisi.")
        elif len(title) < 5:
            errors["title"] = self.tr("Nama paket terlalu pendek; tulis nama lengkap seperti di RUP.")
        if self.opd.currentData() is None:
            errors["opd"] = self.tr("Pilih OPD yang menjalankan paket ini.")
        kode_rup = self.kode_rup.text().strip()
        if kode_rup and not kode_rup.isdigit():
            errors["kode_rup"] = self.tr("Kode RUP hanya berisi angka, atau kosongkan bila belum ada.")
        return errors

    def new_process(self) -> NewProcess:
        """The NewProcess described by the widgets (call after validation)."""
        return NewProcess(title=self.title_edit.text().strip(), opd_code=self.opd.currentData(),
                          opd_name=self.opd.itemText(self.opd.currentIndex()), year=self.year.value(),
                          kode_rup=self.kode_rup.text().strip() or None,
                          kecamatan=self.kecamatan.currentData())

    def submit(self) -> None:
        """Validate; if valid, create the process on the DB runner and close when it exists."""
        editors = {"title": self.title_edit, "opd": self.opd, "kode_rup": self.kode_rup}
        if show_errors(self.errors, editors, self.validation_errors()):
            return
        new, prefix = self.new_process(), self._services.settings.ocid_prefix
        actor = self._services.settings.get("operator_name") or None  # None: the OS user
        self.buttons.setEnabled(False)
        self._services.db.run(lambda repo: workflow.create_process(repo, new, prefix, actor=actor),
                              self._did_create, self._did_fail)

    def _did_create(self, process: Process) -> None:
        self.created = process
        self.accept()

    def _did_fail(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, StorageError):
            message = exc.message(self._services.lang)
        else:
            message = self.tr("Paket tidak dapat dibuat. Coba lagi; bila tetap gagal, hubungi "
                              "Diskominfo dan sertakan berkas log.")
        self.failure.setText(message)
        self.failure.show()
