"""Opening the real app window in a test and closing it again: real services (SQLite, the DB thread),
the real main window shown and exposed, ``start()`` run until the signal that says it is ready."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from odc_desktop.app import close_services, create_main_window, create_services
from odc_desktop.ui import i18n

WAIT_MS = 60_000  # an upper bound for a loaded machine; each wait ends as soon as its event happens


class AppWindows:
    """The windows one test opened (on ``data_dir``, or the one given to :meth:`open`), closed by
    :meth:`close_all` at teardown."""

    def __init__(self, qtbot: Any, data_dir: Path | None = None) -> None:
        self.qtbot, self.data_dir, self.opened = qtbot, data_dir, []

    def open(self, lang: str = "id", ready: Callable[[Any], Any] = lambda w: w.list_page.list_did_update,
             timeout: int = WAIT_MS, data_dir: Path | None = None) -> Any:
        """A new window in ``lang``, started; returns once ``ready(window)`` (a signal) has fired."""
        i18n.install_language(lang)  # an earlier test may have left another language installed
        window = create_main_window(create_services(data_dir or self.data_dir, lang))
        self.opened.append(window)
        window.show()
        self.qtbot.waitExposed(window)
        with self.qtbot.waitSignal(ready(window), timeout=timeout):
            window.start()
        return window

    def close_all(self) -> None:
        for window in self.opened:
            window.close()
            window.services.db.wait_idle()
            close_services(window.services)
            window.deleteLater()  # with its dialogs, now, on this thread (not in a later test's collection)
        i18n.install_language("id")  # the app installs its language for the whole process: the default again
