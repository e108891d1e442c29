"""A push conflict is something the operator resolves (odc_desktop.workflow.conflicts), against a real
`odc-server`: keep mine (sent as the next revision, the server keeps both), take the server's (only
a copy signed by the pinned key; the entry submitted with its receipt, my content kept in the audit),
and an approved entry (refused for "keep mine", a change holding my data instead)."""

from __future__ import annotations

import json

import pytest

from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.workflow import WorkflowRefused, mark_ready, queue
from odc_desktop.workflow.conflicts import change_with_mine, keep_mine, open_conflicts, take_server
from odc_sync.client.payloads import entry_payload
from odc_sync.protocol.canonical import content_sha256
from odc_sync.protocol.signing import new_private_key, public_key_from_b64, receipt_valid, sign_receipt
from tests.server.api import Api
from tests.server.review_api import approve
from tests.sync.conftest import add_entries, tamper
from tests.sync.test_engine import engine, signed_in_store, store

S = EntryStatus


def rival_pushes(server, payloads: list[dict]) -> list[dict]:
    """Another PC (the same operator) pushes these payloads first."""
    rival = Api(server.url)
    try:
        assert rival.login("operator", "operator").status_code == 200 and rival.register().status_code == 201
        return rival.push(payloads)
    finally:
        rival.close()


def rival_revisions(data_dir, uid: str, volumes: list[str]) -> list[dict]:
    """Payloads of revisions 1.. of ``uid`` with other data (no documents), as another PC made them."""
    with store(data_dir) as repo:
        mine = entry_payload(repo, repo.entry_by_uid(uid))
    found = []
    for n, volume in enumerate(volumes, start=1):
        found.append({**mine, "revision": n, "base_revision": n - 1 or None, "attachments": [],
                      "data": {**mine["data"], "volume_pekerjaan": volume}})
    return found


def conflicted(server, forms, tmp_path, start: int, volumes: list[str]):
    """A signed-in store whose queued entry met revisions ``volumes`` of another PC: (dir, uid)."""
    data_dir = signed_in_store(tmp_path, server)
    (uid,) = add_entries(data_dir, forms, 1, start=start, status="queued")
    assert [r["status"] for r in rival_pushes(server, rival_revisions(data_dir, uid, volumes))] == ["accepted"] * len(volumes)
    with store(data_dir) as repo:
        assert engine(repo, data_dir).run().conflicts == 1
    return data_dir, uid


def server_revisions(server, uid: str) -> int:
    api = Api(server.url)
    try:
        api.login("operator", "operator")
        return len(api.http.get(f"/api/v1/entries/{uid}", headers=api.auth).json()["revisions"])
    finally:
        api.close()


def approve_on_server(server, uid: str) -> None:
    """The demo supervisor approves revision 1 of ``uid`` on the server (the PC still holds its own)."""
    supervisor = Api(server.url)
    try:
        assert supervisor.login("supervisor", "supervisor").status_code == 200
        approve(supervisor, uid, 1)
    finally:
        supervisor.close()


def test_keep_mine_goes_on_top_of_the_server_copy_and_the_server_keeps_both(server, forms, tmp_path):
    data_dir, uid = conflicted(server, forms, tmp_path, 1200, ["10 m", "20 m"])
    with store(data_dir) as repo:
        (found,) = open_conflicts(repo, forms)
        assert (found.kind, found.server_revision, found.my_revision) == ("revision_taken", 1, 1)
        assert [d.field for d in found.differences] == ["volume_pekerjaan"] and found.documents_differ
        again = engine(repo, data_dir).run()  # unchanged, it is not sent again only to be refused again
        assert (again.pushed, again.conflicts, again.pending, again.waiting_choice) == (0, 0, 1, 1)
        assert open_conflicts(repo, forms) == [found]
        mine = repo.entry_by_uid(uid)
        keep_mine(repo, mine.id)
        assert open_conflicts(repo, forms) == [] and repo.entry_by_uid(uid).revision == 1
        assert engine(repo, data_dir).run().conflicts == 1  # revision 2 is the other PC's too
        (found,) = open_conflicts(repo, forms)
        assert (found.kind, found.server_revision) == ("revision_taken", 2)
        keep_mine(repo, mine.id)
        # the server is restored from a backup older than revision 2: my base is now ahead of it
        tamper(server, "DELETE FROM entries WHERE entry_uid = ? AND revision = ?", (uid, 2))
        assert engine(repo, data_dir).run().conflicts == 1
        (found,) = open_conflicts(repo, forms)
        assert (found.kind, found.server_revision) == ("stale_base", 1)
        keep_mine(repo, mine.id)
        summary = engine(repo, data_dir).run()
        assert (summary.accepted, summary.conflicts, summary.pending) == (1, 0, 0)
        entry = repo.entry_by_uid(uid)
        assert (entry.status, entry.revision, entry.content_sha256) == (S.SUBMITTED, 2, mine.content_sha256)
        assert repo.verify_audit_chain().ok
    assert server_revisions(server, uid) == 2  # the other PC's revision 1 and mine on top of it


