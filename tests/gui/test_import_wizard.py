"""The import wizard end to end on a real store with the real background runners: an ISB file and a
progress CSV chosen, the guessed mapping accepted, the preview's counts, drafts with their source
written; a second run finds everything unchanged and the mapping saved (no mapping page)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from odc_desktop.app import close_services, create_services
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.common import ocid_for_kode_rup
from odc_desktop.ui import i18n
from odc_desktop.ui.import_wizard import ImportWizard
from tests.gui.form_driver import TIMEOUT_MS

pytestmark = pytest.mark.gui

ISB = Path(__file__).resolve().parents[1] / "data" / "isb" / "21_1018_RUP-PaketPenyedia-Terumumkan.json"
KODE = "53605662"


def _progress_csv(path: Path) -> Path:
    text = ("LAPORAN PROGRES PEKERJAAN;;;;;\r\n"
            "Kode RUP;Tanggal;% Fisik;% Keuangan;Nilai Bayar;Keterangan\r\n"
            f"{KODE};17/08/2026;62,5;40;Rp 1.234.567,89;Pengecoran selesai\r\n"
            ";;;;;\r\n"
            "99999999;18/08/2026;10;5;;\r\n"
            f"{KODE};31/13/2026;70;50;;\r\n")
    path.write_bytes(text.encode("cp1252"))
    return path


@pytest.fixture
def services(data_dir, qapp):
    i18n.install_language("id")  # an earlier test may have left another language installed
    services = create_services(data_dir, "id", sync=False)
    yield services
    close_services(services)


def _run(qtbot, services, files: list[Path], expect_mapping: bool) -> ImportWizard:
    wizard = ImportWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.files_page.add_paths(files)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()
    if expect_mapping:
        qtbot.waitUntil(lambda: wizard.currentId() == wizard.MAPPING, timeout=TIMEOUT_MS)
        assert len(wizard.mapping_page.forms) == 1
        with qtbot.waitSignal(wizard.preview_did_finish, timeout=TIMEOUT_MS):
            next_button.click()
    else:
        with qtbot.waitSignal(wizard.preview_did_finish, timeout=TIMEOUT_MS):
            qtbot.waitUntil(lambda: wizard.currentId() == wizard.PREVIEW, timeout=TIMEOUT_MS)
    return wizard


def test_the_wizard_imports_drafts_with_their_source_and_a_second_run_changes_nothing(qtbot, services, tmp_path):
    csv_file = _progress_csv(tmp_path / "progres.csv")
    wizard = _run(qtbot, services, [ISB, csv_file], expect_mapping=True)
    counts = wizard.previewed.preview.counts()
    assert counts["new"] == 26 and counts["updated"] == counts["unchanged"] == 0  # 25 packages + 1 progress
    reasons = [wizard.preview_page.problems.item(r, 2).text() for r in range(wizard.preview_page.problems.rowCount())]
    assert any("99999999" in r and "belum ada" in r for r in reasons), reasons
    assert any("Baris 6" in r and "31/13/2026" in r for r in reasons), reasons
    assert "Baru: 26" in wizard.preview_page.counts.text()
    with qtbot.waitSignal(wizard.import_did_finish, timeout=TIMEOUT_MS):
        wizard.button(QWizard.WizardButton.CommitButton).click()
    assert "26 entri" in wizard.done_page.summary.text()
    repo = services.db.repo
    services.db.wait_idle()
    process = repo.find_process_by_ocid(ocid_for_kode_rup(services.settings.ocid_prefix, KODE))
    implementation = repo.current_entry(process.id, Stage.IMPLEMENTATION)
    assert implementation.status == EntryStatus.DRAFT
    assert implementation.data["progres_fisik"] == 62.5
    assert implementation.data["pembayaran"] == [{"tanggal": "2026-08-17", "nilai": 1234568}]
    assert repo.entry_of_source("Laporan progres", "progres", f"kode_rup={KODE}") == implementation.id
    assert repo.current_entry(process.id, Stage.PLANNING).status == EntryStatus.DRAFT
    assert not [e for e in repo.iter_entries() if e.status != EntryStatus.DRAFT]  # nothing submitted
    wizard.close()

    again = _run(qtbot, services, [ISB, csv_file], expect_mapping=False)  # the mapping was saved
    assert again.previewed.preview.counts() == {"new": 0, "updated": 0, "unchanged": 26, "blocked": 0,
                                                   "rejected": 0}
    with qtbot.waitSignal(again.import_did_finish, timeout=TIMEOUT_MS):
        again.button(QWizard.WizardButton.CommitButton).click()
    assert "0 entri" in again.done_page.summary.text()


def test_an_edited_mapping_is_checked_then_saved_for_the_next_file(qtbot, services, tmp_path):
    from PySide6.QtCore import Qt

    from odc_desktop.importers.tabular_fields import Mapping
    from odc_desktop.importers.tabular_store import MappingStore

    header = ["Paket", "Tgl", "Capaian"]
    path = tmp_path / "laporan.csv"
    path.write_text(";".join(header) + f"\n{KODE};17/08/2026;45\n", encoding="utf-8")
    wizard = ImportWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.files_page.add_paths([path])
    wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.MAPPING, timeout=TIMEOUT_MS)
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentId() == wizard.MAPPING  # no kode RUP or nomor kontrak column yet
    assert "Kode RUP" in wizard.mapping_page.problem.text()
    (_item, _kind, combos) = wizard.mapping_page.forms[0]
    for field_id, presses in (("kode_rup", 1), ("progres_fisik", 3)):  # by keyboard: Down moves the choice
        combos[field_id].setFocus()
        for _ in range(presses):
            qtbot.keyClick(combos[field_id], Qt.Key.Key_Down)
    with qtbot.waitSignal(wizard.preview_did_finish, timeout=TIMEOUT_MS):
        wizard.button(QWizard.WizardButton.NextButton).click()
    assert MappingStore(services.data_dir).get(header) == Mapping("progres", {"kode_rup": 0, "tanggal": 1,
                                                                              "progres_fisik": 2})


def test_the_main_window_opens_the_wizard_from_its_menu(qtbot, services):
    from PySide6.QtWidgets import QApplication

    from odc_desktop.ui.main_window import MainWindow

    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    window.import_action.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, ImportWizard) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=TIMEOUT_MS)
    wizard = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ImportWizard))
    assert wizard.windowTitle() == "Impor data"
    wizard.reject()


def test_files_can_be_removed_by_keyboard_and_next_waits_for_a_file(qtbot, services, tmp_path):
    from PySide6.QtCore import Qt

    wizard = ImportWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    wizard.files_page.add_paths([ISB, ISB])
    assert wizard.files_page.files.count() == 1 and next_button.isEnabled()
    wizard.files_page.files.setCurrentRow(0)
    wizard.files_page.files.setFocus()
    qtbot.keyClick(wizard.files_page.files, Qt.Key.Key_Delete)
    assert wizard.files_page.files.count() == 0 and not next_button.isEnabled()


def test_a_progress_workbook_brings_its_photos_once(qtbot, services, tmp_path):
    """An XLSX progress report naming photos beside it: they become the Pelaksanaan entry's site
    photos; a missing one is a row problem; the second run attaches nothing again."""
    import openpyxl

    from odc_desktop.demo.sample_files import make_jpeg

    (tmp_path / "foto").mkdir()
    (tmp_path / "foto" / "a.jpg").write_bytes(make_jpeg(1, "Pondasi"))
    (tmp_path / "foto" / "b.jpg").write_bytes(make_jpeg(2, "Dinding"))
    book = openpyxl.Workbook()
    for row in (["Kode RUP", "Tanggal", "% Fisik", "Keterangan", "Foto"],
                [KODE, "17/08/2026", 25, "Pondasi", "foto/a.jpg;foto/b.jpg"],
                [KODE, "24/08/2026", 40, "Dinding", "foto/b.jpg"],
                [KODE, "31/08/2026", 55, "Atap", "foto/tidak-ada.jpg"]):
        book.active.append(row)
    report = tmp_path / "progres.xlsx"
    book.save(report)
    wizard = _run(qtbot, services, [ISB, report], expect_mapping=True)
    assert wizard.previewed.preview.counts()["new"] == 26
    reasons = [wizard.preview_page.problems.item(r, 2).text() for r in range(wizard.preview_page.problems.rowCount())]
    assert any("Baris 4" in r and "foto/tidak-ada.jpg" in r for r in reasons), reasons
    with qtbot.waitSignal(wizard.import_did_finish, timeout=TIMEOUT_MS):
        wizard.button(QWizard.WizardButton.CommitButton).click()
    services.db.wait_idle()
    bar = wizard.done_page.busy  # the worker's progress reached the bar (queued to the GUI thread)
    assert (bar.value(), bar.maximum()) == (26, 26)
    repo = services.db.repo
    process = repo.find_process_by_ocid(ocid_for_kode_rup(services.settings.ocid_prefix, KODE))
    implementation = repo.current_entry(process.id, Stage.IMPLEMENTATION)
    assert implementation.data["progres_fisik"] == 40
    assert [(a.filename, a.document_type) for a in repo.list_attachments(implementation.id)] == [
        ("a.jpg", "foto_lapangan"), ("b.jpg", "foto_lapangan")]
    wizard.close()

    again = _run(qtbot, services, [ISB, report], expect_mapping=False)
    assert again.previewed.preview.counts()["unchanged"] == 26
    with qtbot.waitSignal(again.import_did_finish, timeout=TIMEOUT_MS):
        again.button(QWizard.WizardButton.CommitButton).click()
    services.db.wait_idle()
    assert len(repo.list_attachments(implementation.id)) == 2
