"""The first page of the main window: search field, filters, the process table and its count."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from odc_desktop.changes import Changes
from odc_desktop.domain.forms.definition import text_in
from odc_desktop.domain.model import ProcessFilter
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.ui.process_list_model import PROCESS_ID_ROLE, RETURNED_BACKGROUND, ProcessListModel
from odc_desktop.ui.returned_entries import ProcessList, has_returned, list_job, notes_job
from odc_desktop.ui.services import Services

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 150
COLUMN_WIDTHS = (None, 210, 60, 130, 110, 125)  # None: stretches; at 1024 pixels the name keeps ~350


class ProcessListPage(QWidget):
    """Searchable, filterable list of processes. Processes with an entry a reviewer returned come
    first, whatever the order chosen (a banner above the table says so; see :mod:`returned_entries`).

    Signals:
        process_activated(process_id): the operator opened a process (Enter or double click).
        list_did_update(count): the table now shows the result of the latest search/filters, its
            first rows loaded and painted (so work queued from here cannot delay them).
        notes_did_load(): the reviewers' notes of the pinned (returned) processes arrived.
    """

    process_activated = Signal(int)
    list_did_update = Signal(int)
    notes_did_load = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self._request = 0
        self._unshown_count: int | None = None  # size of a new result whose first rows are on the way
        self.model = ProcessListModel(services.db, services.lang, parent=self)
        self.model.rows_did_load.connect(self._rows_did_load)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.reload)
        self._build()
        self._fill_static_filters()
        services.changes.store_did_change.connect(self._store_did_change)

    # construction ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit(self, clearButtonEnabled=True)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Cari nama paket, kode RUP atau OPD…"))
        self.search.setMinimumWidth(150)  # keeps the placeholder readable on narrow screens
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self._focus_table)
        self.opd = QComboBox(self, objectName="filter_opd", minimumContentsLength=10)
        self.year = QComboBox(self, objectName="filter_year", minimumContentsLength=8)
        self.stage = QComboBox(self, objectName="filter_stage", minimumContentsLength=8)
        self.status = QComboBox(self, objectName="filter_status", minimumContentsLength=8)
        for combo in (self.opd, self.year, self.stage, self.status):
            # Long entries ("Ditolak server", OPD names) must not widen the window past 1024 pixels.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(lambda _i: self.reload())

        filters = QHBoxLayout()
        filters.setSpacing(8)
        search_label = QLabel(self.tr("&Cari:"), self)
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 3)
        for text, combo in ((self.tr("&OPD:"), self.opd), (self.tr("&Tahun:"), self.year),
                            (self.tr("Ta&hap:"), self.stage), (self.tr("&Status:"), self.status)):
            label = QLabel(text, self)
            label.setBuddy(combo)
            filters.addSpacing(6)
            filters.addWidget(label)
            filters.addWidget(combo, 1 if combo is self.opd else 0)

        self.table = QTableView(self, objectName="process_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate(COLUMN_WIDTHS):
            if width is None:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.resizeSection(column, width)
        self.table.activated.connect(self._on_activated)
        # Sorted by the database (see ProcessListModel.sort); newest changes first until asked.
        header.setSortIndicator(self.model.column_of(self.model.order), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.model.order_did_change.connect(self.reload)

        # Shown instead of the table when no process matches, saying what to do next.
        self.empty_hint = QLabel(self, objectName="empty_hint", wordWrap=True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setStyleSheet("color: #4b5563; font-size: 11pt; padding: 24px;")
        self.list_area = QStackedWidget(self)
        self.list_area.addWidget(self.table)
        self.list_area.addWidget(self.empty_hint)

        self.count = QLabel(self, objectName="process_count")
        self.returned_banner = QLabel(self, objectName="returned_banner", wordWrap=True)
        self.returned_banner.setStyleSheet(f"background: {RETURNED_BACKGROUND}; border: 1px solid #d9a0a6; "
                                           "padding: 4px 6px;")
        self.returned_banner.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(filters)
        layout.addWidget(self.returned_banner)
        layout.addWidget(self.list_area, 1)
        layout.addWidget(self.count)
        self.setTabOrder(self.search, self.opd)
        self.setTabOrder(self.opd, self.year)
        self.setTabOrder(self.year, self.stage)
        self.setTabOrder(self.stage, self.status)
        self.setTabOrder(self.status, self.table)

    def _fill_static_filters(self) -> None:
        lang = self._services.lang
        combos: list[tuple[QComboBox, str, list[tuple[str, Any]]]] = [
            (self.opd, self.tr("Semua OPD"), self._opd_items()),
            (self.stage, self.tr("Semua tahap"), [(s.title(lang), s) for s in Stage]),
            (self.status, self.tr("Semua status"), [(s.title(lang), s) for s in EntryStatus]),
            (self.year, self.tr("Semua tahun"), []),
        ]
        for combo, any_text, items in combos:
            combo.blockSignals(True)
            combo.addItem(any_text, None)
            for text, value in items:
                combo.addItem(text, value)
            combo.blockSignals(False)

    def _opd_items(self) -> list[tuple[str, Any]]:
        codelist = self._services.forms.codelists.get("opd")
        if codelist is None:
            return []
        return [(text_in(item.label, self._services.lang), item.code) for item in codelist.items]

    # behaviour -------------------------------------------------------------------------------
    def current_filter(self) -> ProcessFilter:
        """The filter the widgets describe right now."""
        return ProcessFilter(text=self.search.text().strip(), opd_code=self.opd.currentData(),
                             year=self.year.currentData(), stage=self.stage.currentData(),
                             status=self.status.currentData())

    def reload(self) -> None:
        """Query the ids matching the current filter on the DB runner; the newest request wins."""
        self._debounce.stop()
        self._request += 1
        request, flt, order = self._request, self.current_filter(), self.model.order
        self._services.db.run(list_job(flt, order), lambda found: self._ids_did_arrive(request, found))

    def load_years(self) -> None:
        """Fill the year filter with the years that have processes (asynchronously)."""
        self._services.db.run(lambda repo: repo.list_years(), self._years_did_arrive)

    def _years_did_arrive(self, years: list[int]) -> None:
        current = self.year.currentData()
        self.year.blockSignals(True)
        while self.year.count() > 1:
            self.year.removeItem(1)
        for year in sorted(years, reverse=True):
            self.year.addItem(str(year), year)
        self.year.setCurrentIndex(max(self.year.findData(current), 0))
        self.year.blockSignals(False)

    def _ids_did_arrive(self, request: int, found: ProcessList) -> None:
        if request != self._request:
            return  # a newer search is already running
        ids = found.ids
        self.model.set_ids(ids, found.returned)
        self._show_returned_banner(found.returned)
        if found.returned:
            self._services.db.run(notes_job(ids[:found.returned]),
                                  lambda notes: self._notes_did_arrive(request, notes))
        self.count.setText(self.tr("%Ln paket", "", len(ids)))
        self._show_empty_hint(not ids)
        if not ids:
            self._unshown_count = None
            self.list_did_update.emit(0)
            return
        self._unshown_count = len(ids)  # reported by _rows_did_load once the first page is in
        self.table.selectRow(0)
        self.model.load_rows(0, 0)  # the first page: now, not at the view's next paint

    def _store_did_change(self, changes: Changes) -> None:
        """A new process (or a bulk change) is searched for again; changed rows are re-read in place,
        so a row the operator is looking at does not jump away."""
        if changes.created_process_ids or changes.many_processes:
            self.reload()
            self.load_years()
        else:
            self.model.refresh_processes(changes.process_ids)
            self._repin_if_returned_changed(changes.process_ids)

    def _repin_if_returned_changed(self, process_ids: frozenset[int]) -> None:
        """Search again when a process was returned (a decision arrived) or is no longer returned, so
        the pinned group at the top stays true; other changes leave the rows where they are."""
        if not process_ids:
            return
        asked = list(process_ids)
        self._services.db.run(lambda repo: repo.get_process_rows(asked), self._rows_to_repin_did_arrive)

    def _rows_to_repin_did_arrive(self, rows: list) -> None:
        pinned = self.model.pinned_ids()
        shown = set(self.model.shown_ids())
        if any(has_returned(row) != (row.id in pinned) for row in rows if row.id in shown):
            self.reload()

    def _notes_did_arrive(self, request: int, notes: dict) -> None:
        if request == self._request:
            self.model.set_notes(notes)
            self.notes_did_load.emit()

    def _show_returned_banner(self, returned: int) -> None:
        if returned:
            self.returned_banner.setText(self.tr(
                "%Ln paket berisi entri yang dikembalikan verifikator dan ditampilkan paling atas, apa pun "
                "urutannya. Buka paketnya untuk melihat catatan verifikator, perbaiki, lalu tandai siap lagi.",
                "", returned))
        self.returned_banner.setVisible(bool(returned))

    def _show_empty_hint(self, empty: bool) -> None:
        if empty:
            if self.current_filter() == ProcessFilter():
                text = self.tr("Belum ada paket pengadaan di komputer ini.\nPilih \"Paket baru\" (Ctrl+N) "
                               "untuk mulai mengisi.")
            else:
                text = self.tr("Tidak ada paket yang cocok. Ubah kata pencarian atau penyaring.")
            self.empty_hint.setText(text)
        self.list_area.setCurrentWidget(self.empty_hint if empty else self.table)

    def _rows_did_load(self, first: int, _last: int) -> None:
        if first != 0 or self._unshown_count is None:
            return
        count, self._unshown_count = self._unshown_count, None
        # Paint the first rows now: Qt would paint at low priority, after whatever the receivers
        # of list_did_update queue (the main window starts slower database work from there).
        # The table, not table.viewport(): a first QWidget handed to Python costs PySide ~5 ms.
        self.table.repaint()
        self.list_did_update.emit(count)

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_activated(self, index: QModelIndex) -> None:
        process_id = index.data(PROCESS_ID_ROLE)
        if process_id is not None:
            self.process_activated.emit(int(process_id))