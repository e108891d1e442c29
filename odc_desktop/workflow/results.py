"""What a workflow operation returns: what it changed, so front ends refresh exactly that."""

from __future__ import annotations

import dataclasses

from odc_desktop.domain.forms.definition import FormDefinition
from odc_desktop.domain.model import Entry
from odc_desktop.domain.statuses import EntryStatus


@dataclasses.dataclass(frozen=True)
class Changed:
    """The result of one operation: the entry as it is now, and what moved.

    ``entry_ids``/``process_ids`` name everything the operation wrote (empty: nothing changed);
    ``old_status``/``new_status`` are the main entry's status before and after (None before: it
    was created by this operation).
    """

    entry: Entry | None
    entry_ids: tuple[int, ...] = ()
    process_ids: tuple[int, ...] = ()
    old_status: EntryStatus | None = None
    new_status: EntryStatus | None = None

    @property
    def changed(self) -> bool:
        return bool(self.entry_ids or self.process_ids)


def changed(entry: Entry, old_status: EntryStatus | None, *more: Entry) -> Changed:
    """A :class:`Changed` for ``entry`` (and ``more`` entries it wrote as well)."""
    entries = (entry, *more)
    return Changed(entry, tuple(e.id for e in entries), tuple(sorted({e.process_id for e in entries})),
                   old_status, entry.status)


def unchanged(entry: Entry | None) -> Changed:
    """Nothing was written."""
    return Changed(entry, (), (), entry.status if entry else None, entry.status if entry else None)


@dataclasses.dataclass(frozen=True)
class StageView:
    """What :func:`~odc_desktop.workflow.entries.open_stage` found: the stage's current entry (None:
    not started) and the form to show it with: its own form when available, else the current one
    (``own_form`` False: the entry's form is not on this computer)."""

    entry: Entry | None
    form: FormDefinition
    own_form: bool = True
