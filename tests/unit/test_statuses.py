"""The entry status machine: what may follow what, and the invariant the stores rely on."""

from __future__ import annotations

import pytest

from odc_desktop.domain.statuses import (
    ALLOWED_TRANSITIONS,
    EDITABLE_STATUSES,
    EntryStatus,
    InvalidTransition,
    check_transition,
)


def test_every_editable_status_may_go_back_to_draft():
    # the stores turn an edited READY/RETURNED/REJECTED entry into a DRAFT without asking again
    for status in EDITABLE_STATUSES - {EntryStatus.DRAFT}:
        check_transition(status, EntryStatus.DRAFT)


def test_approved_is_final_and_locked_statuses_are_not_editable():
    assert ALLOWED_TRANSITIONS[EntryStatus.APPROVED] == frozenset()
    assert not {EntryStatus.QUEUED, EntryStatus.SUBMITTED, EntryStatus.APPROVED} & EDITABLE_STATUSES


@pytest.mark.parametrize("old, new", [(EntryStatus.DRAFT, EntryStatus.SUBMITTED),
                                      (EntryStatus.APPROVED, EntryStatus.DRAFT),
                                      (EntryStatus.READY, EntryStatus.APPROVED)])
def test_skipping_steps_is_refused_in_indonesian(old, new):
    with pytest.raises(InvalidTransition, match="tidak dapat diubah dari"):
        check_transition(old, new)
