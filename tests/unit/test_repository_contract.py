"""One behaviour suite for the Repository implementation (the SQLite store).

Statuses past ready are reached here through the store's receipt/decision primitives, as sync will
reach them; the front ends reach every status through :mod:`odc_desktop.workflow`."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from odc_desktop.domain.model import NewProcess, ProcessFilter, ProcessOrder, SortKey
from odc_desktop.domain.statuses import EntryStatus, InvalidTransition, Stage
from odc_desktop.storage.repository import NotFound, ReadOnlyEntry, Repository, StorageError
from odc_desktop.storage.sql import SqlRepository
from tests.status_path import TO_APPROVED, TO_SUBMITTED, advance

PREFIX = "ocds-test01"


@pytest.fixture
def repo(data_dir: Path):
    """A fresh store."""
    r = SqlRepository.open(data_dir)
    yield r
    r.close()


def new(title="Pembangunan Jalan Desa Ngasem", opd="1.03.0.00", opd_name="Dinas PUPR", year=2026,
        kode_rup=None, kecamatan=None) -> NewProcess:
    return NewProcess(title=title, opd_code=opd, opd_name=opd_name, year=year, kode_rup=kode_rup,
                      kecamatan=kecamatan)


def start(repo, process_id, stage=Stage.PLANNING, data=None):
    return repo.create_entry(process_id, stage, stage.value, 1, "formhash", data)




def test_implements_the_protocol(repo):
    assert isinstance(repo, Repository)


# processes and ocids -----------------------------------------------------------------------------
def test_create_process_with_kode_rup_uses_it_in_the_ocid(repo):
    p = repo.create_process(new(kode_rup=" 41234567 ", kecamatan="Dander"), PREFIX)
    assert p.ocid == f"{PREFIX}-41234567"
    assert p.kode_rup == "41234567"
    assert p.current_stage == Stage.PLANNING
    assert p.created_at.endswith("+07:00") and len(p.created_at) == len("2026-11-26T21:30:05+07:00")
    assert repo.get_process(p.id) == p
    assert repo.find_process_by_ocid(p.ocid) == p
    assert repo.find_process_by_ocid(f"{PREFIX}-nope") is None


def test_duplicate_kode_rup_is_refused_with_a_clear_message(repo):
    repo.create_process(new(kode_rup="777"), PREFIX)
    with pytest.raises(StorageError, match=f"{PREFIX}-777 sudah ada"):
        repo.create_process(new(title="Lain", kode_rup="777"), PREFIX)
    assert repo.count_processes() == 1


def test_offline_ocids_use_device_id_and_sequence(repo):
    device = repo.get_meta("device_id")
    assert device and len(device) <= 12
    a = repo.create_process(new(), PREFIX)
    b = repo.create_process(new(kode_rup=""), PREFIX)
    assert (a.ocid, b.ocid) == (f"{PREFIX}-{device}-1", f"{PREFIX}-{device}-2")
    assert b.kode_rup is None


def test_unknown_ids_raise_not_found(repo):
    with pytest.raises(NotFound):
        repo.get_process(999)
    with pytest.raises(NotFound):
        repo.get_entry(999)
    with pytest.raises(NotFound):
        start(repo, 999)
    with pytest.raises(NotFound):
        repo.remove_attachment(999)


@pytest.fixture
def three(repo):
    """Three processes over two OPDs and two years; the first has a ready planning entry."""
    a = repo.create_process(new("Pembangunan Jalan Desa Ngasem", kode_rup="1001"), PREFIX)
    b = repo.create_process(new("Rehabilitasi Gedung SDN 2 Kalitidu", "1.01.0.00", "Dinas Pendidikan",
                                2025), PREFIX)
    c = repo.create_process(new("Pengadaan Komputer 100%_siap", "1.01.0.00", "Dinas Pendidikan",
                                2026, kode_rup="1003"), PREFIX)
    entry = start(repo, a.id, data={"pagu": 1})
    advance(repo, entry.id, EntryStatus.READY)
    return a, b, c


def test_list_is_most_recently_changed_first(repo, three):
    a, b, c = three
    assert repo.list_process_ids() == [a.id, c.id, b.id]
    start(repo, b.id)
    assert repo.list_process_ids() == [b.id, a.id, c.id]


def test_list_sorts_by_every_column_ties_most_recently_changed_first(repo, three):
    a, b, c = three  # a: planning ready (changed last); b, c: not started; c newer than b
    d = repo.create_process(new("aspal jalan poros", "1.02.0.00", "dinas kesehatan", 2024), PREFIX)
    tender = start(repo, c.id, Stage.TENDER)  # c: tender draft, changed last of all
    assert tender.status is EntryStatus.DRAFT
    order = lambda key, descending=False: repo.list_process_ids(  # noqa: E731
        ProcessFilter(), ProcessOrder(SortKey(key), descending))
    assert order("title") == [d.id, a.id, c.id, b.id]  # case-insensitive: "aspal" before "Pembangunan"
    assert order("title", True) == [b.id, c.id, a.id, d.id]
    assert order("opd") == [d.id, c.id, b.id, a.id]  # kesehatan, Pendidikan (c newer), PUPR
    assert order("year") == [d.id, b.id, c.id, a.id]
    assert order("year", True) == [c.id, a.id, b.id, d.id]
    assert order("stage") == [d.id, a.id, b.id, c.id]  # planning (newest first), then tender
    assert order("stage", True) == [c.id, d.id, a.id, b.id]
    assert order("status") == [d.id, b.id, c.id, a.id]  # not started, draft, ready
    assert order("updated", True) == repo.list_process_ids()
    assert order("updated") == repo.list_process_ids()[::-1]
    # With a text filter the order holds among the matches.
    assert repo.list_process_ids(ProcessFilter(text="pendidikan"), ProcessOrder(SortKey.TITLE, False)) == [
        c.id, b.id]
    drafts = ProcessFilter(status=EntryStatus.DRAFT)
    assert repo.list_process_ids(drafts, ProcessOrder(SortKey.TITLE, False)) == [c.id]


def test_text_search_is_case_insensitive_over_title_ocid_kode_rup_and_opd(repo, three):
    a, b, c = three
    assert repo.list_process_ids(ProcessFilter(text="JALAN ngasem")) == [a.id]
    assert repo.list_process_ids(ProcessFilter(text="pendidikan")) == [c.id, b.id]
    assert repo.list_process_ids(ProcessFilter(text="1003")) == [c.id]
    assert repo.list_process_ids(ProcessFilter(text=b.ocid.upper())) == [b.id]
    assert repo.list_process_ids(ProcessFilter(text="ng")) == [a.id, c.id, b.id]
    assert repo.list_process_ids(ProcessFilter(text="  sdn   2 ")) == [b.id]
    assert repo.list_process_ids(ProcessFilter(text="jalan gedung")) == []


def test_search_wildcards_are_literal(repo, three):
    _, _, c = three
    assert repo.list_process_ids(ProcessFilter(text="100%_")) == [c.id]
    assert repo.list_process_ids(ProcessFilter(text="%")) == [c.id]
    assert repo.list_process_ids(ProcessFilter(text="_")) == [c.id]


def test_filters_by_opd_year_stage_and_status_combine(repo, three):
    a, b, c = three
    assert repo.list_process_ids(ProcessFilter(opd_code="1.01.0.00")) == [c.id, b.id]
    assert repo.list_process_ids(ProcessFilter(year=2025)) == [b.id]
    assert repo.list_process_ids(ProcessFilter(status=EntryStatus.READY)) == [a.id]
    assert repo.list_process_ids(ProcessFilter(status=EntryStatus.DRAFT)) == []
    start(repo, c.id, Stage.TENDER)
    assert repo.list_process_ids(ProcessFilter(stage=Stage.TENDER)) == [c.id]
    assert repo.list_process_ids(ProcessFilter(stage=Stage.PLANNING)) == [a.id, b.id]
    assert repo.list_process_ids(ProcessFilter(status=EntryStatus.DRAFT)) == [c.id]
    assert repo.list_process_ids(ProcessFilter(text="komputer", opd_code="1.01.0.00", year=2026,
                                               stage=Stage.TENDER, status=EntryStatus.DRAFT)) == [c.id]
    assert repo.list_process_ids(ProcessFilter(text="komputer", year=2025)) == []
    assert repo.list_process_ids(ProcessFilter(text="jalan", status=EntryStatus.READY)) == [a.id]


def test_process_rows_follow_the_requested_order(repo, three):
    a, b, c = three
    rows = repo.get_process_rows([b.id, 424242, a.id])
    assert [r.id for r in rows] == [b.id, a.id]
    assert rows[1].stage_statuses == {Stage.PLANNING: EntryStatus.READY}
    assert rows[0].stage_statuses == {}
    assert (rows[1].ocid, rows[1].title, rows[1].opd_name, rows[1].year) == (
        a.ocid, a.title, a.opd_name, a.year)


def test_counts_opds_and_years(repo, three):
    assert repo.count_processes() == 3
    assert repo.list_opds() == [("1.01.0.00", "Dinas Pendidikan"), ("1.03.0.00", "Dinas PUPR")]
    assert repo.list_years() == [2026, 2025]


# entries -----------------------------------------------------------------------------------------
def test_entry_starts_as_draft_with_no_server_revision_and_its_content_identity(repo):
    p = repo.create_process(new(), PREFIX)
    data = {"uraian_pekerjaan": "Jalan beton ± 2 km", "pagu": 1_500_000_000}
    e = start(repo, p.id, data=data)
    identity = {"data": data, "documents": [], "form": ["planning", 1, "formhash"]}
    canonical = json.dumps(identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert (e.status, e.revision, e.edit_seq, e.base_revision) == (EntryStatus.DRAFT, 0, 1, None)
    assert e.content_sha256 == hashlib.sha256(canonical.encode()).hexdigest()
    assert len(e.uid) == 32 and e.uid != start(repo, p.id, Stage.TENDER).uid
    assert repo.get_entry(e.id).data == data
    assert repo.current_entry(p.id, Stage.PLANNING) == e
    assert repo.current_entry(p.id, Stage.AWARD) is None
    assert repo.get_process(p.id).current_stage == Stage.TENDER


def test_saving_changed_data_bumps_the_edit_counter_and_identical_data_does_not(repo):
    p = repo.create_process(new(), PREFIX)
    e = start(repo, p.id, data={"pagu": 1})
    audit_before = repo.verify_audit_chain().length
    same = repo.save_entry_data(e.id, {"pagu": 1})
    assert same.edit_seq == 1 and repo.verify_audit_chain().length == audit_before
    changed = repo.save_entry_data(e.id, {"pagu": 2})
    assert (changed.edit_seq, changed.revision) == (2, 0) and changed.data == {"pagu": 2}
    assert changed.content_sha256 != e.content_sha256
    assert repo.verify_audit_chain().length == audit_before + 1


def test_returned_data_is_a_copy(repo):
    p = repo.create_process(new(), PREFIX)
    e = start(repo, p.id, data={"rincian": [{"nilai": 1}]})
    e.data["rincian"].append({"nilai": 2})
    assert repo.get_entry(e.id).data == {"rincian": [{"nilai": 1}]}


@pytest.mark.parametrize("status_path", [(EntryStatus.READY,),
                                         (EntryStatus.READY, EntryStatus.QUEUED,
                                          EntryStatus.REJECTED_BY_SERVER),
                                         (EntryStatus.READY, EntryStatus.QUEUED,
                                          EntryStatus.SUBMITTED, EntryStatus.RETURNED)])
def test_editing_a_ready_returned_or_rejected_entry_makes_it_draft_again(repo, status_path):
    p = repo.create_process(new(), PREFIX)
    e = start(repo, p.id, data={"pagu": 1})
    advance(repo, e.id, *status_path)
    before = repo.get_entry(e.id)
    saved = repo.save_entry_data(e.id, {"pagu": 5})
    assert (saved.status, saved.edit_seq) == (EntryStatus.DRAFT, 2)
    assert saved.revision == before.revision  # the server's revision is the server's
    assert repo.get_process_rows([p.id])[0].stage_statuses[Stage.PLANNING] == EntryStatus.DRAFT


@pytest.mark.parametrize("status_path", [TO_APPROVED[:2], TO_APPROVED[:3], TO_APPROVED])
def test_queued_submitted_and_approved_entries_are_read_only(repo, status_path):
    p = repo.create_process(new(), PREFIX)
    e = start(repo, p.id, data={"pagu": 1})
    advance(repo, e.id, *status_path)
    with pytest.raises(ReadOnlyEntry, match="tidak dapat diubah"):
        repo.save_entry_data(e.id, {"pagu": 9})
    with pytest.raises(ReadOnlyEntry):
        repo.add_attachment(e.id, b"%PDF-x", "x.pdf", "dpa")
    assert repo.get_entry(e.id).data == {"pagu": 1}


def test_invalid_transitions_are_refused(repo):
    p = repo.create_process(new(), PREFIX)
    e = start(repo, p.id)
    with pytest.raises(InvalidTransition):
        advance(repo, e.id, EntryStatus.APPROVED)
    assert repo.get_entry(e.id).status == EntryStatus.DRAFT


def test_a_stage_in_progress_cannot_be_started_twice_but_an_approved_one_gets_an_update(repo):
    p = repo.create_process(new(), PREFIX)
    first = start(repo, p.id, data={"pagu": 1})
    with pytest.raises(StorageError, match="belum disetujui"):
        start(repo, p.id)
    repo.save_entry_data(first.id, {"pagu": 2})
    advance(repo, first.id, *TO_APPROVED)
    approved = repo.get_entry(first.id)
    update = start(repo, p.id, data={"pagu": 3})
    assert (update.revision, update.base_revision, update.status) == (0, approved.revision,
                                                                      EntryStatus.DRAFT)
    assert update.supersedes_uid == first.uid
    assert repo.current_entry(p.id, Stage.PLANNING).id == update.id
    assert [e.id for e in repo.entries_of_process(p.id)] == [first.id, update.id]


def test_iter_and_count_entries_by_status_use_current_entries(repo):
    p = repo.create_process(new(), PREFIX)
    q = repo.create_process(new(title="Lain"), PREFIX)
    old = start(repo, p.id)
    advance(repo, old.id, *TO_APPROVED)
    newer = start(repo, p.id)
    ready = start(repo, q.id)
    advance(repo, ready.id, EntryStatus.READY)
    assert [e.id for e in repo.iter_entries()] == [newer.id, ready.id]
    assert [e.id for e in repo.iter_entries({EntryStatus.READY})] == [ready.id]
    assert repo.iter_entries({EntryStatus.APPROVED}) == []
    counts = repo.count_entries_by_status()
    assert counts["draft"] == 1 and counts["ready"] == 1 and counts["approved"] == 0
    assert set(counts) == {s.value for s in EntryStatus}


# attachments -------------------------------------------------------------------------------------
def test_attachments_are_content_addressed_and_stored_once(repo, tmp_path):
    p = repo.create_process(new(), PREFIX)
    e = start(repo, p.id)
    scan = tmp_path / "DPA 2026.pdf"
    scan.write_bytes(b"%PDF-1.4 dpa" * 100)
    first = repo.add_attachment(e.id, scan, scan.name, "dpa", title="DPA")
    second = repo.add_attachment(e.id, scan.read_bytes(), "salinan.pdf", "dpa")
    other = repo.add_attachment(e.id, b"\x89PNG\r\n\x1a\n foto", "foto.png", "foto_lapangan")
    assert first.sha256 == hashlib.sha256(scan.read_bytes()).hexdigest() == second.sha256
    assert (first.mime, first.size, first.title) == ("application/pdf", 1200, "DPA")
    assert other.mime == "image/png"
    assert repo.read_attachment(second) == scan.read_bytes()
    assert repo.list_attachments(e.id) == [first, second, other]
    assert repo.attachment_totals() == (3, 1200 + len(b"\x89PNG\r\n\x1a\n foto"))
    repo.remove_attachment(first.id)
    assert repo.read_attachment(second) == scan.read_bytes()
    assert repo.attachment_totals() == (2, 1200 + len(b"\x89PNG\r\n\x1a\n foto"))


def test_document_changes_send_a_ready_entry_back_to_draft(repo):
    p = repo.create_process(new(), PREFIX)
    e = start(repo, p.id)
    advance(repo, e.id, EntryStatus.READY)
    att = repo.add_attachment(e.id, b"%PDF-kak", "kak.pdf", "kak")
    assert repo.get_entry(e.id).status == EntryStatus.DRAFT
    assert repo.get_process_rows([p.id])[0].stage_statuses[Stage.PLANNING] == EntryStatus.DRAFT
    advance(repo, e.id, EntryStatus.READY)
    repo.remove_attachment(att.id)
    assert repo.get_entry(e.id).status == EntryStatus.DRAFT
    assert repo.get_process_rows([p.id])[0].stage_statuses[Stage.PLANNING] == EntryStatus.DRAFT


def test_attachment_size_limit_and_missing_file(repo, tmp_path):
    p = repo.create_process(new(), PREFIX)
    e = start(repo, p.id)
    repo.max_attachment_bytes = 10
    with pytest.raises(StorageError, match="terlalu besar"):
        repo.add_attachment(e.id, b"%PDF-" + b"x" * 6, "besar.pdf", "dpa")
    with pytest.raises(StorageError, match="tidak ditemukan"):
        repo.add_attachment(e.id, tmp_path / "hilang.pdf", "hilang.pdf", "dpa")
    assert repo.list_attachments(e.id) == []
    assert repo.add_attachment(e.id, b"%PDF-" + b"x" * 5, "pas.pdf", "dpa").size == 10


# review notes, meta, audit, integrity --------------------------------------------------------------
def test_review_notes(repo):
    p = repo.create_process(new(), PREFIX)
    e = start(repo, p.id)
    n1 = repo.add_review_note(e.id, "Pagu tidak sesuai DPA", author="pak.budi", field_id="pagu")
    n2 = repo.add_review_note(e.id, "Lampirkan KAK", author="pak.budi")
    assert repo.list_review_notes(e.id) == [n1, n2]
    assert (n1.field_id, n1.author, n2.field_id) == ("pagu", "pak.budi", None)
    with pytest.raises(StorageError, match="tidak boleh kosong"):
        repo.add_review_note(e.id, "  ", author="pak.budi")
    with pytest.raises(NotFound):
        repo.add_review_note(999, "x", author="pak.budi")


def test_processes_with_a_returned_entry_are_found_by_status(repo):
    kept, returned, approved = (repo.create_process(new(title=t, kode_rup=str(41_000_000 + i)), PREFIX)
                                for i, t in enumerate(["Draf", "Dikembalikan", "Disetujui"]))
    start(repo, kept.id)
    assert repo.list_returned_process_ids() == set()
    advance(repo, start(repo, returned.id).id, *TO_SUBMITTED, EntryStatus.RETURNED)
    advance(repo, start(repo, approved.id).id, *TO_APPROVED)
    assert repo.list_returned_process_ids() == {returned.id}
    entry = repo.current_entry(returned.id, Stage.PLANNING)
    repo.save_entry_data(entry.id, {"pagu": 1})  # being fixed: a draft again
    assert repo.list_returned_process_ids() == set()


def test_meta(repo):
    assert repo.get_meta("ocid_prefix") is None
    assert repo.get_meta("ocid_prefix", "ocds-default") == "ocds-default"
    repo.set_meta("ocid_prefix", "ocds-abc123")
    assert repo.get_meta("ocid_prefix") == "ocds-abc123"
    with pytest.raises(StorageError, match="device_id"):
        repo.set_meta("device_id", "mine")


def test_every_mutation_is_in_an_intact_audit_chain(repo):
    length = repo.verify_audit_chain().length
    p = repo.create_process(new(), PREFIX)
    e = start(repo, p.id)
    repo.save_entry_data(e.id, {"a": 1})
    advance(repo, e.id, EntryStatus.READY)
    att = repo.add_attachment(e.id, b"%PDF-doc", "d.pdf", "dpa")
    repo.remove_attachment(att.id)
    repo.add_review_note(e.id, "ok", author="rev")
    repo.set_meta("k", "v")
    check = repo.verify_audit_chain()
    assert check.ok and check.first_bad_seq is None
    assert check.length == length + 8


def test_integrity_check_reports_ok_and_counts(repo):
    p = repo.create_process(new(), PREFIX)
    e = start(repo, p.id)
    repo.add_attachment(e.id, b"%PDF-doc", "d.pdf", "dpa")
    report = repo.integrity_check()
    assert report["integrity"] == "ok" and report["ok"] is True
    assert report["audit"]["ok"] is True and report["missing_files"] == []
    assert report["counts"] == {"processes": 1, "entries": 1, "attachments": 1}


# form version migration ----------------------------------------------------------------------------
def test_migrate_entry_moves_an_editable_entry_to_a_newer_form(repo):
    p = repo.create_process(new(), PREFIX)
    entry = start(repo, p.id, data={"alasan": "Renja 2026"})
    advance(repo, entry.id, EntryStatus.READY)
    moved = repo.migrate_entry(entry.id, 2, "formhash-v2", {"alasan_kebutuhan": "Renja 2026"})
    assert (moved.form_version, moved.form_hash) == (2, "formhash-v2")
    assert moved.data == {"alasan_kebutuhan": "Renja 2026"}
    assert moved.edit_seq == entry.edit_seq + 1 and moved.status == EntryStatus.DRAFT
    assert moved.revision == entry.revision
    assert repo.get_entry(entry.id) == moved
    assert repo.get_process_rows([p.id])[0].stage_statuses[Stage.PLANNING] == EntryStatus.DRAFT
    assert repo.verify_audit_chain().ok


def test_migrate_entry_refuses_locked_entries_and_older_versions(repo):
    p = repo.create_process(new(), PREFIX)
    entry = start(repo, p.id, data={"n": 1})
    with pytest.raises(StorageError, match="versi 1"):
        repo.migrate_entry(entry.id, 1, "same", {"n": 1})
    advance(repo, entry.id, EntryStatus.READY, EntryStatus.QUEUED, EntryStatus.SUBMITTED)
    with pytest.raises(ReadOnlyEntry):
        repo.migrate_entry(entry.id, 2, "v2", {"n": 1})
    assert repo.get_entry(entry.id).form_version == 1


@pytest.mark.parametrize("name, content, words", [
    ("kosong.pdf", b"", "kosong (0 byte)"),
    ("kosong.docx", b"", "kosong (0 byte)"),
    ("dpa.pdf", b"<html>halaman login</html>", "bukan PDF"),
    ("foto.jpeg", b"\x89PNG\r\n\x1a\n sebenarnya png", "bukan JPEG"),
    ("foto.png", b"GIF89a", "bukan PNG"),
    ("tanpa-akhiran", b"GIF89a", "bukan PNG"),  # the MIME type claims PNG
])
def test_empty_or_mislabelled_documents_are_refused_for_every_caller(repo, tmp_path, name, content, words):
    p = repo.create_process(new(), "ocds-a1b2c3")
    e = start(repo, p.id)
    path = tmp_path / name
    path.write_bytes(content)
    mime = "image/png" if name == "tanpa-akhiran" else None
    for source in (path, content):  # a file (the form, the CLI) or bytes (importers)
        with pytest.raises(StorageError, match=re.escape(words)):
            repo.add_attachment(e.id, source, name, "dpa", mime=mime)
    assert repo.list_attachments(e.id) == []
    assert repo.get_entry(e.id) == e


def test_real_documents_of_every_kind_are_accepted(repo, tmp_path):
    p = repo.create_process(new(), "ocds-a1b2c3")
    e = start(repo, p.id)
    for name, content in (("a.pdf", b"%PDF-1.7\n..."), ("b.JPG", b"\xff\xd8\xff\xdb..."),
                          ("c.png", b"\x89PNG\r\n\x1a\n..."), ("d.docx", b"PK\x03\x04...")):
        repo.add_attachment(e.id, content, name, "dpa")
    assert len(repo.list_attachments(e.id)) == 4


# batches ----------------------------------------------------------------------------------------
def test_a_batch_sees_its_own_changes_and_a_refused_one_undoes_only_itself(repo):
    with repo.batch():
        first = repo.create_process(new(kode_rup="123"), PREFIX)
        assert repo.find_process_by_ocid(first.ocid) is not None  # read inside the batch
        with pytest.raises(StorageError):
            repo.create_process(new(kode_rup="123"), PREFIX)  # the same kode RUP: refused
        second = repo.create_process(new(title="Rehabilitasi Gedung SDN", kode_rup="456"), PREFIX)
    assert {repo.get_process(first.id).ocid, repo.get_process(second.id).ocid} == {first.ocid, second.ocid}
    assert repo.count_processes() == 2
    assert repo.verify_audit_chain().ok


def test_an_error_that_leaves_a_batch_undoes_the_whole_batch_in_sql(data_dir):
    repo = SqlRepository.open(data_dir)
    try:
        with pytest.raises(RuntimeError), repo.batch():
            repo.create_process(new(kode_rup="789"), PREFIX)
            raise RuntimeError("stopped half-way")
        assert repo.count_processes() == 0
    finally:
        repo.close()
