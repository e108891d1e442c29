"""The "Pengaturan" dialog, generated from :data:`odc_desktop.settings.SETTINGS` (one row per setting).

The operator's own settings come first; the ones Diskominfo's admin sets (OCID prefix, server address)
sit behind a clearly labelled "Pengaturan lanjutan" toggle, folded until asked for.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from odc_desktop.domain.forms.definition import text_in
from odc_desktop.settings import SETTINGS, SettingDef, SettingsError, validate_ocid_prefix
from odc_desktop.ui.inline_errors import error_label, show_errors
from odc_desktop.ui.searchable_combo import SearchableComboBox
from odc_desktop.ui.services import Services

#: How a choice value is shown; values without an entry are shown as they are.
CHOICE_LABELS = {"id": "Bahasa Indonesia", "en": "English"}
RESTART_KEYS = frozenset({"language"})


def _mnemonic(text: str) -> str:
    """The lowercase letter after ``&`` in ``text`` ("" when none)."""
    position = text.replace("&&", "").find("&")
    return text.replace("&&", "")[position + 1].lower() if 0 <= position < len(text) - 1 else ""


class SettingsDialog(QDialog):
    """Edits every declared setting; invalid values get an inline message and nothing is saved."""

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        self.restart_needed = False  # True after saving a setting that applies at the next start
        self.setWindowTitle(self.tr("Pengaturan"))
        self.setMinimumWidth(560)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("B&atal"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.advanced_toggle = QToolButton(self, objectName="advancedToggle", checkable=True)
        self.advanced_toggle.setText(self.tr("Pengaturan &lanjutan (admin)"))
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.toggled.connect(self.show_advanced)
        # The rows' Alt+letters avoid those of the buttons (in the language shown).
        self._mnemonics = {_mnemonic(b.text()) for b in (*buttons.buttons(), self.advanced_toggle)}
        form = QFormLayout()
        self.advanced = QFrame(self, objectName="advancedSettings")
        advanced_form = QFormLayout(self.advanced)
        advanced_form.setContentsMargins(0, 0, 0, 0)
        note = QLabel(self.tr("Diisi oleh admin Diskominfo. Ubah hanya bila diminta admin."), self.advanced,
                      wordWrap=True)
        note.setProperty("role", "help")
        advanced_form.addRow(note)
        for definition in SETTINGS:
            self._add_row(advanced_form if definition.advanced else form, definition)
        self.advanced.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.advanced_toggle)
        layout.addWidget(self.advanced)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def show_advanced(self, shown: bool) -> None:
        """Unfold (or fold) the admin settings."""
        self.advanced_toggle.setChecked(shown)
        self.advanced_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.advanced.setVisible(shown)
        self.adjustSize()

    def _add_row(self, form: QFormLayout, definition: SettingDef) -> None:
        lang = self._services.lang
        value = self._services.settings.get(definition.key)
        editor: QLineEdit | QComboBox
        if definition.codelist:
            editor = SearchableComboBox(self, self.tr("— pilih atau ketik untuk mencari —"))
            codelist = self._services.forms.codelists.get(definition.codelist)
            editor.addItem("", "")
            editor.add_items([(text_in(i.label, lang), i.code) for i in (codelist.items if codelist else ())])
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif definition.choices:
            editor = QComboBox(self)
            for choice in definition.choices:
                editor.addItem(CHOICE_LABELS.get(str(choice), str(choice)), choice)
            editor.setCurrentIndex(max(editor.findData(value), 0))
        else:
            editor = QLineEdit(str(value), self)
        editor.setObjectName(definition.key)
        help_label = QLabel(text_in(definition.help, lang), self, wordWrap=True)
        help_label.setProperty("role", "help")
        error = error_label(self, definition.key)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(editor)
        column.addWidget(help_label)
        column.addWidget(error)
        label = QLabel(self._with_mnemonic(text_in(definition.label, lang)) + ":", self)
        label.setBuddy(editor)
        form.addRow(label, column)
        self.editors[definition.key] = editor
        self.errors[definition.key] = error

    def _with_mnemonic(self, text: str) -> str:
        """``text`` with an Alt+letter on its first letter not taken by an earlier row (or Simpan/Batal)."""
        taken = self._mnemonics
        for position, char in enumerate(text):
            if char.isalpha() and char.lower() not in taken:
                taken.add(char.lower())
                return f"{text[:position]}&{text[position:]}"
        return text

    def value_of(self, key: str) -> Any:
        """The value the editor of ``key`` holds, converted to the setting's type."""
        editor = self.editors[key]
        if isinstance(editor, QComboBox):
            return editor.currentData()
        return editor.text().strip()

    def validation_errors(self) -> dict[str, str]:
        """Setting key -> message for every invalid value."""
        errors: dict[str, str] = {}
        for definition in SETTINGS:
            value = self.value_of(definition.key)
            try:
                if definition.key == "ocid_prefix":
                    validate_ocid_prefix(value)
                elif definition.key == "server_url" and not str(value).startswith(("http://", "https://")):
                    raise SettingsError(self.tr("Alamat server harus diawali http:// atau https://."))
            except SettingsError as exc:
                errors[definition.key] = exc.message(self._services.lang)
        return errors

    def save(self) -> None:
        """Validate every value; save the changed ones and close, or show the errors inline."""
        errors = self.validation_errors()
        if any(d.advanced and d.key in errors for d in SETTINGS):
            self.show_advanced(True)  # a message must be seen where it is
        if show_errors(self.errors, self.editors, errors):
            return
        settings = self._services.settings
        changed = [d.key for d in SETTINGS if self.value_of(d.key) != settings.get(d.key)]
        for key in changed:
            settings.set(key, self.value_of(key))
        self.restart_needed = bool(RESTART_KEYS.intersection(changed))
        self.accept()
