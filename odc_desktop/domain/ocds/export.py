"""Export every valid local entry as one OCDS release package (used by ``odc export``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, Callable, TextIO

from odc_desktop.domain.forms.entry_checks import validate_entry
from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.domain.forms.lookup import FormLookup, form_of
from odc_desktop.domain.model import Entry
from odc_desktop.domain.ocds.packages import WIB, extensions_used, release_package
from odc_desktop.domain.problems import Problem
from odc_desktop.domain.ocds.release import build_process_releases
from odc_desktop.domain.ocds.validation import validate_package
from odc_desktop.domain.statuses import STAGE_ORDER


@dataclasses.dataclass
class ExportResult:
    """The package plus what was left out and why."""

    package: dict[str, Any]
    processes: int
    skipped: list[tuple[str, str, int]]  # (ocid, stage, number of problems)


def _entry_problems(entry: Entry, forms: FormLookup, others: dict[str, Any]) -> int:
    """How many errors layer-1 validation finds in ``entry`` checked with its own form (a form that is
    not available counts as one: the entry cannot be read for certain)."""
    form = form_of(forms, entry)
    if form is None:
        return 1
    return sum(1 for p in validate_entry(form, entry.data, forms.codelists_for(form), others, forms=forms)
               if p.severity == "error")


def exportable_entries(entries: list[Entry], forms: FormLookup) -> tuple[list[Entry], list[tuple[str, int]]]:
    """Per stage, the newest entry that passes layer-1 validation; and (stage, problems) of skipped ones.

    Each entry is checked with its own form (``forms.get`` of its id, version and hash), so a draft made
    with an older version is judged by the fields it was made with. Stages are decided in lifecycle
    order, and an entry's cross-stage rules read the data of the entry chosen for an earlier stage (what
    the export publishes), not a newer draft that it leaves out.
    """
    by_stage: dict[str, list[Entry]] = {}
    for entry in entries:
        by_stage.setdefault(entry.stage.value, []).append(entry)
    stage_data = {stage: max(items, key=lambda e: e.id).data for stage, items in by_stage.items()}
    chosen, skipped = [], []
    for stage in STAGE_ORDER:
        candidates = sorted(by_stage.get(stage.value, []), key=lambda e: e.id, reverse=True)
        others = {k: v for k, v in stage_data.items() if k != stage.value}
        for position, entry in enumerate(candidates):
            problems = _entry_problems(entry, forms, others)
            if not problems:
                chosen.append(entry)
                stage_data[stage.value] = entry.data
                break
            if position == 0:
                skipped.append((stage.value, problems))
    return chosen, skipped


#: Processes read, turned into releases, checked and written per step: memory stays flat.
BATCH_PROCESSES = 200
#: Skipped entries listed by name (the rest are only counted).
SKIPPED_LISTED = 20


class ExportRefused(Exception):
    """The releases built from the store do not pass validation; nothing was published."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclasses.dataclass
class ExportSummary:
    """What :func:`write_package` wrote and what it left out (the first few by name, all counted)."""

    releases: int = 0
    processes: int = 0
    skipped: list[tuple[str, str, int]] = dataclasses.field(default_factory=list)
    skipped_count: int = 0


def check_releases(metadata: dict[str, Any], releases: list[dict[str, Any]], lang: str = "id") -> list[Problem]:
    """The one place export validates what it is about to write: errors of a package of ``releases``."""
    return [p for p in validate_package({**metadata, "releases": releases}, lang=lang) if p.severity == "error"]


def _release_batches(repo: Any, forms: FormLookup, summary: ExportSummary,
                     on_progress: Callable[[int, int], None] | None) -> Iterator[list[dict[str, Any]]]:
    """The releases of :data:`BATCH_PROCESSES` processes at a time; skipped entries go to ``summary``."""
    ids = repo.list_process_ids()
    summary.processes = len(ids)
    for start in range(0, len(ids), BATCH_PROCESSES):
        releases: list[dict[str, Any]] = []
        for process_id in ids[start:start + BATCH_PROCESSES]:
            process = repo.get_process(process_id)
            entries = repo.entries_of_process(process_id)
            chosen, bad = exportable_entries(entries, forms)
            summary.skipped_count += len(bad)
            room = SKIPPED_LISTED - len(summary.skipped)
            summary.skipped.extend((process.ocid, stage, count) for stage, count in bad[:max(room, 0)])
            if chosen:
                attachments = {e.id: repo.list_attachments(e.id) for e in chosen}
                releases.extend(build_process_releases(process, chosen, forms, attachments, history=entries))
        yield releases
        if on_progress:
            on_progress(min(start + BATCH_PROCESSES, len(ids)), len(ids))


def write_package(repo: Any, out: TextIO, forms: FormLookup | None = None, lang: str = "id",
                  on_progress: Callable[[int, int], None] | None = None) -> ExportSummary:
    """Write the release package of every valid entry of every local process to ``out`` as it goes.

    Each batch of releases is validated before it is written; the first batch with problems raises
    :class:`ExportRefused` (the caller discards what was written). ``extensions`` comes last, once
    every release has shown which it uses.
    """
    forms = forms or load_form_set()
    metadata = release_package([], dt.datetime.now(WIB))
    del metadata["releases"]
    summary = ExportSummary()
    extensions: list[str] = []
    head = json.dumps(metadata, ensure_ascii=False, indent=1)
    out.write(head[:head.rindex("}")].rstrip() + ',\n "releases": [')
    for releases in _release_batches(repo, forms, summary, on_progress):
        problems = check_releases(metadata, releases, lang)
        if problems:
            raise ExportRefused(problems)
        for release in releases:
            out.write(",\n" if summary.releases else "\n")
            out.write(json.dumps(release, ensure_ascii=False, indent=1))
            summary.releases += 1
        extensions += [url for url in extensions_used(releases) if url not in extensions]
    out.write("\n ]")
    if extensions:  # an empty list is flagged by the Data Review Tool as an empty field
        out.write(',\n "extensions": ' + json.dumps(extensions))
    out.write("\n}\n")
    return summary


def export_package(repo: Any, forms: FormLookup | None = None,
                   on_progress: Callable[[int, int], None] | None = None) -> ExportResult:
    """Build the whole release package in memory (benchmarks, small stores); ``odc export`` streams
    with :func:`write_package` instead."""
    forms = forms or load_form_set()
    summary = ExportSummary()
    releases = [r for batch in _release_batches(repo, forms, summary, on_progress) for r in batch]
    return ExportResult(release_package(releases, dt.datetime.now(WIB)), summary.processes, summary.skipped)
