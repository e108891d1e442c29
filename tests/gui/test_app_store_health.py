"""The app and a damaged store, and the daily backup: at the level of ``create_services`` (what the
app's start-up calls; its dialog for any StorageError is tested with the start-up itself)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from odc_desktop.app import close_services, create_main_window, create_services, start_daily_backup
from odc_desktop.demo import data as demo
from odc_desktop.settings import Settings
from odc_desktop.storage import backup
from odc_desktop.storage.db import DB_FILENAME
from odc_desktop.storage.repository import StorageError, StoreDamaged

pytestmark = pytest.mark.gui


@pytest.fixture
def store(data_dir) -> Path:
    services = create_services(data_dir, sync=True)
    demo.generate(services.db.repo, services.forms, 30, attachments=3, seed=2)
    close_services(services)
    return data_dir


def test_create_services_refuses_a_database_damaged_in_the_middle(store):
    db = store / DB_FILENAME
    with db.open("r+b") as fh:
        fh.seek(db.stat().st_size // 2)
        fh.write(bytes(range(256)) * 32)
    with pytest.raises(StoreDamaged, match="odc restore") as caught:
        create_services(store, sync=True)
    assert isinstance(caught.value, StorageError)  # what the app's start-up shows in its dialog


def test_create_services_refuses_an_emptied_database_beside_attachments(store):
    (store / DB_FILENAME).write_bytes(b"")
    with pytest.raises(StoreDamaged, match="0 byte"):
        create_services(store, sync=True)
    assert (store / DB_FILENAME).stat().st_size == 0


def test_the_app_makes_a_daily_backup_and_keeps_the_chosen_number(qtbot, store, tmp_path):
    folder = tmp_path / "cadangan"
    settings = Settings(store)
    settings.set("backup_folder", str(folder))
    settings.set("backup_keep", 1)
    old = folder / f"{backup.AUTO_PREFIX}20000101-000000"
    backup.make_backup(store, old)
    os.utime(old, (0, 0))  # made long ago: a new one is due, and the old one goes beyond keep=1
    services = create_services(store)
    window = create_main_window(services)
    try:
        start_daily_backup(services, window)
        def only_the_new_one() -> bool:
            names = [p.name for p in folder.iterdir()]
            return len(names) == 1 and names[0] != old.name

        qtbot.waitUntil(only_the_new_one, timeout=60_000)
        made = list(folder.iterdir())
        assert backup.read_backup(made[0]).processes == 30
    finally:
        window.close()
        close_services(services)


def test_a_daily_backup_that_fails_is_said_in_a_notice_and_the_store_is_untouched(qtbot, store, tmp_path):
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("a file where the backup folder should be")
    settings = Settings(store)
    settings.set("backup_folder", str(blocker / "cadangan"))
    services = create_services(store)
    window = create_main_window(services)
    try:
        start_daily_backup(services, window)
        qtbot.waitUntil(lambda: not window.notice_bar.isHidden(), timeout=60_000)
        assert window.notice_text.text().startswith("Cadangan harian gagal dibuat: ")
        watch = window.findChild(QTimer, "dailyBackupWatch")
        assert watch is None or not watch.isActive()  # the GUI-side watch stops once it has the answer
    finally:
        window.close()
        close_services(services)
    assert blocker.read_text() == "a file where the backup folder should be"


def test_backup_settings_are_rows_of_the_settings_dialog(qtbot, store, tmp_path):
    from odc_desktop.ui.settings_dialog import SettingsDialog

    services = create_services(store, sync=True)
    try:
        dialog = SettingsDialog(services)
        qtbot.addWidget(dialog)
        keep = dialog.editors["backup_keep"]
        keep.setCurrentIndex(keep.findData(3))
        qtbot.keyClicks(dialog.editors["backup_folder"], str(tmp_path / "usb"))
        dialog.save()
        assert dialog.result() == SettingsDialog.DialogCode.Accepted
        saved = Settings(store)
        assert saved.get("backup_keep") == 3 and saved.backup_folder == tmp_path / "usb"
    finally:
        close_services(services)
