"""The operations every front end uses to change entries (Qt-free; one transaction each).

The app's jobs, the CLI, demo data, and later sync and the importers call these and nothing else
that writes entries. Each returns a :class:`~odc_desktop.workflow.results.Changed` (or, for
:func:`open_stage`, a :class:`~odc_desktop.workflow.results.StageView`) and refuses with
:class:`~odc_desktop.workflow.refused.WorkflowRefused` (a code of the message catalogue's area ``workflow``).

Status changes and the operation that makes each (domain.statuses.ALLOWED_TRANSITIONS)::

    draft     → ready               mark_ready (valid data, required documents)
    ready     → draft               save_draft, add_document, remove_document
    ready     → queued              queue (writes the outbox row)
    queued    → draft               unqueue
    queued    → submitted           apply_receipt (the server's receipt for exactly this content)
    queued    → rejected_by_server  apply_refusal
    submitted → approved, returned  apply_decision
    returned, rejected_by_server → draft   save_draft, documents (mark_ready passes through draft)

An approved (or submitted) entry is never edited: start_change makes a new entry that supersedes it.
"""

from odc_desktop.workflow.entries import (
    add_document,
    attach_stored_document,
    mark_ready,
    migrate_to_current,
    open_stage,
    other_stages,
    ready_problems,
    remove_document,
    save_draft,
    start_change,
    start_stage,
)
from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.workflow.processes import create_process
from odc_desktop.workflow.bulk import PlannedProcess, PlannedStage, create_processes
from odc_desktop.domain.imports import ImportRow
from odc_desktop.workflow.imports import ImportResult, RowOutcome, import_rows
from odc_desktop.workflow.refused import WorkflowRefused
from odc_desktop.workflow.results import Changed, StageView
from odc_desktop.workflow.server import apply_decision, apply_receipt, apply_refusal, queue, unqueue

__all__ = [
    "Changed", "FormLookup", "ImportResult", "ImportRow", "PlannedProcess", "PlannedStage", "RowOutcome",
    "StageView", "create_processes",
    "WorkflowRefused", "add_document", "attach_stored_document", "apply_decision", "apply_receipt", "apply_refusal", "create_process",
    "import_rows", "mark_ready", "migrate_to_current", "open_stage", "other_stages", "queue",
    "ready_problems", "remove_document", "save_draft", "start_change", "start_stage", "unqueue",
]
