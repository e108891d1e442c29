"""The process list's status column on processes whose stages differ (issue 7, "What must be shown"):
the column shows the status of the current (latest started) stage's entry, in its colour; its tooltip
lists every started stage; the status order follows the same current status; the status filter finds
a process by any stage, which the tooltip makes visible. Real SQLite store, real Qt model."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from odc_desktop.domain.model import NewProcess, ProcessFilter, ProcessOrder, SortKey
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.sql import SqlRepository
from tests.status_path import advance
from odc_desktop.ui.process_list_model import STATUS_COLOURS, ProcessListModel
from odc_desktop.ui.workers import SyncDbRunner

pytestmark = pytest.mark.gui

PREFIX = "ocds-a1b2c3"
E = EntryStatus
PATHS = {E.DRAFT: [], E.READY: [E.READY], E.APPROVED: [E.READY, E.QUEUED, E.SUBMITTED, E.APPROVED],
         E.RETURNED: [E.READY, E.QUEUED, E.SUBMITTED, E.RETURNED]}
#: Title → the status of each started stage.
PROCESSES = {
    "Jalan Desa Napis": {Stage.PLANNING: E.APPROVED, Stage.TENDER: E.DRAFT},
    "Puskesmas Ngraho": {Stage.PLANNING: E.READY},
    "Jembatan Kauman": {Stage.PLANNING: E.APPROVED, Stage.TENDER: E.APPROVED, Stage.AWARD: E.RETURNED},
    "Bibit Padi": {},
}


@pytest.fixture
def repo(data_dir):
    repo = SqlRepository.open(data_dir)
    for number, (title, stages) in enumerate(PROCESSES.items()):
        process = repo.create_process(NewProcess(title=title, opd_code="1.01", opd_name="Dinas PU", year=2024,
                                                 kode_rup=str(41_000_000 + number)), PREFIX)
        for stage, status in stages.items():
            entry = repo.create_entry(process.id, stage, stage.value, 1, "hash", {})
            advance(repo, entry.id, *PATHS[status])
    yield repo
    repo.close()


def _cells(model: ProcessListModel, column: int, role=Qt.ItemDataRole.DisplayRole) -> dict[str, object]:
    return {model.index(r, 0).data(): model.index(r, column).data(role) for r in range(model.rowCount())}


def test_the_status_column_shows_the_current_stage_and_its_tooltip_every_stage(qtbot, qtmodeltester, repo):
    model = ProcessListModel(SyncDbRunner(repo), "id")
    model.set_ids(repo.list_process_ids())
    qtmodeltester.check(model)
    assert _cells(model, 3) == {"Jalan Desa Napis": "Pemilihan", "Puskesmas Ngraho": "Perencanaan",
                                "Jembatan Kauman": "Penetapan pemenang", "Bibit Padi": "Perencanaan"}
    assert _cells(model, 4) == {"Jalan Desa Napis": "Draf", "Puskesmas Ngraho": "Siap dikirim",
                                "Jembatan Kauman": "Dikembalikan", "Bibit Padi": "Belum diisi"}
    colours = _cells(model, 4, Qt.ItemDataRole.ForegroundRole)
    assert colours["Jalan Desa Napis"].name() == STATUS_COLOURS[E.DRAFT].lower()
    assert colours["Jembatan Kauman"].name() == STATUS_COLOURS[E.RETURNED].lower()
    tips = _cells(model, 4, Qt.ItemDataRole.ToolTipRole)
    assert tips["Jalan Desa Napis"] == "Perencanaan: Disetujui\nPemilihan: Draf"
    assert tips["Jembatan Kauman"] == ("Perencanaan: Disetujui\nPemilihan: Disetujui\n"
                                       "Penetapan pemenang: Dikembalikan")
    assert tips["Puskesmas Ngraho"] is None and tips["Bibit Padi"] is None  # one stage: the cell says it


def test_the_status_column_in_english(qtbot, repo):
    model = ProcessListModel(SyncDbRunner(repo), "en")
    model.set_ids(repo.list_process_ids())
    assert _cells(model, 4)["Jalan Desa Napis"] == "Draft"
    assert _cells(model, 4, Qt.ItemDataRole.ToolTipRole)["Jalan Desa Napis"] == "Planning: Approved\nTender: Draft"


def test_the_status_order_follows_the_current_stage_and_the_filter_any_stage(repo):
    titles = {p: repo.get_process(p).title for p in repo.list_process_ids()}
    ordered = [titles[p] for p in repo.list_process_ids(order=ProcessOrder(SortKey.STATUS, False))]
    assert ordered == ["Bibit Padi", "Jalan Desa Napis", "Puskesmas Ngraho", "Jembatan Kauman"]
    approved = {titles[p] for p in repo.list_process_ids(ProcessFilter(status=E.APPROVED))}
    assert approved == {"Jalan Desa Napis", "Jembatan Kauman"}  # an approved earlier stage counts
    drafts = {titles[p] for p in repo.list_process_ids(ProcessFilter(status=E.DRAFT))}
    assert drafts == {"Jalan Desa Napis"}
