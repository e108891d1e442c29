"""Review end to end with a real `odc-server` on loopback and real `odc` subprocesses (issue 9):
operator submits → supervisor pulls, returns with a field note (offline, pushed by the next sync) →
operator sees it returned with the notes, edits, resubmits (revision 2) → supervisor approves →
operator sees it approved; the approved entry is locked; a change of it, approved, is published as
an update release on the public /ocds/releases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow import WorkflowRefused, add_document, mark_ready, queue, save_draft, start_change
from odc_desktop.workflow.review import keep_review_queue
from tests.odc_cli import odc
from tests.server.api import Api
from tests.server.review_api import public
from tests.sync.conftest import add_entries


def run_odc(data_dir: Path, *args: str, code: int = 0) -> str:
    """``odc ARGS --data-dir DATA_DIR``, which must end with ``code``; its standard output."""
    done = odc(*args, "--data-dir", str(data_dir))
    assert done.returncode == code, done.stdout + done.stderr
    return done.stdout + done.stderr


def login(server, data_dir: Path, who: str) -> None:
    run_odc(data_dir, "login", "--server", server.url, "--username", who, "--password", who)


def sync(data_dir: Path) -> dict:
    return json.loads(run_odc(data_dir, "sync", "--json"))


def queue_of(data_dir: Path) -> dict[str, dict]:
    return {item["id"]: item for item in json.loads(run_odc(data_dir, "review", "list", "--json"))["items"]}


def edit(data_dir: Path, forms, uid: str, change) -> str:
    """Change the entry's data through the workflow, mark it ready and queue it; its uid."""
    repo = SqlRepository.open(data_dir)
    try:
        entry = repo.entry_by_uid(uid)
        data = dict(entry.data)
        change(data)
        saved = save_draft(repo, forms, entry.process_id, entry.stage, data, entry_id=entry.id).entry
        queue(repo, mark_ready(repo, forms, saved.id).entry.id)
        return saved.uid
    finally:
        repo.close()


@pytest.fixture
def pcs(server, tmp_path):
    operator, supervisor = tmp_path / "operator-pc", tmp_path / "supervisor-pc"
    operator.mkdir()
    supervisor.mkdir()
    login(server, operator, "operator")
    login(server, supervisor, "supervisor")
    return operator, supervisor


