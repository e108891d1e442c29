"""Bulk work (reading an import's files, storing its rows) with Python's cyclic garbage collector paused.

Each collection walks every live object, and reading 20,000 rows builds enough objects to trigger
hundreds of them while the import's own data (held until it is stored) only grows: with collection
paused, reading took about 35 % less CPU time (``bench/import.py``, docs/benchmarks.md). The data
built is plain (dicts, lists, dataclasses without reference cycles), freed by reference counting as
usual; only cycles wait, until the last bulk job ends and collection resumes. Nested and concurrent
uses (the app's file and database threads) share one count.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_resume = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with cyclic garbage collection paused (resumed when the last such block ends,
    unless it was off before the first)."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
