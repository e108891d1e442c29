"""Crash-recovery markers kept in the store's meta table: whether the previous run closed cleanly and
which form it last saved. Plain functions of the repository, run on the DB runner (no widgets)."""

from __future__ import annotations

import dataclasses

from odc_desktop.domain.statuses import Stage
from odc_desktop.storage.repository import Repository

CLEAN_EXIT_KEY = "ui.clean_exit"
LAST_PROCESS_KEY = "ui.last_process_id"
LAST_STAGE_KEY = "ui.last_stage"
LAST_FIELD_KEY = "ui.last_field"


@dataclasses.dataclass(frozen=True)
class PreviousSession:
    """What the previous run left behind: whether it closed cleanly, the last draft it saved and the
    field of that draft edited last (its step is where the operator was typing)."""

    clean_exit: bool
    process_id: int | None
    stage: Stage | None
    field_id: str | None = None


def start_session(repo: Repository) -> PreviousSession:
    """Read the previous run's markers, then mark this run as not (yet) cleanly closed."""
    clean = repo.get_meta(CLEAN_EXIT_KEY, "1") != "0"
    raw_process, raw_stage = repo.get_meta(LAST_PROCESS_KEY), repo.get_meta(LAST_STAGE_KEY)
    process_id = int(raw_process) if raw_process and raw_process.isdigit() else None
    stage = Stage(raw_stage) if raw_stage in {s.value for s in Stage} else None
    repo.set_meta(CLEAN_EXIT_KEY, "0")
    return PreviousSession(clean, process_id, stage, repo.get_meta(LAST_FIELD_KEY) or None)


def remember_last_form(repo: Repository, process_id: int, stage: Stage, field_id: str | None = None) -> None:
    """Record ``process_id``/``stage`` (and the field edited last) as the form to reopen after a crash.

    Written only when it differs from what is stored: every write is its own fsync'd transaction
    plus an audit record, and autosave calls this after each save of the same form (so the field
    costs one write per field moved to, not per keystroke).
    """
    for key, value in ((LAST_PROCESS_KEY, str(process_id)), (LAST_STAGE_KEY, Stage(stage).value),
                       (LAST_FIELD_KEY, field_id or "")):
        if repo.get_meta(key) != value:
            repo.set_meta(key, value)
