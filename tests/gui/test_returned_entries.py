"""Returned entries as the operator meets them after sync (issue 9, item 2), in the real app: real
SQLite store, real threaded DB runner, real main window and form page.

An entry is returned the way sync does it: ready → queued → a receipt → the reviewer's "return"
decision with a note on the entry and notes on fields (workflow.apply_decision, as the sync engine
calls it). Then: the process is pinned at the top of the list whatever the order, tinted, with the
note; it opens at the returned stage, in the form version the entry was made with, the noted fields
highlighted with their notes; editing, marking ready and queueing send a new revision based on the
server's, and the process leaves the pinned group."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from odc_desktop import workflow
from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.form_registry import FormRegistry
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.ui.process_list_model import PROCESS_ID_ROLE, RETURNED_ROLE
from odc_sync.client.payloads import entry_payload
from tests.gui.app_windows import AppWindows
from tests.gui.form_driver import TIMEOUT_MS, type_into
from tests.unit.form_versions import planning_like_v1
from tests.unit.workflow_helpers import complete_draft, receipt_for

pytestmark = pytest.mark.gui

PREFIX = "ocds-a1b2c3"
RETURNED_TITLE = "Rehabilitasi Puskesmas Ngraho"
OTHERS = ["Pembangunan Jalan Desa Napis", "Pengadaan Bibit Padi"]
ENTRY_NOTE = "Pagu dan rincian tidak sesuai DPA 2024; perbaiki lalu kirim lagi."
NOTES = [(None, ENTRY_NOTE),
         ("planning/budget/amount/amount", "Pagu harus sama dengan DPA: Rp 1.250.000.000."),  # an OCDS path
         ("alasan_kebutuhan", "Sebutkan usulan Musrenbang yang mana.")]                        # a field id


def _seed(data_dir: Path) -> int:
    """Three processes; the returned one changed first (so every default order puts it last), with a
    planning entry returned by the reviewer and a tender draft (its current stage is the tender)."""
    repo, forms = SqlRepository.open(data_dir), load_form_set()
    try:
        def process(title: str, kode_rup: str) -> int:
            return repo.create_process(NewProcess(title=title, opd_code="1.03.01", opd_name="Dinas PU",
                                                  year=2024, kode_rup=kode_rup), PREFIX).id

        returned = process(RETURNED_TITLE, "41000001")
        entry = workflow.mark_ready(repo, forms, complete_draft(repo, forms, returned).id).entry
        entry = workflow.queue(repo, entry.id).entry
        entry = workflow.apply_receipt(repo, receipt_for(entry, revision=1)).entry
        workflow.apply_decision(repo, entry.id, "return", "verifikator.dpu", NOTES)
        workflow.save_draft(repo, forms, returned, Stage.TENDER, {"kode_tender": "10234567"})
        for number, title in enumerate(OTHERS, start=2):
            other = process(title, f"4100000{number}")
            workflow.save_draft(repo, forms, other, Stage.PLANNING, {"pagu": 150_000_000})
        return returned
    finally:
        repo.close()


@pytest.fixture
def make_window(qtbot, data_dir):
    """The real app on the seeded data folder, in ``lang``; closed at teardown."""
    windows = AppWindows(qtbot, data_dir)

    def make(lang: str = "id"):
        returned = _seed(data_dir)
        # A newer planning form arrives (same fields, no declared migration): the returned entry stays on 1.
        FormRegistry.open(data_dir).add(planning_like_v1(2))
        window = windows.open(lang, timeout=TIMEOUT_MS)
        window.returned_id = returned
        return window

    yield make
    windows.close_all()


@pytest.fixture
def window(make_window):
    return make_window()


def _titles(window) -> list[str]:
    model = window.list_page.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def _wait_loaded(qtbot, window) -> None:
    model = window.list_page.model
    qtbot.waitUntil(lambda: model.rowCount() == 3 and all(model.is_row_loaded(r) for r in range(3)),
                    timeout=TIMEOUT_MS)


def _wait_notes(qtbot, window) -> None:
    """The reviewers' notes are read after the list is painted: wait for the first pinned row's."""
    model = window.list_page.model
    qtbot.waitUntil(lambda: model.notes_text(model.index(0, 0).data(PROCESS_ID_ROLE)) != "", timeout=TIMEOUT_MS)


def _click_header(qtbot, window, column: int) -> None:
    header = window.list_page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    with qtbot.waitSignal(window.list_page.list_did_update, timeout=TIMEOUT_MS):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    _wait_loaded(qtbot, window)


def test_a_returned_process_is_pinned_at_the_top_with_the_reviewers_note(qtbot, qtmodeltester, window):
    _wait_loaded(qtbot, window)
    model, page = window.list_page.model, window.list_page
    assert _titles(window) == [RETURNED_TITLE, *reversed(OTHERS)]  # newest changes first, below the pin
    assert [model.index(r, 0).data(RETURNED_ROLE) for r in range(3)] == [True, False, False]
    # its current stage is the tender draft; the status tooltip names the returned planning entry
    assert [model.index(0, c).data() for c in (3, 4)] == ["Pemilihan", "Dikembalikan (Perencanaan) · sekarang Draf"]
    assert model.index(1, 4).data() == "Draf"  # a process with nothing returned shows its current status
    assert "Perencanaan: Dikembalikan" in model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    _wait_notes(qtbot, window)
    tooltip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Dikembalikan verifikator (Perencanaan):" in tooltip and ENTRY_NOTE in tooltip
    assert "verifikator.dpu" in tooltip and "2 catatan pada isian tertentu" in tooltip
    assert page.returned_banner.isVisible()
    assert page.returned_banner.text().startswith("1 paket berisi entri yang dikembalikan verifikator")
    qtmodeltester.check(model)
    # Whatever the order the operator asks for, the returned process stays first.
    _click_header(qtbot, window, 0)  # Nama paket A→Z: "Rehabilitasi" would come last
    assert _titles(window) == [RETURNED_TITLE, *OTHERS]
    _click_header(qtbot, window, 0)  # Z→A
    assert _titles(window)[0] == RETURNED_TITLE
    # The status filter "Draf" still finds it (its tender is a draft) and still pins it.
    with qtbot.waitSignal(page.list_did_update, timeout=TIMEOUT_MS):
        page.status.setCurrentIndex(page.status.findData(EntryStatus.DRAFT))
    assert _titles(window)[0] == RETURNED_TITLE and page.returned_banner.isVisible()


def test_the_returned_entry_opens_on_its_form_with_the_noted_fields_and_is_sent_again(qtbot, window):
    services = window.services
    assert services.forms.current(Stage.PLANNING).version == 2
    _wait_loaded(qtbot, window)
    window.list_page.table.setFocus()
    window.list_page.table.selectRow(0)
    qtbot.keyClick(window.list_page.table, Qt.Key.Key_Return)
    view = window.process_view
    qtbot.waitUntil(lambda: view.process is not None and view.current_stage is not None, timeout=TIMEOUT_MS)
    assert view.current_stage is Stage.PLANNING  # the returned stage, not the current (tender) one
    page = view.current_page()
    qtbot.waitUntil(page.is_loaded, timeout=TIMEOUT_MS)

    assert page.form.version == 1 and page.entry.form_version == 1  # the version it was made with
    assert page.entry.status == EntryStatus.RETURNED
    assert page.banners.notes.isVisible()
    banner = page.banners.notes.text()
    assert banner.splitlines() == [
        "Dikembalikan oleh verifikator. Perbaiki hal berikut, lalu tandai siap lagi:",
        f"• {ENTRY_NOTE} — verifikator.dpu",
        "• Pagu anggaran: Pagu harus sama dengan DPA: Rp 1.250.000.000. — verifikator.dpu",
        "• Alasan kebutuhan: Sebutkan usulan Musrenbang yang mana. — verifikator.dpu"]
    assert page.flagged_fields() == ["pagu", "alasan_kebutuhan"]
    pagu = page.editors["pagu"]
    assert pagu.property("reviewFlagged") is True
    assert pagu.review_note() == "Catatan verifikator: Pagu harus sama dengan DPA: Rp 1.250.000.000."
    assert page.editors["alasan_kebutuhan"].review_note() == "Catatan verifikator: Sebutkan usulan Musrenbang " \
                                                             "yang mana."
    assert page.editors["uraian_pekerjaan"].review_note() == "" and not page.editors["uraian_pekerjaan"].property(
        "reviewFlagged")
    assert page.current_step() == page._step_of(pagu)  # the first noted field is shown, cursor in it
    assert pagu.isVisible() and pagu.findChild(type(page.banners.notes), "reviewNote").isVisible()

    # Fix it: the entry becomes a draft (the notes stay while it is being fixed), then ready.
    alasan = page.editors["alasan_kebutuhan"]
    page.go_to_step(page._step_of(alasan))
    with qtbot.waitSignal(page.entry_status_did_change, timeout=TIMEOUT_MS) as moved:
        type_into(qtbot, alasan.edit, "Usulan Musrenbang Kecamatan Dander 2023 nomor 12: jalan rusak berat.")
        page.flush()
    assert moved.args[1] == EntryStatus.DRAFT.value
    assert page.flagged_fields() == ["pagu", "alasan_kebutuhan"] and page.banners.notes.isVisible()
    with qtbot.waitSignal(page.entry_status_did_change, timeout=TIMEOUT_MS) as moved:
        qtbot.mouseClick(page.ready_button, Qt.MouseButton.LeftButton)
    assert moved.args[1] == EntryStatus.READY.value, page.save_label.text()

    # Queue it (what `odc submit` and sync do): a new revision based on the server's.
    entry_id = page.entry.id
    with qtbot.waitSignal(window.list_page.list_did_update, timeout=TIMEOUT_MS):  # it leaves the pin
        queued = services.db.run(lambda repo: workflow.queue(repo, entry_id).entry).result(timeout=60)
    payload = services.db.run(lambda repo: entry_payload(repo, queued)).result(timeout=60)
    assert queued.status == EntryStatus.QUEUED and queued.revision == 1 and queued.form_version == 1
    assert (payload["revision"], payload["base_revision"]) == (2, 1)
    assert payload["form"]["version"] == 1
    assert payload["data"]["alasan_kebutuhan"].startswith("Usulan Musrenbang Kecamatan Dander 2023 nomor 12")
    assert [window.list_page.model.index(r, 0).data(RETURNED_ROLE) for r in range(3)] == [False] * 3
    assert window.list_page.returned_banner.isHidden()


def test_the_operator_reads_it_in_english_too(qtbot, make_window):
    window = make_window("en")
    _wait_loaded(qtbot, window)
    model = window.list_page.model
    _wait_notes(qtbot, window)
    tooltip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Returned by the reviewer (Planning):" in tooltip and "• 2 notes on fields" in tooltip
    assert model.index(0, 4).data() == "Returned (Planning) · now Draft"
    assert window.list_page.returned_banner.text().startswith("1 process holds an entry returned by the reviewer")
    window.list_page.table.setFocus()
    window.list_page.table.selectRow(0)
    qtbot.keyClick(window.list_page.table, Qt.Key.Key_Return)
    view = window.process_view
    qtbot.waitUntil(lambda: view.current_page() is not None and view.current_page().is_loaded(), timeout=TIMEOUT_MS)
    note = view.current_page().editors["pagu"].review_note()
    assert note == "Reviewer's note: Pagu harus sama dengan DPA: Rp 1.250.000.000."  # the reviewer's own words
