"""The change channel as a Qt signal: views connect here to learn what changed in the store.

:class:`~odc_desktop.changes.ChangeChannel` is Qt-free and calls its subscribers on the thread that
published (the database runner publishes on the GUI thread; sync, later, on its own). This adapter
re-emits each publish as :attr:`ChangeSignals.store_did_change`; a slot of a widget (a QObject living
on the GUI thread) connected to it runs on the GUI thread whichever thread published.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from odc_desktop.changes import ChangeChannel, Changes


class ChangeSignals(QObject):
    """Qt face of a :class:`ChangeChannel`; make it on the GUI thread and :meth:`close` it with the store.

    Signals:
        store_did_change(changes): processes or entries changed (an
            :class:`~odc_desktop.changes.Changes`); connect bound methods of widgets, not lambdas,
            so that a publish from another thread is queued to the GUI thread.
    """

    store_did_change = Signal(object)

    def __init__(self, channel: ChangeChannel, parent: QObject | None = None):
        super().__init__(parent)
        self.channel = channel
        self._unsubscribe = channel.subscribe(self._publish)

    def _publish(self, changes: Changes) -> None:
        self.store_did_change.emit(changes)

    def close(self) -> None:
        """Stop listening to the channel (the store is closing). Idempotent."""
        self._unsubscribe()
