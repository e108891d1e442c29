"""import_rows (the importers' only write) and process identity across PCs, on a real SQLite store."""

from __future__ import annotations

import pytest

from odc_desktop.domain.model import NewProcess, ProcessFilter
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.repository import StorageError
from odc_desktop.workflow import ImportRow, import_rows
from tests.unit.form_samples import PROCESS
from tests.unit.workflow_helpers import PREFIX, entry_in, new_process
from tests.unit.workflow_helpers import forms, repo  # noqa: F401  (fixtures)

S = EntryStatus


def _row(kode_rup: str, data: dict, key: str, stage: Stage = Stage.TENDER) -> ImportRow:
    process = NewProcess(title=PROCESS["title"], opd_code=PROCESS["opd_code"],
                         opd_name=PROCESS["opd_name"], year=2024, kode_rup=kode_rup)
    return ImportRow(process, stage, data, "isb", "tender-2024", key)


def test_rows_become_drafts_of_new_or_existing_processes(repo, forms):
    existing = new_process(repo, kode_rup="41234567")
    result = import_rows(repo, forms, [_row("41234567", {"hps": 5}, "T1"), _row("49999999", {"hps": 7}, "T2")],
                         PREFIX)
    assert [c.new_status for c in result.written] == [S.DRAFT, S.DRAFT] and result.skipped == ()
    first, second = (c.entry for c in result.written)
    assert first.process_id == existing and first.data == {"hps": 5}
    assert repo.get_process(second.process_id).ocid == f"{PREFIX}-49999999"
    assert repo.entry_of_source("isb", "tender-2024", "T1") == first.id


def test_a_second_import_updates_the_draft_and_keeps_what_the_operator_typed(repo, forms):
    import_rows(repo, forms, [_row("41234567", {"hps": 5, "kode_tender": "1"}, "T1")], PREFIX)
    entry = repo.current_entry(repo.find_process_by_ocid(f"{PREFIX}-41234567").id, Stage.TENDER)
    repo.save_entry_data(entry.id, {**entry.data, "jumlah_peserta": 3})
    again = import_rows(repo, forms, [_row("41234567", {"hps": 6}, "T1")], PREFIX)
    assert again.written[0].entry.data == {"hps": 6, "kode_tender": "1", "jumlah_peserta": 3}


def test_entries_past_ready_are_never_touched(repo, forms):
    approved = entry_in(repo, forms, new_process(repo), S.APPROVED)
    row = _row(PROCESS["kode_rup"], {"pagu": 1}, "P1", Stage.PLANNING)
    result = import_rows(repo, forms, [row], PREFIX)
    assert result.written == () and result.skipped[0][1].code == "workflow.import_past_ready"
    assert repo.get_entry(approved.id) == approved
    assert len(repo.entries_of_process(approved.process_id)) == 1


def test_a_batch_is_all_or_nothing(repo, forms):
    poisoned = _row("48888888", {"x": object()}, "B")  # not JSON: the store refuses it mid-batch
    with pytest.raises(TypeError):
        import_rows(repo, forms, [_row("47777777", {"hps": 1}, "A"), poisoned], PREFIX)
    assert repo.count_processes() == 0 and repo.iter_entries() == []
    assert repo.entry_of_source("isb", "tender-2024", "A") is None


def test_processes_have_their_own_uid_and_converge_on_the_servers(repo):
    here = repo.get_process(new_process(repo, kode_rup=None))
    other = repo.get_process(new_process(repo, kode_rup="43333333"))
    assert len(here.uid) == 32 and here.uid != other.uid
    # the server knows this paket under its kode RUP and another PC's uid: converge on that
    server_uid = "f" * 32
    repo.adopt_process_identity(here.id, server_uid, f"{PREFIX}-42222222")
    adopted = repo.get_process(here.id)
    assert (adopted.uid, adopted.ocid) == (server_uid, f"{PREFIX}-42222222")
    assert repo.ocid_aliases(here.id) == [here.ocid]
    assert repo.find_process_by_ocid(here.ocid).id == here.id  # the old name still finds it
    assert repo.list_process_ids(ProcessFilter(text="42222222")) == [here.id]  # the list finds the new
    with pytest.raises(StorageError):  # and is never used for a new process
        repo.add_ocid_alias(other.id, here.ocid, "test")
    assert repo.verify_audit_chain().ok
