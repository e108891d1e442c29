"""``odc demo-data`` tells no lies (issue 7, item 9): it makes drafts and ready entries only; every
ready entry really passes mark_ready's checks; the audit log has no status past ready."""

from __future__ import annotations

import json

from odc_desktop.demo import data as demo
from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow import ready_problems
from tests.odc_cli import demo_store, odc


def test_demo_data_writes_no_status_past_ready(data_dir):
    forms = load_form_set()
    repo = SqlRepository.open(data_dir)
    try:
        summary = demo.generate(repo, forms, 40, attachments=120, seed=3)
        counts = repo.count_entries_by_status()
        assert summary.entries == sum(counts.values()) > 40
        assert counts["draft"] > 0 and counts["ready"] > 0  # both kinds, so the check below means something
        assert {s for s, n in counts.items() if n} <= {"draft", "ready"}
        lookup = forms
        for entry in repo.iter_entries({EntryStatus.READY}):
            assert ready_problems(repo, lookup, entry) == ([], [])
        statuses = {entry.status for p in repo.list_process_ids() for entry in repo.entries_of_process(p)}
        assert statuses <= {EntryStatus.DRAFT, EntryStatus.READY}
    finally:
        repo.close()


def test_odc_demo_data_command_makes_only_drafts_and_ready_entries(data_dir):
    demo_store(data_dir, "--processes", "12", "--attachments", "30")
    status = odc("status", "--json", "--data-dir", str(data_dir))
    assert status.returncode == 0, status.stderr
    counts = json.loads(status.stdout)["entries_by_status"]
    assert {s for s, n in counts.items() if n} <= {"draft", "ready"}
