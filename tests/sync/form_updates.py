"""Form files and drafts for the form-update tests (tests/sync/test_form_push.py, tests/gui/test_forms_push_ui.py)."""

from __future__ import annotations

from pathlib import Path

import yaml

from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import Stage
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow import save_draft
from tests.sync.conftest import PREFIX
from tests.unit.form_samples import PROCESS
from tests.unit.form_versions import planning_v2

#: Version 2 renames alasan_kebutuhan (declared) and drops volume_pekerjaan without declaring it, so a
#: draft with a volume cannot move by itself and one without it can.
RENAME = {"from_version": 1, "renamed": {"alasan_kebutuhan": "latar_belakang"}}


def form_file(folder: Path, version: int, migrations: dict | None, title: str | None = None) -> Path:
    form = yaml.safe_load(planning_v2(migrations, version=version, title=title))
    for section in form["sections"]:
        section["fields"] = [f for f in section["fields"] if f["id"] != "volume_pekerjaan"]
    path = folder / f"planning-v{version}.yaml"
    path.write_text(yaml.safe_dump(form, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def draft(repo: SqlRepository, forms, n: int, data: dict):  # noqa: ANN001, ANN201
    process = repo.create_process(NewProcess(title=f"Paket draf {n}", opd_code=PROCESS["opd_code"],
                                             opd_name=PROCESS["opd_name"], year=PROCESS["year"],
                                             kode_rup=str(61234567 + n)), PREFIX)
    return save_draft(repo, forms, process.id, Stage.PLANNING, data).entry
