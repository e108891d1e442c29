"""A process killed while it copies attachments into the store leaves a sound store: every attachment
it reported added is there with intact bytes, and no half-written file is taken for a document."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import textwrap

from odc_desktop.storage.sql import SqlRepository

CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from odc_desktop.domain.model import NewProcess
    from odc_desktop.domain.statuses import Stage
    from odc_desktop.storage.sql import SqlRepository

    data_dir, source_dir = Path(sys.argv[1]), Path(sys.argv[2])
    repo = SqlRepository.open(data_dir)
    process = repo.create_process(NewProcess("Jalan Desa Napis", "1.03", "Dinas PU", 2025), "ocds-a1b2c3")
    entry = repo.create_entry(process.id, Stage.PLANNING, "planning", 1, "h", {})
    # the scans exist before the loop, so the kill lands inside add_attachment (copy or commit)
    scans = []
    for n in range(5):
        scans.append(source_dir / f"scan-{n}.pdf")
        scans[-1].write_bytes(b"%PDF-1.4 " + os.urandom(24 * 1024 * 1024))  # a 24 MB scan: copying takes a while
    print(entry.id, flush=True)
    for path in scans:
        attachment = repo.add_attachment(entry.id, path, path.name, "dpa")
        print(attachment.sha256, flush=True)
""")


def test_kill_while_copying_attachments_keeps_the_store_sound(data_dir, tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    sources = tmp_path / "scans"
    sources.mkdir()
    child = subprocess.Popen([sys.executable, str(script), str(data_dir), str(sources)],
                             stdout=subprocess.PIPE, text=True)
    try:
        entry_id = int(child.stdout.readline())
        reported = [child.stdout.readline().strip() for _ in range(2)]
        child.send_signal(signal.SIGKILL)  # in the middle of storing the third scan
        reported += child.stdout.read().split()
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    repo = SqlRepository.open(data_dir)
    try:
        stored = repo.list_attachments(entry_id)
        assert set(reported) <= {a.sha256 for a in stored}
        assert len(stored) <= len(reported) + 1  # at most the one committed as the kill came
        for attachment in stored:
            assert hashlib.sha256(repo.read_attachment(attachment)).hexdigest() == attachment.sha256
        report = repo.integrity_check()
        assert report["integrity"] == "ok", report
        assert report["missing_files"] == [] and report["audit"]["ok"]
        # the store keeps working: the interrupted file can simply be attached again
        retry = sources / f"scan-{len(stored)}.pdf"
        again = repo.add_attachment(entry_id, retry, retry.name, "dpa")
        assert hashlib.sha256(retry.read_bytes()).hexdigest() == again.sha256
        assert repo.integrity_check()["integrity"] == "ok"
    finally:
        repo.close()
