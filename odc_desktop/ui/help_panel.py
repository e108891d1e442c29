"""The SOP help beside the form: the focused field's label, help text and SOP step, or the current
section's SOP introduction when no field has focus. The help itself comes from the form file in
the UI language; the panel's own words go through ``tr()``."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from odc_desktop.domain.forms.definition import Field, Section, text_in
from odc_desktop.ui.i18n import with_args

class HelpPanel(QFrame):
    """Shows help for one field (:meth:`show_field`) or one section (:meth:`show_section`).

    Signals:
        help_did_change(): other help is shown now (the form page mirrors it on narrow windows).
    """

    help_did_change = Signal()

    def __init__(self, lang: str = "id", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("helpPanel")
        self.lang = lang  # of the form file's help texts
        self.shown_field_id: str | None = None
        self.heading = QLabel(self.tr("Panduan SOP"), self)
        self.heading.setObjectName("helpHeading")
        self.title = QLabel(self)
        self.title.setObjectName("helpTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.body = QLabel(self)
        self.body.setObjectName("helpBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.step = QLabel(self)
        self.step.setObjectName("helpSopStep")
        self.step.setStyleSheet("color: #1f5f99;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.title)
        layout.addWidget(self.step)
        layout.addWidget(self.body)
        layout.addStretch(1)
        self.setMinimumWidth(240)
        self.setMaximumWidth(360)

    def show_field(self, field: Field) -> None:
        """Show the field's label, its help text and the SOP step the help follows."""
        self.shown_field_id = field.id
        self.title.setText(text_in(field.label, self.lang))
        help_text = text_in(field.help, self.lang) or self.tr("Tidak ada panduan khusus untuk isian ini.")
        if field.required:
            help_text += "\n\n" + self.tr("Wajib diisi.")
        self.body.setText(help_text)
        self.step.setText(with_args(self.tr("Langkah SOP: %1"), field.sop_step) if field.sop_step else "")
        self.step.setVisible(bool(field.sop_step))
        self.help_did_change.emit()

    def show_section(self, section: Section) -> None:
        """Show the section's SOP introduction (when no field has focus)."""
        self.shown_field_id = None
        self.title.setText(text_in(section.title, self.lang))
        hint = self.tr("Pilih sebuah isian untuk melihat panduannya.")
        self.body.setText(text_in(section.sop, self.lang) or hint)
        self.step.setText("")
        self.step.hide()
        self.help_did_change.emit()

    def show_text(self, title: str, body: str) -> None:
        """Show free text (e.g. guidance for the documents step)."""
        self.shown_field_id = None
        self.title.setText(title)
        self.body.setText(body)
        self.step.hide()
        self.help_did_change.emit()


class HelpStrip(QLabel):
    """The help of a :class:`HelpPanel` as one paragraph, for under the form on narrow windows."""

    def __init__(self, panel: HelpPanel, parent: QWidget | None = None):
        super().__init__(parent, objectName="helpStrip", wordWrap=True)
        self.setProperty("role", "help")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._panel = panel
        panel.help_did_change.connect(self._follow)
        self._follow()

    def _follow(self) -> None:
        panel = self._panel
        step = panel.step.text() if not panel.step.isHidden() else ""
        parts = [panel.title.text(), step, panel.body.text()]
        self.setText(" — ".join(" ".join(part.split()) for part in parts if part))
