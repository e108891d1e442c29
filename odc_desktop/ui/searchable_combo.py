"""A drop-down the operator can also type into to search ("Dinas P" → every OPD containing it).

Used for codelist choices in the forms, the OPD and kecamatan of a new process and the operator's OPD
in the settings. Items carry their code as item data; typed text that matches no item never becomes
the value: leaving the box puts the chosen item's text back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget


class SearchableComboBox(QComboBox):
    """An editable combo whose typed text filters the items by substring, case-insensitively.

    Enter while the suggestions show picks the highlighted one, or the first when none is
    highlighted (rather than keeping a fragment that matches nothing and so emptying the choice).
    """

    def __init__(self, parent: QWidget | None = None, placeholder: str = ""):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Long names ("RSUD Dr. R. Sosodoro Djatikoesoemo") must not widen the box and squeeze its
        # label or push the form past a narrow window; the list pops up as wide as it needs.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        completer.popup().installEventFilter(self)  # after the completer's own filter: runs first
        if placeholder:
            self.lineEdit().setPlaceholderText(placeholder)
        self.lineEdit().editingFinished.connect(self.restore_text)

    def add_items(self, items: list[tuple[str, Any]]) -> None:
        """Append ``(text, data)`` items."""
        for text, data in items:
            self.addItem(text, data)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        popup = self.completer().popup()
        if watched is popup and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not popup.currentIndex().isValid() and self.completer().completionCount():
            popup.setCurrentIndex(self.completer().completionModel().index(0, 0))
        return False

    def restore_text(self) -> None:
        """Choose the item whose text was typed in full, else show the chosen item's text again."""
        index = self.findText(self.currentText(), Qt.MatchFlag.MatchFixedString)
        if index >= 0 and index != self.currentIndex():
            self.setCurrentIndex(index)
        else:
            self.setEditText(self.itemText(self.currentIndex()))
