"""ProcessListModel: Qt model contract (qtmodeltester), lazy paged loading, LRU cache, resets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.ui.process_list_model import PROCESS_ID_ROLE, ProcessListModel
from odc_desktop.ui.workers import DbRunner, SyncDbRunner

pytestmark = pytest.mark.gui

WAIT_MS = 60_000  # an upper bound for a loaded machine; each wait ends as soon as its event happens

PREFIX = "ocds-a1b2c3"


def _new(i: int) -> NewProcess:
    return NewProcess(title=f"Paket uji nomor {i:04d}", opd_code=f"1.0{i % 3}", opd_name=f"Dinas {i % 3}",
                      year=2022 + i % 4, kode_rup=str(30_000_000 + i))


@pytest.fixture
def sql_repo(data_dir: Path):
    repo = SqlRepository.open(data_dir)
    repo.bulk_insert_processes([_new(i) for i in range(450)], PREFIX)
    first = repo.list_process_ids()[0]
    entry = repo.create_entry(first, Stage.PLANNING, "planning", 1, "hash", {"pagu": 1000})
    repo.set_local_status(entry.id, EntryStatus.READY)
    yield repo
    repo.close()


@pytest.fixture
def small_repo(tmp_path: Path):
    """A second, smaller store made process by process (each with its own write and audit record)."""
    repo = SqlRepository.open(tmp_path / "small")
    for i in range(300):
        repo.create_process(_new(i), PREFIX)
    yield repo
    repo.close()


@pytest.fixture
def db_runner(qapp, sql_repo):
    runner = DbRunner(sql_repo)
    yield runner
    runner.wait_idle()
    runner.shutdown()


@pytest.mark.parametrize("repo_fixture", ["sql_repo", "small_repo"])
def test_model_passes_qtmodeltester(request, qtmodeltester, repo_fixture):
    repo = request.getfixturevalue(repo_fixture)
    model = ProcessListModel(SyncDbRunner(repo), page_size=50)
    model.set_ids(repo.list_process_ids())
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == repo.count_processes()


def test_model_passes_qtmodeltester_while_rows_arrive_asynchronously(qtbot, qtmodeltester, sql_repo,
                                                                     db_runner):
    model = ProcessListModel(db_runner, page_size=100)
    model.set_ids(sql_repo.list_process_ids())
    qtmodeltester.check(model, force_py=True)
    with qtbot.waitSignal(model.rows_did_load, timeout=WAIT_MS):
        model.load_rows(0, 0)
    qtmodeltester.check(model, force_py=True)


def test_rows_show_placeholder_then_load_lazily_page_by_page(qtbot, sql_repo, db_runner):
    model = ProcessListModel(db_runner, page_size=100)
    ids = sql_repo.list_process_ids()
    model.set_ids(ids)
    assert model.index(0, 0).data() == "Memuat…"
    with qtbot.waitSignal(model.rows_did_load, timeout=WAIT_MS) as blocker:
        pass  # data() above asked for the first page
    assert blocker.args == [0, 99]
    newest = sql_repo.get_process_rows([ids[0]])[0]
    assert model.index(0, 0).data() == newest.title
    assert model.index(0, 4).data() == "Siap dikirim"
    assert model.index(0, 0).data(PROCESS_ID_ROLE) == ids[0]
    assert not model.is_row_loaded(100)
    assert model.index(250, 0).data() == "Memuat…"
    qtbot.waitUntil(lambda: model.is_row_loaded(250), timeout=WAIT_MS)
    assert model.index(250, 2).data() == str(sql_repo.get_process_rows([ids[250]])[0].year)
    assert not model.is_row_loaded(150)


def test_unstarted_stage_reads_belum_diisi(sql_repo):
    model = ProcessListModel(SyncDbRunner(sql_repo))
    ids = sql_repo.list_process_ids()
    model.set_ids(ids[-1:])
    assert model.index(0, 3).data() == "Perencanaan"
    assert model.index(0, 4).data() == "Belum diisi"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Nama paket"


def test_cache_keeps_only_the_most_recent_pages(sql_repo):
    model = ProcessListModel(SyncDbRunner(sql_repo), page_size=50, cached_pages=2)
    model.set_ids(sql_repo.list_process_ids())
    for row in (0, 60, 120):
        model.index(row, 0).data()
    assert [model.is_row_loaded(r) for r in (0, 60, 120)] == [False, True, True]
    model.index(0, 0).data()
    assert [model.is_row_loaded(r) for r in (0, 60, 120)] == [True, False, True]


def test_set_ids_resets_rows_and_ignores_pages_of_the_old_list(qtbot, sql_repo, db_runner):
    model = ProcessListModel(db_runner, page_size=100)
    ids = sql_repo.list_process_ids()
    model.set_ids(ids)
    model.load_rows(0, 0)  # request in flight for the old list; its answer is delivered after set_ids
    seen: list[tuple[list[int], str]] = []  # (signal args, row 0's title) when each page arrives
    model.rows_did_load.connect(lambda first, last: seen.append(([first, last], model.index(0, 0).data())))
    with qtbot.waitSignal(model.modelReset, timeout=WAIT_MS):
        model.set_ids(list(reversed(ids[:3])))
    assert model.rowCount() == 3
    model.load_rows(0, 0)
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    # The first page to arrive must be the new list's: the old one is dropped, not shown.
    assert seen[0] == ([0, 2], sql_repo.get_process(ids[2]).title)
    qtbot.waitUntil(lambda: model.index(0, 0).data() != "Memuat…", timeout=WAIT_MS)
    assert model.index(0, 0).data(PROCESS_ID_ROLE) == ids[2]
    assert model.index(0, 0).data() == sql_repo.get_process(ids[2]).title
    db_runner.settle()  # any page still queued for the GUI thread arrives now
    assert seen == [([0, 2], sql_repo.get_process(ids[2]).title)]
