"""The process list as a Qt table model that holds ids only and fetches rows lazily, a page at a time.

Rows come from ``repo.get_process_rows`` on the DB runner, so the GUI thread never waits for SQLite;
until a page arrives its cells read "Memuat…". Pages are kept in a small LRU cache.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from odc_desktop.domain.model import ProcessOrder, ProcessRow, ReviewNote, SortKey
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.workers import DbRunner, SyncDbRunner

#: Role that returns the process id of a row.
PROCESS_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role that returns True for a row pinned at the top because a reviewer returned one of its entries.
RETURNED_ROLE = Qt.ItemDataRole.UserRole + 2
#: Background of the pinned (returned) rows.
RETURNED_BACKGROUND = "#fde7e9"

STATUS_COLOURS: dict[EntryStatus | None, str] = {
    None: "#6b7280",
    EntryStatus.DRAFT: "#b45309",
    EntryStatus.READY: "#1d4ed8",
    EntryStatus.QUEUED: "#7c3aed",
    EntryStatus.SUBMITTED: "#0f766e",
    EntryStatus.APPROVED: "#15803d",
    EntryStatus.RETURNED: "#b91c1c",
    EntryStatus.REJECTED_BY_SERVER: "#b91c1c",
}


def status_text(status: EntryStatus | None, lang: str) -> str:
    """Label of an entry status, or "Belum diisi" when the stage has no entry yet."""
    if status is not None:
        return status.title(lang)
    return QCoreApplication.translate("ProcessListModel", "Belum diisi")


class ProcessListModel(QAbstractTableModel):
    """Table of processes: columns Nama paket, OPD, Tahun, Tahap, Status, Diperbarui.

    The first :attr:`returned` rows are the processes with an entry a reviewer returned (pinned at
    the top by the page, see :mod:`returned_entries`): tinted, with the reviewer's notes as the
    tooltip of their name.

    Sorting (a click on a column header) is done by the database, which holds the rows: the model
    only records the asked-for :attr:`order` and says so; the page then asks for the ids again.

    Signals:
        rows_did_load(first, last): rows ``first..last`` arrived from the database (GUI thread).
        order_did_change(): the operator asked for another order (see :attr:`order`).
    """

    rows_did_load = Signal(int, int)
    order_did_change = Signal()

    #: The order each column sorts by.
    COLUMN_KEYS = (SortKey.TITLE, SortKey.OPD, SortKey.YEAR, SortKey.STAGE, SortKey.STATUS, SortKey.UPDATED)

    COLUMNS = (QT_TRANSLATE_NOOP("ProcessListModel", "Nama paket"), QT_TRANSLATE_NOOP("ProcessListModel", "OPD"),
               QT_TRANSLATE_NOOP("ProcessListModel", "Tahun"), QT_TRANSLATE_NOOP("ProcessListModel", "Tahap"),
               QT_TRANSLATE_NOOP("ProcessListModel", "Status"),
               QT_TRANSLATE_NOOP("ProcessListModel", "Diperbarui"))

    def __init__(self, db: DbRunner | SyncDbRunner, lang: str = "id", page_size: int = 200,
                 cached_pages: int = 20, parent: QObject | None = None):
        super().__init__(parent)
        self._db = db
        self._lang = lang
        self._page_size = page_size
        self._cached_pages = cached_pages
        self._ids: list[int] = []
        self._pages: collections.OrderedDict[int, list[ProcessRow | None]] = collections.OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self.order = ProcessOrder()
        self.returned = 0
        self._notes: dict[int, list[tuple[Stage, list[ReviewNote]]]] = {}

    # public API ------------------------------------------------------------------------------
    def set_ids(self, ids: list[int], returned: int = 0) -> None:
        """Show exactly these processes, in this order; cached rows are dropped. The first ``returned``
        are pinned (a reviewer returned an entry of theirs)."""
        self.beginResetModel()
        self._ids = list(ids)
        self.returned = min(returned, len(self._ids))
        self._notes = {}
        self._pages.clear()
        self._pending.clear()
        self._generation += 1
        self.endResetModel()

    def row_of(self, process_id: int) -> int:
        """The row showing ``process_id``, or -1."""
        try:
            return self._ids.index(process_id)
        except ValueError:
            return -1

    def set_notes(self, notes: dict[int, list[tuple[Stage, list[ReviewNote]]]]) -> None:
        """The reviewers' notes of the pinned processes (their names' tooltips)."""
        self._notes = dict(notes)
        if self.returned:
            self.dataChanged.emit(self.index(0, 0), self.index(self.returned - 1, 0),
                                  [Qt.ItemDataRole.ToolTipRole])

    def shown_ids(self) -> list[int]:
        """The processes the list shows, in order."""
        return list(self._ids)

    def pinned_ids(self) -> set[int]:
        """The processes pinned at the top."""
        return set(self._ids[:self.returned])

    def is_row_loaded(self, row: int) -> bool:
        return row // self._page_size in self._pages

    def load_rows(self, first: int, last: int) -> None:
        """Ask for the pages covering rows ``first..last`` (e.g. the visible ones)."""
        if not self._ids:
            return
        first, last = max(first, 0), min(last, len(self._ids) - 1)
        for page in range(first // self._page_size, last // self._page_size + 1):
            self._request_page(page)

    def refresh(self) -> None:
        """Drop cached rows (data changed elsewhere) and let the view ask for them again."""
        self._pages.clear()
        self._pending.clear()
        self._generation += 1
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.COLUMNS) - 1))

    def refresh_processes(self, process_ids: Iterable[int]) -> None:
        """Re-read the cached rows of these processes (they changed); other rows and the order stay.

        Rows not cached are read fresh when they are next shown anyway.
        """
        changed = set(process_ids)
        stale = [(page, offset, row.id) for page, rows in self._pages.items()
                 for offset, row in enumerate(rows) if row is not None and row.id in changed]
        if not stale:
            return
        generation = self._generation
        self._db.run(lambda repo: repo.get_process_rows([pid for _, _, pid in stale]),
                     lambda rows: self._rows_did_refresh(generation, stale, rows))

    def column_of(self, order: ProcessOrder) -> int:
        """The column that sorts by ``order.key``."""
        return self.COLUMN_KEYS.index(SortKey(order.key))

    # Qt model API ----------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMN_KEYS):
            return
        wanted = ProcessOrder(self.COLUMN_KEYS[column], order == Qt.SortOrder.DescendingOrder)
        if wanted != self.order:
            self.order = wanted
            self.order_did_change.emit()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.COLUMNS):
                return QCoreApplication.translate("ProcessListModel", self.COLUMNS[section])
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == PROCESS_ID_ROLE:
            return self._ids[index.row()]
        if role == RETURNED_ROLE:
            return index.row() < self.returned
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(RETURNED_BACKGROUND) if index.row() < self.returned else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.ForegroundRole):
            return None
        row = self._cached_row(index.row())
        if row is None:
            loading = not self.is_row_loaded(index.row())
            if loading and role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return QCoreApplication.translate("ProcessListModel", "Memuat…")
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if index.column() == 4:
                shown = EntryStatus.RETURNED if _returned_elsewhere(row) else row.stage_statuses.get(row.current_stage)
                return QColor(STATUS_COLOURS[shown])
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 1:
                return row.opd_name  # long OPD names are elided in their column
            if index.column() == 4:
                return self._stage_statuses_text(row)
            if index.column() == 0:
                notes = self._notes_text(row.id)
                return f"{row.title}\n{row.ocid}" + (f"\n\n{notes}" if notes else "")
            return None
        return self._cell_text(row, index.column())

    def notes_text(self, process_id: int) -> str:
        """The reviewers' notes of a pinned process, one stage after another ("" when none)."""
        return self._notes_text(process_id)

    # internals -------------------------------------------------------------------------------
    def _cell_text(self, row: ProcessRow, column: int) -> str:
        if column == 0:
            return row.title
        if column == 1:
            return row.opd_name
        if column == 2:
            return str(row.year)
        if column == 3:
            return row.current_stage.title(self._lang)
        if column == 4:
            current = status_text(row.stage_statuses.get(row.current_stage), self._lang)
            returned = _returned_elsewhere(row)
            if returned:  # a returned entry of an earlier stage matters more than the current draft
                return with_args(QCoreApplication.translate("ProcessListModel", "%1 (%2) · sekarang %3"),
                                 EntryStatus.RETURNED.title(self._lang),
                                 ", ".join(stage.title(self._lang) for stage in returned), current)
            return current
        return row.updated_at[:16].replace("T", " ")

    def _notes_text(self, process_id: int) -> str:
        stages = self._notes.get(process_id)
        if not stages:
            return ""
        lines = []
        for stage, notes in stages:
            lines.append(with_args(QCoreApplication.translate("ProcessListModel", "Dikembalikan verifikator (%1):"),
                                   stage.title(self._lang)))
            lines += [f"• {note.text} — {note.author}" for note in notes if note.field_id is None]
            fields = sum(1 for note in notes if note.field_id is not None)
            if fields:
                lines.append(QCoreApplication.translate("ProcessListModel", "• %Ln catatan pada isian tertentu",
                                                        "", fields))
        return "\n".join(lines)

    def _stage_statuses_text(self, row: ProcessRow) -> str | None:
        """Every started stage with its status, one per line: the column shows the current stage's
        only, while the status filter finds a process by any of its stages."""
        if len(row.stage_statuses) < 2:
            return None
        stages = sorted(row.stage_statuses, key=lambda stage: stage.order)
        return "\n".join(f"{stage.title(self._lang)}: {row.stage_statuses[stage].title(self._lang)}"
                         for stage in stages)

    def _cached_row(self, row: int) -> ProcessRow | None:
        page = row // self._page_size
        rows = self._pages.get(page)
        if rows is None:
            self._request_page(page)
            rows = self._pages.get(page)  # a SyncDbRunner has filled it already
            if rows is None:
                return None
        self._pages.move_to_end(page)
        return rows[row - page * self._page_size]

    def _request_page(self, page: int) -> None:
        if page in self._pages or page in self._pending:
            return
        ids = self._ids[page * self._page_size:(page + 1) * self._page_size]
        generation = self._generation
        self._pending.add(page)
        self._db.run(lambda repo: repo.get_process_rows(ids),
                     lambda rows: self._page_did_arrive(generation, page, ids, rows),
                     lambda exc: self._page_did_fail(page, exc))

    def _page_did_arrive(self, generation: int, page: int, ids: list[int],
                         rows: list[ProcessRow]) -> None:
        if generation != self._generation:
            return  # the list changed while this page was loading
        self._pending.discard(page)
        self._store_page(page, ids, rows)
        first = page * self._page_size
        last = first + len(ids) - 1
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.COLUMNS) - 1))
        self.rows_did_load.emit(first, last)

    def _page_did_fail(self, page: int, exc: BaseException) -> None:
        self._pending.discard(page)  # asked again when the view next needs the rows
        self._db.report_failure(exc)

    def _rows_did_refresh(self, generation: int, stale: list[tuple[int, int, int]],
                          rows: list[ProcessRow]) -> None:
        if generation != self._generation:
            return  # the list was replaced or dropped meanwhile: its rows are read again anyway
        by_id = {r.id: r for r in rows}
        for page, offset, process_id in stale:
            cached = self._pages.get(page)
            if cached is None or process_id not in by_id:
                continue
            cached[offset] = by_id[process_id]
            row = page * self._page_size + offset
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def _store_page(self, page: int, ids: list[int], rows: list[ProcessRow]) -> None:
        by_id = {r.id: r for r in rows}
        # A process deleted meanwhile leaves an empty row rather than shifting every row below it.
        self._pages[page] = [by_id.get(i) for i in ids]
        while len(self._pages) > self._cached_pages:
            self._pages.popitem(last=False)


def _returned_elsewhere(row: ProcessRow) -> list[Stage]:
    """The stages other than the current one whose entry a reviewer returned (in SOP order)."""
    return sorted((stage for stage, status in row.stage_statuses.items()
                   if status == EntryStatus.RETURNED and stage != row.current_stage), key=lambda stage: stage.order)
