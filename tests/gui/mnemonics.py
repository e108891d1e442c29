"""The Alt+letter mnemonics a window offers right now: of its visible buttons, of the labels that
focus a buddy, and of its menu bar. Two visible ones with the same letter clash (Qt then cycles
between them instead of acting)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMainWindow, QWidget

_MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic_of(text: str) -> str | None:
    """The letter after the single ``&`` of ``text`` (lowercase), or None."""
    match = _MNEMONIC.search(text.replace("&&", ""))
    return match.group(1).lower() if match else None


def visible_mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Letter -> the texts that use it, for every widget of ``window`` visible now."""
    texts: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or not widget.isEnabled():
            continue
        if isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
    if isinstance(window, QMainWindow) and window.menuBar().isVisibleTo(window):
        texts += [action.text() for action in window.menuBar().actions() if action.isVisible()]
    found: dict[str, list[str]] = {}
    for text in texts:
        letter = mnemonic_of(text)
        if letter:
            found.setdefault(letter, []).append(text)
    return found


def clashes(window: QWidget) -> dict[str, list[str]]:
    """The letters used by more than one visible widget, with their texts."""
    return {letter: used for letter, used in visible_mnemonics(window).items() if len(used) > 1}
