"""Inline validation messages under dialog fields (shared by the "Paket baru" and settings dialogs)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def error_label(parent: QWidget, key: str) -> QLabel:
    """A hidden red message label for the field ``key`` (styled by ``QLabel[role="error"]``)."""
    label = QLabel(parent, objectName=f"error_{key}", wordWrap=True)
    label.setProperty("role", "error")
    label.hide()
    return label


def show_errors(labels: dict[str, QLabel], editors: dict[str, QWidget], errors: dict[str, str]) -> bool:
    """Show ``errors`` (key -> message) under their fields, hide the others and focus the first
    invalid field; True when there were errors."""
    for key, label in labels.items():
        label.setText(errors.get(key, ""))
        label.setVisible(key in errors)
    first = next((key for key in labels if key in errors and key in editors), None)
    if first is not None:
        editors[first].setFocus()
    return bool(errors)