def test_take_server_makes_the_entry_the_server_copy_submitted_with_a_receipt_that_verifies(server, forms, tmp_path):
    data_dir, uid = conflicted(server, forms, tmp_path, 1300, ["999 m"])
    with store(data_dir) as repo:
        mine = repo.entry_by_uid(uid)
        key = repo.get_sync_state("server_key")
        take_server(repo, mine.id, key)
        entry = repo.entry_by_uid(uid)
        assert (entry.status, entry.revision) == (S.SUBMITTED, 1)
        assert entry.data["volume_pekerjaan"] == "999 m" and repo.list_attachments(entry.id) == []
        (receipt,) = repo.receipts_of_entry(entry.id)
        assert receipt.content_sha256 == entry.content_sha256
        assert receipt_valid(public_key_from_b64(key), {"entry": uid, "revision": receipt.revision,
                                                         "content_sha256": receipt.content_sha256,
                                                         "server_seq": receipt.server_seq,
                                                         "accepted_at": receipt.accepted_at,
                                                         "signature": receipt.signature})
        kept = repo.replaced_content(entry.id)  # nothing lost: my data and documents, files still there
        assert kept["data"] == mine.data and kept["content_sha256"] == mine.content_sha256
        assert len(kept["documents"]) == 2 and repo.stored_files_missing([d["sha256"] for d in kept["documents"]]) == []
        assert open_conflicts(repo, forms) == []
        with pytest.raises(WorkflowRefused) as refused:
            take_server(repo, entry.id, key)
        assert refused.value.code == "conflict.none"
        summary = engine(repo, data_dir).run()
        assert (summary.pushed, summary.pending) == (0, 0)


def test_take_server_refuses_a_copy_not_signed_by_the_pinned_key(server, forms, tmp_path):
    data_dir, uid = conflicted(server, forms, tmp_path, 1400, ["555 m"])
    with store(data_dir) as repo:
        record = json.loads(repo.get_sync_state(f"conflict.{uid}"))
        forged = record["server_copy"]["payload"]
        forged["data"]["volume_pekerjaan"] = "1 m"  # changed on the way, re-signed by someone else
        receipt = record["server_copy"]["receipt"]
        record["server_copy"]["receipt"] = sign_receipt(new_private_key(), {**receipt,
                                                                            "content_sha256": content_sha256(forged)})
        repo.set_sync_state(f"conflict.{uid}", json.dumps(record))
        mine = repo.entry_by_uid(uid)
        with pytest.raises(WorkflowRefused) as refused:
            take_server(repo, mine.id, repo.get_sync_state("server_key"))
        assert refused.value.code == "conflict.copy_unverified"
        assert "tanda tangan" in str(refused.value) and "not signed" in refused.value.message("en")
        after = repo.entry_by_uid(uid)
        assert (after.status, after.content_sha256) == (S.QUEUED, mine.content_sha256)
        assert len(open_conflicts(repo, forms)) == 1  # still there to resolve


