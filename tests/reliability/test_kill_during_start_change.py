"""start_change is all-or-nothing under SIGKILL: the workflow, run in a real child process, is killed while its one transaction has linked part of the approved entry's documents; the reopened
store has no trace of the change (no new entry, no links, no audit record), stays sound, and the
change can simply be started again."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow import add_document, mark_ready, start_change
from tests.unit.workflow_helpers import PDF, as_server_approve, complete_draft, lookup, new_process

LINKED_BEFORE_KILL = 5

CHILD = textwrap.dedent(f"""
    import sys
    from pathlib import Path
    from odc_desktop.domain.forms.definition import load_form_set
    from odc_desktop.storage.sql import SqlRepository
    from odc_desktop.workflow import start_change

    repo = SqlRepository.open(Path(sys.argv[1]))
    link, linked = repo.link_attachment, []

    def link_and_report(*args, **kwargs):
        # after {LINKED_BEFORE_KILL} links (inside the open transaction) say so and wait to be killed
        result = link(*args, **kwargs)
        linked.append(result)
        if len(linked) == {LINKED_BEFORE_KILL}:
            print("linked", flush=True)
            sys.stdin.readline()
        return result

    repo.link_attachment = link_and_report
    start_change(repo, load_form_set(), int(sys.argv[2]))
    print("committed", flush=True)
""")


def _approved_with_documents(data_dir):
    forms = lookup()
    repo = SqlRepository.open(data_dir)
    try:
        entry = complete_draft(repo, forms, new_process(repo))
        for n in range(10):
            add_document(repo, entry.id, PDF + f"lampiran {n}".encode(), f"lampiran-{n}.pdf", "rup")
        approved = as_server_approve(repo, mark_ready(repo, forms, entry.id).entry)
        return approved, repo.verify_audit_chain().length
    finally:
        repo.close()


def test_a_start_change_killed_mid_transaction_leaves_no_trace(data_dir, tmp_path):
    approved, audit_length = _approved_with_documents(data_dir)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    child = subprocess.Popen([sys.executable, str(script), str(data_dir), str(approved.id)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "linked"  # the transaction is open, half done
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL and "committed" not in rest

    repo = SqlRepository.open(data_dir)
    try:
        assert [e.id for e in repo.entries_of_process(approved.process_id)] == [approved.id]
        assert repo.get_entry(approved.id) == approved
        assert len(repo.list_attachments(approved.id)) == 12
        assert repo.attachment_totals()[0] == 12
        check = repo.verify_audit_chain()
        assert check.ok and check.length == audit_length
        assert repo.integrity_check()["ok"]
        change = start_change(repo, lookup(), approved.id).entry  # nothing is left in the way
        assert change.status == EntryStatus.DRAFT and change.supersedes_uid == approved.uid
        assert len(repo.list_attachments(change.id)) == 12
    finally:
        repo.close()
