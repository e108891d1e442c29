"""Many new processes with their first entries in one write (demo data, imports): the workflow's
front to the store's bulk path (:meth:`SqlRepository.bulk_create_processes`).

The workflow stays the one writer of entries: it picks each stage's current form and decides which
entries may start ready (valid data for that form, with the process's other stages for the
cross-stage rules, and every required document: a new entry has none, so only a stage that requires
no document can start ready). Everything else starts as a draft.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from odc_desktop.domain.forms import entry_checks
from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import Stage
from odc_desktop.storage.repository import BulkEntry, BulkProcess


@dataclasses.dataclass(frozen=True)
class PlannedStage:
    """One stage to start: its data, whether the operator would mark it ready, its source rows."""

    stage: Stage
    data: dict[str, Any]
    want_ready: bool = False
    sources: tuple[tuple[str, str, str], ...] = ()


@dataclasses.dataclass(frozen=True)
class PlannedProcess:
    new: NewProcess
    stages: tuple[PlannedStage, ...]


def _can_start_ready(forms: FormLookup, stage: PlannedStage, others: dict[str, dict[str, Any]]) -> bool:
    form = forms.current(stage.stage.value)
    codelists = forms.codelists_for(form)
    if entry_checks.missing_documents(form, [], codelists):
        return False
    problems = entry_checks.validate_entry(form, stage.data, codelists, others)
    return not any(p.severity == "error" for p in problems)


def create_processes(repo: Any, forms: FormLookup, plans: list[PlannedProcess], ocid_prefix: str,
                     actor: str | None = None) -> list[int]:
    """Create every planned process and its stages in one transaction; their ids, in order. A stage
    asked to be ready is ready only when mark_ready would let it be (see the module docstring)."""
    items = []
    for plan in plans:
        data_of = {s.stage.value: s.data for s in plan.stages}
        entries = []
        for planned in plan.stages:
            stage = Stage(planned.stage)
            form = forms.current(stage.value)
            others = {k: v for k, v in data_of.items() if k != stage.value}
            ready = planned.want_ready and _can_start_ready(forms, planned, others)
            entries.append(BulkEntry(stage, form.id, form.version, form.content_hash, dict(planned.data),
                                     ready, tuple(planned.sources)))
        items.append(BulkProcess(plan.new, tuple(entries)))
    return repo.bulk_create_processes(items, ocid_prefix, actor=actor)
