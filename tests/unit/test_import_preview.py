"""The import preview (read-only) and the wizard's jobs on a real SQLite store: new, updated,
unchanged and blocked by content; progress rows joined by nomor kontrak; nothing written by a preview."""

from __future__ import annotations

from pathlib import Path

from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.importers.tabular_store import MappingStore
from odc_desktop.import_jobs import gather, preview_job, read_files, resolve_progress
from odc_desktop.workflow import import_rows
from odc_desktop.workflow.import_preview import preview_import
from tests.unit.workflow_helpers import PREFIX, entry_in, new_process
from tests.unit.workflow_helpers import forms, repo  # noqa: F401  (fixtures)


def _progress(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "progres.csv"
    path.write_text("\n".join(["No Kontrak;Kode RUP;Tanggal;% Fisik"] + lines), encoding="utf-8")
    return path


def _rows(repo, tmp_path, lines):
    rows, problems = gather(read_files([_progress(tmp_path, lines)], MappingStore(tmp_path)))
    out, more = resolve_progress(repo, rows, PREFIX)
    return out, problems + more


def test_preview_counts_by_content_and_writes_nothing(repo, forms, tmp_path):
    process_id = new_process(repo, kode_rup="41234567")
    rows, problems = _rows(repo, tmp_path, [";41234567;17/08/2026;10", ";40000000;17/08/2026;10"])
    assert [p.message("en") for p in problems] == [
        "There is no package with RUP code 40000000; a progress report only updates existing packages. "
        "The row was skipped."]
    mark = repo.change_mark()
    assert preview_import(repo, forms, rows, PREFIX).counts() == {"new": 1, "updated": 0, "unchanged": 0, "blocked": 0,
                                                                    "rejected": 0}
    assert not repo.changes_since(mark)  # a preview writes nothing
    import_rows(repo, forms, rows, PREFIX)
    assert preview_import(repo, forms, rows, PREFIX).counts()["unchanged"] == 1
    newer, _ = _rows(repo, tmp_path, [";41234567;17/08/2026;10", ";41234567;17/09/2026;25"])
    assert preview_import(repo, forms, newer, PREFIX).counts()["updated"] == 1
    assert repo.current_entry(process_id, Stage.IMPLEMENTATION).data == {"progres_fisik": 10}


def test_an_entry_past_ready_is_blocked_and_never_written(repo, forms, tmp_path):
    process_id = new_process(repo, kode_rup="41234567")
    approved = entry_in(repo, forms, process_id, EntryStatus.APPROVED)
    dpa = tmp_path / "dpa.csv"
    dpa.write_text("Kode RUP;Uraian;Jumlah;Tahun\n41234567;Rehab jalan;Rp 2 M;2026\n", encoding="utf-8")
    rows, problems = gather(read_files([dpa], MappingStore(tmp_path)))
    workflow_rows, _ = resolve_progress(repo, rows, PREFIX)
    preview = preview_import(repo, forms, workflow_rows, PREFIX)
    assert preview.counts()["blocked"] == 1 and preview.to_write() == []
    assert repo.current_entry(process_id, Stage.PLANNING).id == approved.id
    shown = preview_job(rows, problems, forms, PREFIX)(repo).problems
    assert [p.message("en") for p in shown] == [
        "Stage Planning of package rup:41234567 was not changed: its entry is 'Approved' and changes only "
        "through \"Make a change\"."]


def test_a_progress_row_finds_its_package_by_contract_number(repo, forms, tmp_path):
    process_id = new_process(repo, kode_rup="41234567")
    contract = forms.current("contract")
    repo.create_entry(process_id, Stage.CONTRACT, contract.id, contract.version, contract.content_hash,
                      {"nomor_kontrak": "027/5/SPK/2026"})
    rows, problems = _rows(repo, tmp_path, ["027/5/SPK/2026;;17/08/2026;30", "999/X;;17/08/2026;30"])
    assert [r.process_fields["kode_rup"] for r in rows] == ["41234567"]
    assert "999/X" in problems[0].message("id") and "tidak ditemukan" in problems[0].message("id")
    import_rows(repo, forms, rows, PREFIX)
    assert repo.current_entry(process_id, Stage.IMPLEMENTATION).data == {"progres_fisik": 30}


def test_dpa_lines_and_proposals_become_new_drafts_with_their_source(repo, forms, tmp_path):
    dpa = tmp_path / "dpa.csv"
    dpa.write_text("Kode Rekening;Uraian;Jumlah;Tahun;Kode SKPD;Nama SKPD\n"
                   "1.03.10.2.01.0001.5.2.03.01.0001;Rehab jalan desa;Rp 1,25 M;2026;1.03;DINAS PU\n", encoding="utf-8")
    usulan = tmp_path / "usulan.xlsx"
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["ID Usulan", "Usulan", "Lokasi", "Tahun", "Kode OPD"])
    book.active.append(["U-17", "Perbaikan jembatan", "Desa Ngasem", 2026, "1.03"])
    book.save(usulan)
    rows, problems = gather(read_files([dpa, usulan], MappingStore(tmp_path)))
    assert problems == []
    workflow_rows, _ = resolve_progress(repo, rows, PREFIX)
    preview = preview_import(repo, forms, workflow_rows, PREFIX)
    assert preview.refused() == []  # each names its office (a new package needs one)
    result = import_rows(repo, forms, preview.to_write(), PREFIX)
    assert len(result.of("created")) == 2
    entry_id = repo.entry_of_source("e-musrenbang", "musrenbang", "usulan=U-17")
    entry = repo.get_entry(entry_id)
    assert entry.status == EntryStatus.DRAFT and entry.data["lokasi_detail"] == "Desa Ngasem"
    assert repo.get_process(entry.process_id).title == "Perbaikan jembatan"
    (dpa_source,) = [row.source[0] for row in workflow_rows if row.source[0].dataset == "dpa"]
    budget = repo.get_entry(repo.entry_of_source(dpa_source.system, "dpa", dpa_source.row_key))
    assert budget.data["pagu"] == 1_250_000_000
    assert repo.get_process(budget.process_id).opd_name == "DINAS PU"
    again, _ = resolve_progress(repo, gather(read_files([dpa, usulan], MappingStore(tmp_path)))[0], PREFIX)
    assert preview_import(repo, forms, again, PREFIX).counts()["unchanged"] == 2


def test_a_progress_row_finds_a_contract_arriving_in_the_same_import(repo, forms, tmp_path):
    from odc_desktop.importers.rows import ImportRow, SourceRef

    new_process(repo, kode_rup="41234567")
    contract = ImportRow("rup:41234567", {"kode_rup": "41234567"}, "contract", {"nomor_kontrak": "027/9/SPK/2026"},
                         (SourceRef("ISB/Inaproc", "kontrak", "kd_tender=1"),))
    progress, _ = gather(read_files([_progress(tmp_path, ["027/9/SPK/2026;;17/08/2026;30"])], MappingStore(tmp_path)))
    rows, problems = resolve_progress(repo, [contract, *progress], PREFIX)
    assert problems == [] and [r.process_fields["kode_rup"] for r in rows] == ["41234567", "41234567"]
