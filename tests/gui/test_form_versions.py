"""Entries of older form versions in the real app (real SQLite store, real widgets, the data folder's
form registry): an old-version draft renders and validates with its own form after a newer version
became current; an entry whose form is missing opens read-only with a calm message; a damaged form
file in the data folder is named in a notice and does not stop the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from odc_desktop.app import check_stored_forms, close_services, create_main_window, create_services
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import Stage
from odc_desktop.form_registry import FormRegistry
from tests.gui.form_driver import TIMEOUT_MS, open_page, type_into
from tests.unit.form_samples import PROCESS, valid_data
from tests.unit.form_versions import planning_like_v1, planning_v2, valid_v2_data

pytestmark = pytest.mark.gui


def _process(services, kode_rup: str = PROCESS["kode_rup"]):
    new = NewProcess(PROCESS["title"], PROCESS["opd_code"], PROCESS["opd_name"], PROCESS["year"], kode_rup,
                     PROCESS["kecamatan"])
    return services.db.run(lambda repo: repo.create_process(new, "ocds-000bjn")).result(timeout=10)


def _entry(services, process, form_id: str, version: int, form_hash: str, data: dict):
    return services.db.run(lambda repo: repo.create_entry(process.id, Stage.PLANNING, form_id, version,
                                                          form_hash, data)).result(timeout=10)


def _stored(services, entry_id: int):
    return services.db.run(lambda repo: repo.get_entry(entry_id)).result(timeout=10)


def _field_errors(page) -> list[str]:
    return [p.field_id or p.path for p in page.problems()
            if p.severity == "error" and not p.path.startswith("documents/")]


@pytest.fixture
def app_services(qapp, data_dir: Path):
    """Opens the app's services (threaded DB runner) on ``data_dir`` when called; closed at teardown."""
    opened = []

    def open_services(lang: str = "id"):
        opened.append(create_services(data_dir, lang))
        return opened[-1]

    yield open_services
    for services in opened:
        services.db.wait_idle()
        close_services(services)


def test_an_old_version_draft_renders_with_its_own_form(qtbot, app_services, data_dir):
    # Version 2 (other fields) arrives, a draft is made with it, then version 3 arrives and is current.
    v2 = FormRegistry.open(data_dir).add(planning_v2())
    services = app_services()
    process = _process(services)
    old = _entry(services, process, v2.id, v2.version, v2.content_hash, valid_v2_data(valid_data("planning")))
    v3 = services.forms.add(planning_like_v1(3))
    assert services.forms.current(Stage.PLANNING) is v3

    page = open_page(qtbot, services, process, Stage.PLANNING)
    assert page.form.version == 2
    assert {"nomor_dpa", "latar_belakang"} <= set(page.editors) and "alasan_kebutuhan" not in page.editors
    assert page.editors["nomor_dpa"].edit.text() == "DPA/1.03.10.2.01/2024"
    assert not page.editors["nomor_dpa"].edit.isReadOnly() and page.banners.locked.isHidden()
    assert "versi 2" in page.save_label.text()
    # validated with version 2: valid as it is (version 3 would miss 'alasan_kebutuhan'), and the
    # field only version 2 has is required
    assert _field_errors(page) == []
    with qtbot.waitSignal(page.entry_did_save, timeout=TIMEOUT_MS):
        type_into(qtbot, page.editors["nomor_dpa"].edit, "")
        page.flush()
    assert _field_errors(page) == ["nomor_dpa"]
    stored = _stored(services, old.id)
    assert (stored.form_version, stored.form_hash) == (2, v2.content_hash)  # it stays on its own version
    assert "nomor_dpa" not in stored.data or not stored.data["nomor_dpa"]

    # a new entry is made with the current form
    fresh = open_page(qtbot, services, _process(services, "41234569"), Stage.PLANNING)
    assert fresh.form is v3 and "alasan_kebutuhan" in fresh.editors and "nomor_dpa" not in fresh.editors
    with qtbot.waitSignal(fresh.entry_did_save, timeout=TIMEOUT_MS):
        type_into(qtbot, fresh.editors["pagu"].edit, "500000000")
        fresh.flush()
    assert (fresh.entry.form_version, fresh.entry.form_hash) == (3, v3.content_hash)


def test_a_shipped_version_draft_keeps_its_fields_when_a_newer_version_declares_no_migration(
        qtbot, app_services, data_dir):
    FormRegistry.open(data_dir).add(planning_v2())  # no 'migrations': version-1 drafts stay on version 1
    services = app_services()
    process = _process(services)
    v1 = services.forms.shipped.for_stage(Stage.PLANNING)
    old = _entry(services, process, v1.id, v1.version, v1.content_hash, valid_data("planning"))
    page = open_page(qtbot, services, process, Stage.PLANNING)
    assert page.form is v1 and "alasan_kebutuhan" in page.editors and "nomor_dpa" not in page.editors
    assert page.editors["alasan_kebutuhan"].edit.toPlainText().startswith("Usulan Musrenbang")
    assert _field_errors(page) == []
    assert _stored(services, old.id).form_version == 1


def test_an_entry_whose_form_is_missing_opens_read_only_and_says_so(qtbot, app_services):
    services = app_services()
    process = _process(services)
    entry = _entry(services, process, "planning", 7, "ab" * 32, {"pagu": 750_000_000})
    page = open_page(qtbot, services, process, Stage.PLANNING)
    assert not page.banners.locked.isHidden()
    assert "tidak ada di komputer ini" in page.banners.locked.text() and "versi 7" in page.banners.locked.text()
    assert page.editors["pagu"].edit.isReadOnly() and not page.ready_button.isEnabled()
    assert page.editors["pagu"].value() == 750_000_000
    stored = _stored(services, entry.id)
    assert (stored.form_version, stored.form_hash, stored.data) == (7, "ab" * 32, {"pagu": 750_000_000})


@pytest.mark.parametrize("lang, words", [("id", "dan diabaikan"), ("en", "and was ignored")])
def test_a_damaged_form_file_in_the_data_folder_is_named_and_the_app_goes_on(qtbot, app_services, data_dir,
                                                                            lang, words):
    v2 = FormRegistry.open(data_dir).add(planning_v2())
    damaged = data_dir / "forms" / "planning" / f"2-{v2.content_hash}.yaml"
    damaged.write_bytes(damaged.read_bytes().replace(b"widget: money", b"widget: uang", 1))
    services = app_services(lang)
    window = create_main_window(services)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.list_page.list_did_update, timeout=TIMEOUT_MS):
        window.start()
    check_stored_forms(services, window)
    qtbot.waitUntil(lambda: window.notice_bar.isVisible(), timeout=TIMEOUT_MS)
    assert str(damaged) in window.notice_text.text() and words in window.notice_text.text()
    # the shipped form stays current; an entry made with the damaged version opens read-only
    assert services.forms.current(Stage.PLANNING) is services.forms.shipped.for_stage(Stage.PLANNING)
    process = _process(services)
    _entry(services, process, v2.id, v2.version, v2.content_hash, {"pagu": 5})
    page = open_page(qtbot, services, process, Stage.PLANNING)
    assert page.editors["pagu"].edit.isReadOnly() and not page.banners.locked.isHidden()
