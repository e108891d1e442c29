"""import_rows (the importers' only write) and process identity across PCs, on a real SQLite store."""

from __future__ import annotations

import pytest

from odc_desktop.domain.model import NewProcess, ProcessFilter
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.repository import StorageError
from odc_desktop.importers.rows import SourceRef
from odc_desktop.workflow import ImportRow, PlannedProcess, PlannedStage, create_processes, import_rows
from tests.unit.form_samples import PROCESS
from tests.unit.workflow_helpers import PREFIX, entry_in, new_process
from tests.unit.workflow_helpers import forms, repo  # noqa: F401  (fixtures)

S = EntryStatus


def _row(kode_rup: str | None, data: dict, key: str, stage: Stage = Stage.TENDER, titled: bool = True,
         process_key: str | None = None) -> ImportRow:
    fields = {"kode_rup": kode_rup}
    if titled:
        fields.update(title=PROCESS["title"], opd_code=PROCESS["opd_code"], opd_name=PROCESS["opd_name"], year=2024)
    return ImportRow(process_key or f"rup:{kode_rup}", fields, stage.value, data,
                     (SourceRef("isb", "tender-2024", key),))


def test_rows_become_drafts_of_new_or_existing_processes(repo, forms):
    existing = new_process(repo, kode_rup="41234567")
    result = import_rows(repo, forms, [_row("41234567", {"hps": 5}, "T1"), _row("49999999", {"hps": 7}, "T2")],
                         PREFIX)
    assert [o.outcome for o in result.outcomes] == ["created", "created"] and result.processes_created == 1
    first = repo.current_entry(existing, Stage.TENDER)
    second = repo.current_entry(repo.find_process_by_ocid(f"{PREFIX}-49999999").id, Stage.TENDER)
    assert first.data == {"hps": 5} and second.data == {"hps": 7}
    assert first.status == second.status == S.DRAFT
    assert repo.entry_of_source("isb", "tender-2024", "T1") == first.id
    assert repo.entry_of_source("isb", "tender-2024", "T2") == second.id
    assert repo.verify_audit_chain().ok


def test_a_second_import_updates_the_draft_and_keeps_what_the_operator_typed(repo, forms):
    import_rows(repo, forms, [_row("41234567", {"hps": 5, "kode_tender": "1"}, "T1")], PREFIX)
    entry = repo.current_entry(repo.find_process_by_ocid(f"{PREFIX}-41234567").id, Stage.TENDER)
    repo.save_entry_data(entry.id, {**entry.data, "jumlah_peserta": 3})
    same = import_rows(repo, forms, [_row("41234567", {"hps": 5}, "T1")], PREFIX)
    assert [o.outcome for o in same.outcomes] == ["unchanged"]
    again = import_rows(repo, forms, [_row("41234567", {"hps": 6}, "T1")], PREFIX)
    assert [o.outcome for o in again.outcomes] == ["changed"]
    assert repo.get_entry(entry.id).data == {"hps": 6, "kode_tender": "1", "jumlah_peserta": 3}


def test_entries_past_ready_are_never_touched(repo, forms):
    approved = entry_in(repo, forms, new_process(repo), S.APPROVED)
    row = _row(PROCESS["kode_rup"], {"pagu": 1}, "P1", Stage.PLANNING)
    result = import_rows(repo, forms, [row], PREFIX)
    (kept,) = result.outcomes
    assert kept.outcome == "kept" and kept.reason.code == "import.kept_past_ready"
    assert "Buat perubahan" in kept.reason.message("id") and "Make a change" in kept.reason.message("en")
    assert repo.get_entry(approved.id) == approved
    assert len(repo.entries_of_process(approved.process_id)) == 1


def test_a_ready_entry_goes_back_to_draft_when_newer_data_changes_it(repo, forms):
    ready = entry_in(repo, forms, new_process(repo), S.READY)
    result = import_rows(repo, forms, [_row(PROCESS["kode_rup"], {"pagu": 1}, "P1", Stage.PLANNING)], PREFIX)
    assert [o.outcome for o in result.outcomes] == ["changed"]
    assert repo.get_entry(ready.id).status == S.DRAFT


def test_rows_without_title_attach_to_their_process_or_are_rejected(repo, forms):
    untitled = _row("45555555", {"hps": 9}, "U1", titled=False)
    alone = import_rows(repo, forms, [untitled], PREFIX)
    assert [o.outcome for o in alone.outcomes] == ["rejected"] and repo.count_processes() == 0
    assert alone.outcomes[0].reason.code == "import.no_process"
    # with its RUP row in the same run the process is made and the untitled row joins it
    planning = _row("45555555", {"pagu": 10}, "R1", Stage.PLANNING)
    both = import_rows(repo, forms, [untitled, planning], PREFIX)
    assert {o.outcome for o in both.outcomes} == {"created"} and repo.count_processes() == 1
    # a later run finds the process by its key, kode RUP or not
    keyed = _row(None, {"nilai": 3}, "K1", Stage.CONTRACT, process_key="kontrak:K-1")
    first = import_rows(repo, forms, [keyed], PREFIX)
    assert first.processes_created == 1
    later = _row(None, {"nilai": 3, "nomor": "x"}, "K2", Stage.CONTRACT, titled=False, process_key="kontrak:K-1")
    assert [o.outcome for o in import_rows(repo, forms, [later], PREFIX).outcomes] == ["changed"]
    assert repo.count_processes() == 2


def test_a_batch_is_all_or_nothing(repo, forms):
    poisoned = _row("48888888", {"x": object()}, "B")  # not JSON: the store refuses it mid-batch
    with pytest.raises(TypeError):
        import_rows(repo, forms, [_row("47777777", {"hps": 1}, "A"), poisoned], PREFIX)
    assert repo.count_processes() == 0 and repo.iter_entries() == []
    assert repo.entry_of_source("isb", "tender-2024", "A") is None
    assert repo.verify_audit_chain().ok


def test_the_bulk_path_gives_every_process_and_entry_its_audit_record(repo, forms):
    plans = [PlannedProcess(NewProcess(title=f"Paket {i}", opd_code="1.01", opd_name="Dinas", year=2024,
                                       kode_rup=str(40000000 + i) if i % 2 else None),
                            (PlannedStage(Stage.PLANNING, {"pagu": i + 1}),
                             PlannedStage(Stage.TENDER, {"hps": i + 1})))
             for i in range(50)]
    before = repo.verify_audit_chain().length
    ids = create_processes(repo, forms, plans, PREFIX, actor="demo")
    assert len(ids) == 50 and repo.count_processes() == 50
    check = repo.verify_audit_chain()
    assert check.ok and check.length == before + 50 * 3
    row = repo.get_process_rows([ids[1]])[0]
    assert repo.get_process(ids[1]).ocid == f"{PREFIX}-40000001"
    assert {e.stage for e in repo.entries_of_process(ids[1])} == {Stage.PLANNING, Stage.TENDER}
    assert row is not None
    # then the ordinary path chains on after it
    repo.save_entry_data(repo.current_entry(ids[0], Stage.PLANNING).id, {"pagu": 99})
    assert repo.verify_audit_chain().ok
    with pytest.raises(StorageError):  # an ocid already used refuses the whole batch
        create_processes(repo, forms, plans[1:2], PREFIX)
    assert repo.count_processes() == 50


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
