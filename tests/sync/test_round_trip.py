"""The real client against a real `odc-server`: `odc login`, `odc submit --all`, `odc sync --json`;
entries submitted only with valid receipts for their exact content; a replay gives duplicates."""

from __future__ import annotations

import json
import shutil

from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.storage.sql import SqlRepository
from odc_sync.protocol.signing import public_key_from_b64, receipt_valid
from tests.odc_cli import odc
from tests.sync.conftest import OTHER_OPD, add_entries, invalid_draft

SUMMARY_KEYS = {"pushed", "accepted", "duplicates", "conflicts", "rejected", "uploaded_bytes", "pending"}


def _login(server, data_dir) -> None:
    done = odc("login", "--server", server.url, "--username", "operator", "--password", "operator",
               "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr


def _sync(data_dir, *extra: str) -> dict:
    done = odc("sync", "--json", "--data-dir", str(data_dir), *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


def test_round_trip_then_a_replay_of_the_whole_batch_gives_duplicates(server, forms, tmp_path):
    data_dir = tmp_path / "pc"
    data_dir.mkdir()
    uids = add_entries(data_dir, forms, 3, start=0, status="draft")
    bad = invalid_draft(data_dir, forms)
    before = server.stats()
    _login(server, data_dir)

    submitted = odc("submit", "--all", "--json", "--data-dir", str(data_dir))
    assert submitted.returncode == 0, submitted.stderr
    answer = json.loads(submitted.stdout)
    assert answer["queued"] == 3
    assert [r["entry"] for r in answer["refused"]] == [bad] and answer["refused"][0]["reason"]

    replay = tmp_path / "replay"  # the same PC as it was before the run: outbox full, no receipts
    shutil.copytree(data_dir, replay)

    summary = _sync(data_dir)
    assert SUMMARY_KEYS <= set(summary)
    assert (summary["pushed"], summary["accepted"], summary["duplicates"], summary["pending"]) == (3, 3, 0, 0)
    assert summary["uploaded_bytes"] > 0 and summary["completed"] is True

    repo = SqlRepository.open(data_dir)
    try:
        key = public_key_from_b64(repo.get_sync_state("server_key"))
        for uid in uids:
            entry = repo.entry_by_uid(uid)
            assert entry.status == EntryStatus.SUBMITTED and entry.revision == 1
            (receipt,) = repo.receipts_of_entry(entry.id)
            assert receipt.content_sha256 == entry.content_sha256
            assert receipt_valid(key, {**receipt.__dict__, "entry": receipt.entry_uid}, content_sha256=entry.content_sha256)
        assert repo.entry_by_uid(bad).status == EntryStatus.DRAFT
        assert repo.list_outbox() == []
    finally:
        repo.close()
    after = server.stats()
    assert after["entries_total"] - before["entries_total"] == 3
    assert after["distinct_entries"] - before["distinct_entries"] == 3

    again = _sync(replay)  # the whole batch again: the server's answer is the original receipts
    assert (again["pushed"], again["accepted"], again["duplicates"]) == (3, 0, 3)
    # The copy never tried to send its small files, so they went straight into a bundle again (asking
    # would cost more than these few bytes); the server keeps one copy of each.
    assert again["uploaded_bytes"] == summary["uploaded_bytes"]
    assert server.stats()["entries_total"] == after["entries_total"]
    assert (server.stats()["attachments"], server.stats()["attachment_bytes"]) == (after["attachments"],
                                                                                  after["attachment_bytes"])
    repo = SqlRepository.open(replay)
    try:
        assert all(repo.entry_by_uid(uid).status == EntryStatus.SUBMITTED for uid in uids)
    finally:
        repo.close()

    idle = _sync(data_dir)  # nothing queued: one pull, nothing sent
    assert (idle["pushed"], idle["pending"], idle["error"]) == (0, 0, None)


def test_sync_before_login_says_so_in_the_language_asked(tmp_path):
    done = odc("sync", "--json", "--lang", "en", "--data-dir", str(tmp_path))
    assert done.returncode == 3 and "Please sign in" in done.stderr


def test_a_wrong_password_is_refused_with_a_sentence(server, tmp_path):
    done = odc("login", "--server", server.url, "--username", "operator", "--password", "salah",
               "--data-dir", str(tmp_path))
    assert done.returncode == 3 and "kata sandi salah" in done.stderr.lower()



def test_submit_all_leaves_another_opds_entries_for_an_operator_and_says_so(server, forms, tmp_path):
    data_dir = tmp_path / "pc-two-opds"
    data_dir.mkdir()
    own = add_entries(data_dir, forms, 2, start=700, status="draft")
    other = add_entries(data_dir, forms, 1, start=710, status="draft", opd=OTHER_OPD)
    _login(server, data_dir)  # the operator of the demo OPD, not OTHER_OPD's
    done = odc("submit", "--all", "--json", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    assert {k: json.loads(done.stdout)[k] for k in ("queued", "other_opd")} == {"queued": 2, "other_opd": 1}
    said = odc("submit", "--all", "--data-dir", str(data_dir))
    assert "1 entri milik OPD lain tidak dimasukkan antrean" in said.stdout
    english = odc("submit", "--all", "--lang", "en", "--data-dir", str(data_dir))
    assert "1 entries of another OPD were not queued" in english.stdout
    repo = SqlRepository.open(data_dir)
    try:
        assert [repo.entry_by_uid(uid).status for uid in own] == [EntryStatus.QUEUED] * 2
        assert repo.entry_by_uid(other[0]).status == EntryStatus.DRAFT  # left as it was
    finally:
        repo.close()
    summary = _sync(data_dir)  # nothing the server must refuse, and no other OPD's documents sent
    assert (summary["pushed"], summary["accepted"], summary["rejected"]) == (2, 2, 0)
