"""SQLAlchemy and our table objects, imported on first use rather than when the storage is imported.

Importing SQLAlchemy takes about 0.2 s, longer than opening a 100,000-process store and reading the
first rows of its list. The store is opened and the list is read with plain ``sqlite3``
(:mod:`odc_desktop.storage.list_queries`), so the SQLAlchemy code of the repository refers to
``sa.select``/``t.processes`` through these stand-ins: the real modules load the first time an
attribute is read (the first write, or :meth:`SqlRepository.warm_up` once the window is up).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands in for the module ``name``; the first attribute read imports it (thread-safe: the
    import system's own lock), later reads go straight to the module."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<LazyModule {self._name!r} ({state})>"


#: The ``sqlalchemy`` package.
sa = LazyModule("sqlalchemy")
#: :mod:`odc_desktop.storage.tables` (which imports SQLAlchemy).
tables = LazyModule("odc_desktop.storage.tables")
