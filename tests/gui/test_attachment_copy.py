"""A long attachment copy does not hold up autosave (issue 7, item 6): copies run on the file runner
(``services.io``), saves on the database runner. The slow copy is a real copy into the store from a
named pipe whose writer is this test: it stays in progress, mid-file, until the test writes the rest,
so nothing depends on timing. Real app services, real SQLite, real threads, real form page."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from odc_desktop.app import close_services, create_services
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import Stage
from tests.gui.form_driver import TIMEOUT_MS, make_document, open_page, type_into

pytestmark = [pytest.mark.gui,
              pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX-only")]

CHUNK = 1024 * 1024  # the file store copies in chunks of this size


@pytest.fixture
def services(qapp, data_dir: Path):
    services = create_services(data_dir)  # the threaded runners, as in the app
    yield services
    close_services(services)


def test_autosave_completes_while_a_big_copy_is_in_progress(qtbot, services, tmp_path):
    new = NewProcess("Rehabilitasi Jalan Poros Desa Kalitidu", "1.03", "Dinas PU", 2025, "41999001")
    process = services.db.run(lambda repo: repo.create_process(new, "ocds-000bjn")).result(timeout=60)
    page = open_page(qtbot, services, process, Stage.PLANNING)
    pipe = tmp_path / "pindaian-besar.pdf"
    os.mkfifo(pipe)
    # The slow copy: the file runner copies from the pipe into the store (what adding a big scan does).
    copying = services.io.run(lambda: services.files.put(pipe))
    writer = pipe.open("wb")  # meets the copy's reader
    try:
        head = b"%PDF-1.4\n" + b"x" * (CHUNK - 9)
        writer.write(head)  # the first chunk is copied; the copy now waits for the rest, mid-file
        writer.flush()
        # Meanwhile the operator attaches another document: its copy queues behind the slow one ...
        document, sha = make_document(tmp_path, "DPA 2025.pdf", b"%PDF-1.4 DPA Dinas PU " * 100)
        page.go_to_step(page.steps.count() - 1)
        page.attachments.add_file(document, "dpa")
        page.go_to_step(0)
        # ... and types: the autosave runs on the database runner and completes.
        with qtbot.waitSignal(page.entry_did_save, timeout=TIMEOUT_MS):
            type_into(qtbot, page.editors["pagu"].edit, "1250000000")
        qtbot.waitUntil(page.is_saved, timeout=TIMEOUT_MS)
        assert not copying.done()  # the big copy is still in progress
        assert page.attachments.pending == 1 and page.attachments.attachments == []
        saved = services.db.run(lambda repo: repo.current_entry(process.id, Stage.PLANNING)).result(timeout=60)
        assert saved.data["pagu"] == 1250000000
        tail = b"y" * (CHUNK // 2)
        writer.write(tail)
    finally:
        writer.close()  # end of file: the copy finishes
    big_sha, big_size = copying.result(timeout=60)
    assert (big_sha, big_size) == (hashlib.sha256(head + tail).hexdigest(), len(head) + len(tail))
    assert services.files.is_intact(big_sha)
    qtbot.waitUntil(lambda: len(page.attachments.attachments) == 1, timeout=TIMEOUT_MS)
    assert page.attachments.attachments[0].sha256 == sha and page.attachments.pending == 0
