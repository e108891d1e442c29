"""Python's cyclic garbage collector runs on the GUI thread while background runners exist.

A Python-owned Qt object is destroyed by whichever thread runs the collector that frees it; destroyed
on a worker thread, Qt crashes. So while any runner (:mod:`odc_desktop.ui.workers`) has a thread,
automatic collection is off and a GUI-thread timer collects instead, generation by generation, when
the allocation counts pass the usual thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

GC_INTERVAL_MS = 500


class _GuiThreadGarbageCollector(QObject):
    """Runs Python's cyclic garbage collector from a GUI-thread timer, generation by generation,
    when the allocation counts pass the usual thresholds (automatic collection is switched off)."""

    def __init__(self, app: QCoreApplication):
        super().__init__(app)
        self._timer = QTimer(self)
        self._timer.timeout.connect(collect_garbage_if_due)
        self._timer.start(GC_INTERVAL_MS)


def collect_garbage_if_due() -> None:
    """Collect the oldest generation whose allocation count passed its threshold (if any)."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = [gen for gen in range(3) if counts[gen] > thresholds[gen]]
    if due:
        gc.collect(max(due))


_collector: _GuiThreadGarbageCollector | None = None
_live_runners = 0


def runner_did_start() -> None:
    """While a runner thread exists, cyclic garbage (and the Qt objects in it) is collected only on
    the GUI thread: automatic collection off, a GUI-thread timer (made once) collecting instead."""
    global _collector, _live_runners
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        raise RuntimeError("a background runner must be made on the GUI thread of an application")
    if _collector is None:
        _collector = _GuiThreadGarbageCollector(app)
    gc.disable()
    _live_runners += 1


def runner_did_stop() -> None:
    """With no runner thread left, automatic collection is safe again (only this thread runs Python)."""
    global _live_runners
    _live_runners -= 1
    if _live_runners == 0:
        gc.enable()
