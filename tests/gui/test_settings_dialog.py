"""The settings as an operator sees them: their own OPD chosen from the OPD list by typing, and the
admin's settings (OCID prefix, server address) folded under "Pengaturan lanjutan"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from odc_desktop.app import close_services, create_services
from odc_desktop.settings import Settings
from odc_desktop.ui import i18n
from odc_desktop.ui.settings_dialog import SettingsDialog
from tests.gui.form_driver import TIMEOUT_MS

pytestmark = pytest.mark.gui


@pytest.fixture
def services(qapp, data_dir):
    services = create_services(data_dir, sync=True)
    qapp.setStyleSheet((i18n.resources_dir() / "style.qss").read_text(encoding="utf-8"))  # as the app
    i18n.install_language("id")  # an earlier test may have left English installed
    yield services
    close_services(services)


def test_the_operators_opd_is_chosen_from_the_list_by_typing(qtbot, services, data_dir):
    dialog = SettingsDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    opd = dialog.editors["default_opd"]
    label = next(w for w in dialog.findChildren(type(dialog.errors["default_opd"])) if w.buddy() is opd)
    assert label.text().replace("&", "") == "OPD tempat Anda bertugas:"
    qtbot.waitExposed(dialog)
    assert label.width() >= label.sizeHint().width()  # not cut off
    opd.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClicks(opd.lineEdit(), "kesehatan")
    qtbot.waitUntil(opd.completer().popup().isVisible, timeout=TIMEOUT_MS)
    qtbot.keyClick(opd.completer().popup(), Qt.Key.Key_Return)
    assert opd.currentText() == "Dinas Kesehatan"
    code = services.forms.codelists["opd"].items[4].code
    assert opd.currentData() == code
    dialog.save()
    assert Settings(data_dir).get("default_opd") == code


def test_admin_settings_are_folded_under_pengaturan_lanjutan(qtbot, services):
    dialog = SettingsDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.advanced_toggle.text() == "Pengaturan &lanjutan (admin)"
    for key in ("ocid_prefix", "server_url"):
        assert not dialog.editors[key].isVisible()
        assert dialog.advanced.isAncestorOf(dialog.editors[key])
    qtbot.mouseClick(dialog.advanced_toggle, Qt.MouseButton.LeftButton)
    assert dialog.editors["ocid_prefix"].isVisible() and dialog.editors["server_url"].isVisible()
    qtbot.mouseClick(dialog.advanced_toggle, Qt.MouseButton.LeftButton)
    assert not dialog.editors["ocid_prefix"].isVisible()
    # A wrong admin value unfolds the section, so its message is seen.
    dialog.editors["server_url"].setText("odc.bojonegorokab.go.id")
    dialog.save()
    assert dialog.errors["server_url"].isVisible()
    assert "http" in dialog.errors["server_url"].text()