def test_return_resubmit_approve_lock_and_amend(server, forms, pcs):
    operator, supervisor = pcs
    (uid,) = add_entries(operator, forms, 1, start=1000, status="queued")
    assert sync(operator)["accepted"] == 1

    # the supervisor pulls the queue, then decides offline: nothing is sent before the next sync
    assert sync(supervisor)["review_queue"] >= 1
    item = queue_of(supervisor)[uid]
    assert (item["revision"], item["stage"], item["author"], item["decision"]) == (1, "planning", "operator", None)
    said = run_odc(supervisor, "review", "return", uid, "--note", "Lengkapi rincian anggaran",
                   "--field", "pagu=Pagu tidak sesuai DPA")
    assert "odc sync" in said
    assert queue_of(supervisor)[uid]["decision"]["status"] == "queued"
    assert sync(operator)["decisions"] == 0  # still on the supervisor's PC
    summary = sync(supervisor)
    assert (summary["review_sent"], summary["review_refused"]) == (1, [])
    assert uid not in queue_of(supervisor)

    # the operator sees it returned with both notes, fixes it and sends revision 2
    assert sync(operator)["decisions"] == 1
    status = json.loads(run_odc(operator, "status", "--json"))
    (returned,) = [r for r in status["returned"] if r["entry_uid"] == uid]
    assert [(n["field_id"], n["text"], n["author"]) for n in returned["notes"]] == [
        (None, "Lengkapi rincian anggaran", "supervisor"), ("pagu", "Pagu tidak sesuai DPA", "supervisor")]
    edit(operator, forms, uid, lambda data: data.update(pagu=1_250_000_000, volume_pekerjaan="1.250 m"))
    assert sync(operator)["accepted"] == 1

    # the supervisor sees revision 2 with revision 1 to compare, and approves it
    sync(supervisor)
    repo = SqlRepository.open(supervisor)
    try:
        (pulled,) = [i for i in repo.list_review_items() if i.entry_uid == uid]
        assert pulled.revision == 2 and pulled.previous_data["volume_pekerjaan"] == "1.200 m"
        assert pulled.data["volume_pekerjaan"] == "1.250 m"
    finally:
        repo.close()
    run_odc(supervisor, "review", "approve", uid)
    assert sync(supervisor)["review_sent"] == 1

    # the operator sees it approved, and the approved entry is locked
    assert sync(operator)["decisions"] == 1
    repo = SqlRepository.open(operator)
    try:
        entry = repo.entry_by_uid(uid)
        assert (entry.status, entry.revision) == (EntryStatus.APPROVED, 2)
        with pytest.raises(WorkflowRefused) as refused:
            save_draft(repo, forms, entry.process_id, Stage.PLANNING, {**entry.data, "pagu": 1}, entry_id=entry.id)
        assert refused.value.code == "workflow.entry_locked"
        with pytest.raises(WorkflowRefused):
            add_document(repo, entry.id, b"%PDF-1.4 lagi", "lagi.pdf", "kak")
        assert repo.entry_by_uid(uid).data == entry.data
        change = start_change(repo, forms, entry.id).entry
        assert change.supersedes_uid == uid and change.status == EntryStatus.DRAFT
    finally:
        repo.close()

    # a change after approval: submitted, approved, then published as an update release
    edit(operator, forms, change.uid, lambda data: data.update(volume_pekerjaan="1.300 m"))
    assert sync(operator)["accepted"] == 1
    sync(supervisor)
    assert queue_of(supervisor)[change.uid]["supersedes"] == uid
    run_odc(supervisor, "review", "approve", change.uid)
    assert sync(supervisor)["review_sent"] == 1
    assert sync(operator)["decisions"] == 1
    releases = public(server.url, "/ocds/releases", limit=1000).json()["releases"]
    mine = {r["id"]: r for r in releases if uid in r["id"] or change.uid in r["id"]}
    tags = sorted(r["tag"][0] for r in mine.values())
    assert tags == ["planning", "planningUpdate"], tags
    (update,) = [r for r in mine.values() if change.uid in r["id"]]
    assert update["tag"] == ["planningUpdate"]


def _as_an_older_server_listed_it(server, data_dir: Path, uid: str) -> None:
    """Put ``uid``'s queue item in the PC's stored queue the way a server from before the queue left
    out the requester's own entries listed it (the admin's queue has it: the admin did not push it)."""
    admin = Api(server.url)
    try:
        assert admin.login("admin", "admin").status_code == 200
        items = admin.http.get("/api/v1/review/queue", headers=admin.auth).json()["items"]
    finally:
        admin.close()
    repo = SqlRepository.open(data_dir)
    try:
        keep_review_queue(repo, [item for item in items if item["id"] == uid])
    finally:
        repo.close()


def test_four_eyes_a_supervisor_cannot_decide_their_own_entry(server, forms, pcs):
    _operator, supervisor = pcs
    (own,) = add_entries(supervisor, forms, 1, start=1100, status="queued")
    summary = sync(supervisor)  # pushes it, then pulls the queue, which leaves it out (four eyes)
    assert summary["accepted"] == 1 and own not in queue_of(supervisor)
    # listed anyway (an older server did): the server still refuses the decision
    _as_an_older_server_listed_it(server, supervisor, own)
    run_odc(supervisor, "review", "approve", own)
    summary = sync(supervisor)
    assert summary["review_sent"] == 0
    assert summary["review_refused"] == [{"entry": own, "revision": 1, "decision": "approve", "error": "own_entry"}]
    assert sync(supervisor)["review_refused"] == []  # a refused decision is not sent again by itself
    _as_an_older_server_listed_it(server, supervisor, own)
    run_odc(supervisor, "review", "approve", own)  # deciding again queues it again; the server says the same
    assert "keputusan ditolak server — Prinsip empat mata" in run_odc(supervisor, "sync")
    listed = json.loads(run_odc(supervisor, "review", "list", "--json"))
    assert own not in {item["id"] for item in listed["items"]}  # the pulled queue leaves it out again
    refused = [item for item in listed["refused"] if item["id"] == own]
    assert refused and refused[-1]["reason"].startswith("Prinsip empat mata")
    assert "Prinsip empat mata" in run_odc(supervisor, "review", "list")
    assert "Four eyes: you cannot review an entry you sent yourself." in run_odc(supervisor, "review", "list",
                                                                                  "--lang", "en")
    repo = SqlRepository.open(supervisor)
    try:
        assert repo.entry_by_uid(own).status == EntryStatus.SUBMITTED  # still waiting for another reviewer
    finally:
        repo.close()


