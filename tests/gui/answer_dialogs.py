"""Run the real ``odc_desktop.app.main(argv)`` in this process and answer each dialog it shows, the way
an operator clicking OK would; print one JSON line: the exit code and each dialog's title, text and
icon. The start-up tests run this file as a subprocess (so a folder can be made unwritable for it, and
a failure cannot disturb the test process).

Usage: python tests/gui/answer_dialogs.py [odc-desktop options…]
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from odc_desktop.app import main

seen: list[dict[str, str]] = []


def answer_open_dialog() -> None:
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        seen.append({"title": box.windowTitle(), "text": box.text(), "icon": box.icon().name})
        box.accept()
    QTimer.singleShot(20, answer_open_dialog)  # watch for the next one while the app runs


if __name__ == "__main__":
    app = QApplication([sys.argv[0]])
    QTimer.singleShot(0, answer_open_dialog)
    code = main(sys.argv[1:])
    print(json.dumps({"code": code, "dialogs": seen}, ensure_ascii=False))
