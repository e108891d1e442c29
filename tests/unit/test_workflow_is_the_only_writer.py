"""Every front end changes entries and makes processes only through odc_desktop.workflow (issue 7,
item 1): no module outside the store and the workflow calls the store's writing methods."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "odc_desktop"
#: The store's methods that change an entry, its status or its documents.
ENTRY_WRITERS = frozenset({
    "create_entry", "save_entry_data", "migrate_entry", "set_local_status", "record_receipt",
    "record_decision", "record_refusal", "add_attachment", "link_attachment", "remove_attachment",
    "record_source", "set_entry_status", "attach_stored_file", "create_process", "adopt_process_identity",
    "bulk_create_processes",
    "replace_review_items", "queue_review_decision", "record_review_answer",
    "rebase_queued_entry", "replace_queued_content",
})
#: Where they may be called: the store itself and the workflow.
ALLOWED = ("storage/", "workflow/")


def _calls(path: Path, root: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [f"{path.relative_to(root)}:{node.lineno} calls .{node.func.attr}()"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ENTRY_WRITERS and not _is_the_workflow(node.func.value)]


def _is_the_workflow(receiver: ast.expr) -> bool:
    """``workflow.create_process(...)``: the workflow's own operation of the same name."""
    return isinstance(receiver, ast.Name) and receiver.id == "workflow"


def _outside_writers(root: Path) -> list[str]:
    return [hit for path in sorted(root.rglob("*.py"))
            if not str(path.relative_to(root)).startswith(ALLOWED) for hit in _calls(path, root)]


def test_only_the_workflow_writes_entries():
    files = list(PACKAGE.rglob("*.py"))
    assert len(files) > 50, "the walk found too few modules; the layout changed?"
    assert _outside_writers(PACKAGE) == []


@pytest.mark.parametrize("line", ["repo.create_entry(1, 'planning', 'f', 1, 'h')",
                                  "self.repo.add_attachment(entry_id, path, name, kind)",
                                  "job = lambda repo: repo.set_entry_status(1, 'approved')",
                                  "self.db.run(lambda repo: repo.create_process(new, prefix))"])
def test_the_walk_catches_a_direct_write(tmp_path, line):
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "page.py").write_text(line + "\n", encoding="utf-8")
    assert _outside_writers(tmp_path) != []
