"""The "Paket baru" dialog by keyboard: OPD and kecamatan found by typing part of their name,
messages that go away once fixed, and the OCID the process will get, with or without kode RUP."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from odc_desktop.app import close_services, create_services
from odc_desktop.ui import i18n
from odc_desktop.ui.new_process_dialog import NewProcessDialog
from tests.gui.form_driver import TIMEOUT_MS

pytestmark = pytest.mark.gui


@pytest.fixture(params=["id"])
def dialog(request, qtbot, qapp, data_dir):
    services = create_services(data_dir, request.param, sync=True)
    qapp.setStyleSheet((i18n.resources_dir() / "style.qss").read_text(encoding="utf-8"))  # as the app
    i18n.install_language(request.param)  # an earlier test may have left another language installed
    dialog = NewProcessDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    close_services(services)
    i18n.install_language("id")  # the default, for the tests that follow


def _type_and_pick_first(qtbot, combo, text: str) -> list[str]:
    """Type ``text`` into a searchable combo, press Enter; returns the suggestions that showed."""
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClicks(combo.lineEdit(), text)
    completer = combo.completer()
    qtbot.waitUntil(completer.popup().isVisible, timeout=TIMEOUT_MS)
    model = completer.completionModel()
    shown = [model.index(row, 0).data() for row in range(model.rowCount())]
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    return shown


def test_opd_and_kecamatan_are_found_by_typing_part_of_the_name(qtbot, dialog):
    shown = _type_and_pick_first(qtbot, dialog.opd, "Dinas P")
    assert len(shown) >= 3 and all("dinas p" in text.lower() for text in shown)
    assert "Dinas Pendidikan" in shown and "Dinas Pekerjaan Umum Sumber Daya Air" in shown
    assert dialog.opd.currentText() == shown[0]
    assert dialog.new_process().opd_name == shown[0] and dialog.opd.currentData() is not None
    kecamatan = dialog._services.forms.codelists["kecamatan"].items[3]
    name = kecamatan.label["id"]
    _type_and_pick_first(qtbot, dialog.kecamatan, name[1:6].lower())  # from the middle, any case
    assert dialog.kecamatan.currentData() is not None
    assert name[1:6].lower() in dialog.kecamatan.currentText().lower()


def test_messages_go_away_once_their_field_is_fixed(qtbot, dialog):
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.errors["title"].isVisible() and dialog.errors["opd"].isVisible()
    qtbot.keyClicks(dialog.title_edit, "Rehabilitasi Jalan Poros Desa Ngasem")
    assert not dialog.errors["title"].isVisible()
    assert dialog.errors["opd"].isVisible()  # not fixed yet
    _type_and_pick_first(qtbot, dialog.opd, "kesehatan")
    assert dialog.opd.currentText() == "Dinas Kesehatan"
    assert not dialog.errors["opd"].isVisible()


def test_the_ocid_is_shown_with_and_without_kode_rup(qtbot, dialog):
    prefix = dialog._services.settings.ocid_prefix
    assert dialog.kode_rup.text() == ""
    assert dialog.ocid_hint.isVisible()
    assert dialog.ocid_hint.text().startswith("Tanpa kode RUP, OCID dibuat otomatis")
    assert f"{prefix}-" in dialog.ocid_hint.text()
    qtbot.keyClicks(dialog.kode_rup, "41234567")
    assert dialog.ocid_hint.text() == f"OCID paket ini: {prefix}-41234567"


@pytest.mark.parametrize("dialog", ["id", "en"], indirect=True)
def test_no_text_of_the_dialog_overlaps_another(qtbot, dialog):
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # with every message shown
    for _ in range(3):  # handle the posted layout requests now (nested layouts post more)
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    assert dialog.width() >= 520
    shown = [w for w in dialog.findChildren(QLabel) if w.isVisible() and w.text()]
    shown += [dialog.title_edit, dialog.opd, dialog.year, dialog.kode_rup, dialog.kecamatan]
    boxes = [(w, w.geometry().translated(w.parentWidget().mapTo(dialog, w.parentWidget().rect().topLeft())))
             for w in shown]
    for i, (first, a) in enumerate(boxes):
        for second, b in boxes[i + 1:]:
            assert not a.intersects(b), f"{first.objectName() or first.text()!r} overlaps " \
                                        f"{second.objectName() or second.text()!r}"