def test_an_entry_approved_on_the_server_refuses_keep_mine_and_a_change_holds_my_data(server, forms, tmp_path):
    data_dir, uid = conflicted(server, forms, tmp_path, 1500, ["777 m"])
    approve_on_server(server, uid)
    with store(data_dir) as repo:
        mine = repo.entry_by_uid(uid)
        keep_mine(repo, mine.id)  # revision 1 was the other PC's: mine becomes 2, on an approved entry
        assert engine(repo, data_dir).run().conflicts == 1
        (found,) = open_conflicts(repo, forms)
        assert found.kind == "entry_locked"
        with pytest.raises(WorkflowRefused) as refused:
            keep_mine(repo, mine.id)
        assert refused.value.code == "conflict.locked" and "disetujui" in str(refused.value)
        done = change_with_mine(repo, forms, mine.id, repo.get_sync_state("server_key"))
        draft = done.entry
        assert draft.supersedes_uid == uid and draft.status == S.DRAFT
        assert draft.data == mine.data and len(repo.list_attachments(draft.id)) == 2
        assert draft.content_sha256 == mine.content_sha256
        assert repo.entry_by_uid(uid).status == S.SUBMITTED
        queue(repo, mark_ready(repo, forms, draft.id).entry.id)
        summary = engine(repo, data_dir).run()  # the change is accepted; the approval comes back
        assert (summary.accepted, summary.conflicts, summary.pending) == (1, 0, 0)
        assert repo.entry_by_uid(uid).status == S.APPROVED
        assert repo.get_entry(draft.id).status == S.SUBMITTED


def test_the_cli_lists_and_resolves_conflicts_in_both_languages(server, forms, tmp_path):
    from tests.sync.test_review_loop import run_odc

    data_dir, uid = conflicted(server, forms, tmp_path, 1600, ["31 m"])
    listed = run_odc(data_dir, "conflicts")
    assert uid in listed and "Volume pekerjaan: saya = " in listed and "server = 31 m" in listed
    assert "nomor revisi ini" in listed
    english = json.loads(run_odc(data_dir, "conflicts", "--json", "--lang", "en"))["conflicts"]
    assert [(c["entry_uid"], c["kind"], c["server_revision"]) for c in english] == [(uid, "revision_taken", 1)]
    assert english[0]["differences"][0]["label"] == {"id": "Volume pekerjaan", "en": "Quantity of work"}
    assert "Quantity of work: mine = " in run_odc(data_dir, "conflicts", "--lang", "en")
    assert "No conflict for entry 'zzzzzz'" in run_odc(data_dir, "conflicts", "mine", "zzzzzz", "--lang", "en", code=3)
    assert "Tidak ada konflik untuk entri" in run_odc(data_dir, "conflicts", "server", "zzzzzz", code=3)
    said = run_odc(data_dir, "conflicts", "mine", uid[:8])
    assert f"Versi saya dipakai untuk {uid}" in said and "revisi 2" in said
    assert "Tidak ada konflik kiriman." in run_odc(data_dir, "conflicts")
    summary = json.loads(run_odc(data_dir, "sync", "--json"))
    assert (summary["accepted"], summary["conflicts"], summary["pending"]) == (1, 0, 0)
    assert server_revisions(server, uid) == 2

    (tmp_path / "second").mkdir()
    other, other_uid = conflicted(server, forms, tmp_path / "second", 1700, ["41 m"])
    said = run_odc(other, "conflicts", "server", other_uid, "--lang", "en")
    assert f"The server's version taken for {other_uid} (revision 1, submitted)" in said
    assert "No push conflicts." in run_odc(other, "conflicts", "--lang", "en")
    with store(other) as repo:
        entry = repo.entry_by_uid(other_uid)
        assert (entry.status, entry.data["volume_pekerjaan"]) == (S.SUBMITTED, "41 m")


def test_the_cli_refuses_keep_mine_for_an_approved_entry_and_makes_a_change(server, forms, tmp_path):
    from tests.sync.test_review_loop import run_odc

    data_dir, uid = conflicted(server, forms, tmp_path, 1800, ["51 m"])
    approve_on_server(server, uid)
    run_odc(data_dir, "conflicts", "mine", uid)
    assert json.loads(run_odc(data_dir, "sync", "--json"))["conflicts"] == 1
    assert "sudah disetujui di server (revisi 1)" in run_odc(data_dir, "conflicts", "mine", uid, code=3)
    assert "was approved on the server (revision 1)" in run_odc(data_dir, "conflicts", "mine", uid, "--lang", "en",
                                                                code=3)
    said = run_odc(data_dir, "conflicts", "change", uid)
    assert "perubahan baru" in said
    with store(data_dir) as repo:
        assert repo.entry_by_uid(uid).status == S.SUBMITTED
