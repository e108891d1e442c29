"""`odc review` offline on a real store (no server): the queue as sync stores it, decisions queued with
their notes, refusals said in Indonesian (English with --lang en), red flags of a queued process
computed with the FlagIndex on its built releases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow.review import keep_review_queue
from tests.odc_cli import odc
from tests.unit.form_samples import valid_data

OCID = "ocds-a1b2c3-41239999"


def _item(uid: str, stage: str, data: dict, ocid: str = OCID) -> dict:
    form = load_form_set().for_stage(stage)
    return {"id": uid, "entry": uid, "revision": 1, "ocid": ocid, "opd": "1.03.0.00.0.00.09.0000", "stage": stage,
            "author": "operator", "accepted_at": "2024-04-03T09:00:00+07:00", "supersedes": None,
            "payload": {"entry": uid, "revision": 1, "ocid": ocid, "stage": stage, "data": data,
                        "form": {"id": form.id, "version": form.version, "hash": form.content_hash},
                        "attachments": []},
            "attachments": [], "previous": None, "flags": []}


@pytest.fixture
def supervisor_pc(tmp_path) -> Path:
    """A store signed in as a supervisor (sync state as `odc login` leaves it) with a pulled queue."""
    repo = SqlRepository.open(tmp_path)
    try:
        for key, value in {"role": "supervisor", "username": "supervisor", "server_url": "http://127.0.0.1:9"}.items():
            repo.set_sync_state(key, value)
        award = dict(valid_data("award"), nilai_penetapan=1_300_000_000)  # above the HPS of 1.235 bn
        keep_review_queue(repo, [_item("aaaa00000001", "tender", valid_data("tender")),
                                 _item("aaaa00000002", "award", award),
                                 _item("bbbb00000001", "planning", valid_data("planning"), "ocds-a1b2c3-41238888"),
                                 {"id": "junk"}])
    finally:
        repo.close()
    return tmp_path


def run(data_dir: Path, *args: str, code: int = 0) -> str:
    done = odc(*args, "--data-dir", str(data_dir))
    assert done.returncode == code, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_the_queue_lists_offline_and_a_return_is_queued_with_its_notes(supervisor_pc):
    listed = json.loads(run(supervisor_pc, "review", "list", "--json"))
    assert [i["id"] for i in listed["items"]] == ["bbbb00000001", "aaaa00000001", "aaaa00000002"]
    said = run(supervisor_pc, "review", "return", "bbbb0000", "--note", "Lengkapi", "--field", "pagu=Cek pagu",
               "--field", "rincian_anggaran/0/nilai=Tidak cocok")
    assert "bbbb00000001" in said and "odc sync" in said
    (item,) = [i for i in json.loads(run(supervisor_pc, "review", "list", "--json"))["items"] if i["id"] == "bbbb00000001"]
    assert item["decision"] == {"decision": "return", "status": "queued", "revision": 1, "error": None, "notes": [
        {"field": None, "text": "Lengkapi"}, {"field": "pagu", "text": "Cek pagu"},
        {"field": "rincian_anggaran/0/nilai", "text": "Tidak cocok"}]}
    repo = SqlRepository.open(supervisor_pc)
    try:
        assert repo.verify_audit_chain().ok
        assert [d.entry_uid for d in repo.list_review_decisions()] == ["bbbb00000001"]
    finally:
        repo.close()


@pytest.mark.parametrize("args, code, indonesian", [
    (["return", "bbbb00000001", "--note", " "], 3, "memerlukan catatan"),
    (["return", "bbbb00000001", "--note", "x", "--field", "tidak_ada=x"], 3, "Isian 'tidak_ada' tidak ada"),
    (["return", "bbbb00000001", "--note", "x", "--field", "pagu"], 2, "tidak terbaca"),
    (["approve", "cccc00000001"], 3, "tidak ada dalam antrean"),
    (["approve"], 2, "Sebutkan satu ID"),
    (["flags", "cccc00000001"], 3, "tidak ada dalam antrean"),
])
def test_bad_input_is_refused_in_indonesian_and_nothing_is_queued(supervisor_pc, args, code, indonesian):
    assert indonesian in run(supervisor_pc, "review", *args, code=code)
    assert run(supervisor_pc, "review", *args, "--lang", "en", code=code).startswith("odc: ")
    repo = SqlRepository.open(supervisor_pc)
    try:
        assert repo.list_review_decisions() == []
    finally:
        repo.close()


def test_approve_all_queues_every_undecided_item(supervisor_pc):
    run(supervisor_pc, "review", "return", "bbbb00000001", "--note", "Lengkapi")
    said = run(supervisor_pc, "review", "approve", "--all", "--lang", "en")
    assert "2 decisions wait for the sync." in said
    decisions = {i["id"]: i["decision"]["decision"] for i in json.loads(run(supervisor_pc, "review", "list", "--json"))["items"]}
    assert decisions == {"aaaa00000001": "approve", "aaaa00000002": "approve", "bbbb00000001": "return"}


def test_red_flags_of_the_process_are_built_from_the_queue(supervisor_pc):
    flagged = json.loads(run(supervisor_pc, "review", "flags", "aaaa00000001", "--json"))
    assert [(f["path"], f["code"]) for f in flagged["flags"]] == [("awards/0/value/amount", "award_above_hps")]
    listed = {i["id"]: i["flags"] for i in json.loads(run(supervisor_pc, "review", "list", "--json"))["items"]}
    assert listed == {"aaaa00000001": 1, "aaaa00000002": 1, "bbbb00000001": 0}
    assert "HPS" in run(supervisor_pc, "review", "flags", "aaaa00000002")
    clean = json.loads(run(supervisor_pc, "review", "flags", "bbbb00000001", "--json"))
    assert clean["flags"] == []
    assert "Tidak ada tanda bahaya" in run(supervisor_pc, "review", "flags", "bbbb00000001")
