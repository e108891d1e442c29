"""An operator fills all six stages of one process through the real widgets, marks each ready, and
the exported release package validates with zero problems."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from odc_desktop.app import close_services, create_services
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.ocds.packages import release_package
from odc_desktop.domain.ocds.release import build_process_releases
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.domain.ocds.validation import validate_package
from odc_desktop.domain.parsing import parse_npwp
from tests.gui.form_driver import TIMEOUT_MS, attach_required, fill_page, open_page
from tests.unit.form_samples import PROCESS, VALID_DATA

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def _comparable(value: Any) -> Any:
    """Stored data as the test data writes it: no empty values, NPWP as 16 digits, numbers as float."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9.\-]{15,20}", value):
        return parse_npwp(value)
    return value


@pytest.fixture
def services(qapp, data_dir: Path):
    services = create_services(data_dir)  # the threaded DB runner, as in the app
    yield services
    close_services(services)


def test_operator_fills_all_six_stages_and_the_export_validates(qtbot, services, tmp_path):
    new = NewProcess(PROCESS["title"], PROCESS["opd_code"], PROCESS["opd_name"], PROCESS["year"],
                     PROCESS["kode_rup"], PROCESS["kecamatan"])
    process = services.db.run(lambda repo: repo.create_process(new, "ocds-000bjn")).result(10)

    for stage in Stage:
        page = open_page(qtbot, services, process, stage)
        fill_page(qtbot, page, VALID_DATA[stage.value])
        attach_required(qtbot, page, tmp_path)
        qtbot.waitUntil(page.is_saved, timeout=TIMEOUT_MS)
        assert [p.message for p in page.problems()] == [], stage
        with qtbot.waitSignal(page.entry_status_did_change, timeout=TIMEOUT_MS):
            qtbot.mouseClick(page.ready_button, Qt.MouseButton.LeftButton)
        assert page.entry.status == EntryStatus.READY, stage
        page.close()

    def export(repo):
        entries = [repo.current_entry(process.id, stage) for stage in Stage]
        attachments = {e.id: repo.list_attachments(e.id) for e in entries}
        return entries, attachments

    entries, attachments = services.db.run(export).result(10)
    for entry in entries:
        assert entry.status == EntryStatus.READY
        assert _comparable(entry.data) == _comparable(VALID_DATA[entry.stage.value]), entry.stage
        required = {d.type for d in services.forms.current(entry.stage).documents if d.required}
        assert required <= {a.document_type for a in attachments[entry.id]}

    releases = build_process_releases(process, entries, services.forms, attachments)
    assert len(releases) == 6
    published = datetime.now(timezone.utc).astimezone().replace(microsecond=0).isoformat()
    package = release_package(releases, published)
    assert validate_package(package) == []
    award = next(r for r in releases if "award" in r["tag"])
    assert award["awards"][0]["value"] == {"amount": 1_189_500_000, "currency": "IDR"}
    assert any(d["documentType"] for d in award["awards"][0]["documents"])
