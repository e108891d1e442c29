"""A real `odc sync` killed (SIGKILL) in the middle of a run over a slow link: the next run finishes
with every entry submitted once, nothing lost and nothing stored twice on the server."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time

from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.storage.sql import SqlRepository
from odc_sync.client import login
from tests.hostile_link import HostileLink
from tests.odc_cli import ODC, odc
from tests.sync.conftest import add_entries

ENTRIES = 24


def _receipts(data_dir) -> int:
    conn = sqlite3.connect(f"file:{data_dir / 'odc.sqlite3'}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM receipts").fetchone()[0]
    finally:
        conn.close()


def test_a_sync_killed_mid_run_is_finished_by_the_next_run(server, forms, tmp_path):
    data_dir = tmp_path / "pc"
    data_dir.mkdir()
    uids = add_entries(data_dir, forms, ENTRIES, start=700, status="queued")
    before = server.stats()
    with HostileLink(server.port, rate=8_000, latency=0.05) as link:
        repo = SqlRepository.open(data_dir)
        try:
            login(repo, data_dir, server.url, "operator", "operator")
            repo.set_sync_state("server_url", link.url)
        finally:
            repo.close()
        run = subprocess.Popen([*ODC, "sync", "--json", "--batch", "2", "--data-dir", str(data_dir)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # The marker: the server holds entries this PC has no receipt for yet (the answer is on its
            # way over the slow link), after a first batch went through completely.
            for _ in range(5000):
                held = server.count("entries") - before["entries_total"]
                if (held > _receipts(data_dir) >= 2) or run.poll() is not None:
                    break
                time.sleep(0.01)
            run.send_signal(signal.SIGKILL)
        finally:
            run.wait()
            run.stdout.close()
            run.stderr.close()
        killed_at = _receipts(data_dir)
        held = server.count("entries") - before["entries_total"]
        assert run.returncode == -signal.SIGKILL and 0 < killed_at < held < ENTRIES, (killed_at, held)

        done = odc("sync", "--json", "--data-dir", str(data_dir))
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
    assert summary["pending"] == 0 and summary["accepted"] + summary["duplicates"] == ENTRIES - killed_at
    assert summary["duplicates"] == held - killed_at  # accepted before the kill: the original receipts
    repo = SqlRepository.open(data_dir)
    try:
        assert [repo.entry_by_uid(u).status for u in uids] == [EntryStatus.SUBMITTED] * ENTRIES
        assert all(len(repo.receipts_of_entry(repo.entry_by_uid(u).id)) == 1 for u in uids)
    finally:
        repo.close()
    after = server.stats()
    assert after["entries_total"] - before["entries_total"] == ENTRIES
    assert after["distinct_entries"] - before["distinct_entries"] == ENTRIES
