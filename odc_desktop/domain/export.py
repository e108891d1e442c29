"""Export every valid local entry as one OCDS release package (used by ``odc export``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Callable

from odc_desktop.domain.entry_checks import validate_entry
from odc_desktop.domain.forms import FormSet, load_form_set
from odc_desktop.domain.model import Entry
from odc_desktop.domain.packages import WIB
from odc_desktop.domain.release import build_process_releases, release_package
from odc_desktop.domain.statuses import STAGE_ORDER


@dataclasses.dataclass
class ExportResult:
    """The package plus what was left out and why."""

    package: dict[str, Any]
    processes: int
    skipped: list[tuple[str, str, int]]  # (ocid, stage, number of problems)


def exportable_entries(entries: list[Entry], forms: FormSet) -> tuple[list[Entry], list[tuple[str, int]]]:
    """Per stage, the newest entry that passes layer-1 validation; and (stage, problems) of skipped ones."""
    by_stage: dict[str, list[Entry]] = {}
    for entry in entries:
        by_stage.setdefault(entry.stage.value, []).append(entry)
    newest_data = {stage: max(items, key=lambda e: e.id).data for stage, items in by_stage.items()}
    chosen, skipped = [], []
    for stage in STAGE_ORDER:
        candidates = sorted(by_stage.get(stage.value, []), key=lambda e: e.id, reverse=True)
        others = {k: v for k, v in newest_data.items() if k != stage.value}
        form = forms.for_stage(stage)
        for position, entry in enumerate(candidates):
            problems = [p for p in validate_entry(form, entry.data, forms.codelists, others, forms=forms)
                        if p.severity == "error"]
            if not problems:
                chosen.append(entry)
                break
            if position == 0:
                skipped.append((stage.value, len(problems)))
    return chosen, skipped


def export_package(repo: Any, forms: FormSet | None = None,
                   on_progress: Callable[[int, int], None] | None = None) -> ExportResult:
    """Build the release package of every valid entry of every local process."""
    forms = forms or load_form_set()
    releases: list[dict[str, Any]] = []
    skipped: list[tuple[str, str, int]] = []
    ids = repo.list_process_ids()
    for index, process_id in enumerate(ids):
        process = repo.get_process(process_id)
        chosen, bad = exportable_entries(repo.entries_of_process(process_id), forms)
        skipped.extend((process.ocid, stage, count) for stage, count in bad)
        if chosen:
            attachments = {e.id: repo.list_attachments(e.id) for e in chosen}
            releases.extend(build_process_releases(process, chosen, forms, attachments))
        if on_progress:
            on_progress(index + 1, len(ids))
    return ExportResult(release_package(releases, dt.datetime.now(WIB)), len(ids), skipped)