def test_an_operator_cannot_approve(server, forms, pcs, tmp_path):
    operator, supervisor = pcs
    (uid,) = add_entries(operator, forms, 1, start=1200, status="queued")
    sync(operator)
    # on the command line: the operator's account has no review to decide
    said = run_odc(operator, "review", "approve", uid, code=3)
    assert "Hanya akun verifikator" in said
    assert "Only a supervisor account" in run_odc(operator, "review", "approve", uid, "--lang", "en", code=3)
    # on the server: a decision made on a supervisor's PC, then pushed under an operator's login
    shared = tmp_path / "shared-pc"
    shared.mkdir()
    login(server, shared, "supervisor")
    sync(shared)
    run_odc(shared, "review", "approve", uid)
    login(server, shared, "operator")
    summary = sync(shared)
    assert [r["error"] for r in summary["review_refused"]] == ["forbidden_role"]
    listed = json.loads(run_odc(shared, "review", "list", "--json"))
    assert listed["items"] == []  # the supervisor's queue is not the operator's to read
    (refused,) = listed["refused"]
    assert (refused["id"], refused["reason"]) == (uid, "Akun ini bukan verifikator; server hanya menerima "
                                                       "keputusan dari verifikator.")
    assert sync(operator)["decisions"] == 0
    repo = SqlRepository.open(operator)
    try:
        assert repo.entry_by_uid(uid).status == EntryStatus.SUBMITTED
    finally:
        repo.close()


def test_a_supervisor_of_another_opd_is_refused(server, forms, pcs, tmp_path):
    from tests.server.review_api import OTHER_OPD, ensure_user

    operator, supervisor = pcs
    ensure_user(server.options, "verifikator_dinkes", "supervisor", OTHER_OPD)
    (uid,) = add_entries(operator, forms, 1, start=1300, status="queued")
    sync(operator)
    sync(supervisor)
    run_odc(supervisor, "review", "approve", uid)  # decided here, pushed under the other OPD's login
    login(server, supervisor, "verifikator_dinkes")
    summary = sync(supervisor)
    assert [r["error"] for r in summary["review_refused"]] == ["forbidden_opd"]
    listed = json.loads(run_odc(supervisor, "review", "list", "--json"))
    assert uid not in {i["id"] for i in listed["items"]}  # the other OPD's queue replaced it
    (refused,) = [r for r in listed["refused"] if r["id"] == uid]
    assert refused["reason"].startswith("Entri ini milik OPD lain")
    assert "milik OPD lain" in run_odc(supervisor, "review", "list")


def test_a_decision_whose_answer_was_lost_is_not_sent_twice(server, forms, pcs):
    """The server took the decision but its answer never reached the PC (here: the same supervisor's
    decision made through the API while the PC's copy waits): the next sync's pull shows it, so the PC
    marks it sent instead of posting it again and hearing "not reviewable"."""
    from tests.server.api import Api
    from tests.server.review_api import decide

    operator, supervisor = pcs
    (uid,) = add_entries(operator, forms, 1, start=1400, status="queued")
    sync(operator)
    sync(supervisor)
    run_odc(supervisor, "review", "return", uid, "--note", "Lengkapi")
    api = Api(server.url)
    try:
        assert api.login("supervisor", "supervisor").status_code == 200
        assert decide(api, uid, 1, "return", [{"field": None, "text": "Lengkapi"}]).status_code == 200
    finally:
        api.close()
    summary = sync(supervisor)
    assert (summary["review_sent"], summary["review_refused"]) == (0, [])
    repo = SqlRepository.open(supervisor)
    try:
        (decision,) = [d for d in repo.list_review_decisions() if d.entry_uid == uid]
        assert decision.status.value == "sent" and decision.sent_at
    finally:
        repo.close()
    assert uid not in queue_of(supervisor)
