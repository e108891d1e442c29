"""Stages of a procurement process and statuses of a stage entry, as explicit enums."""

from __future__ import annotations

import enum

from odc_desktop.messages import CodedError, text


class Stage(str, enum.Enum):
    """The six stages of a procurement process, in lifecycle order (Perpres 16/2018)."""

    PLANNING = "planning"
    TENDER = "tender"
    AWARD = "award"
    CONTRACT = "contract"
    IMPLEMENTATION = "implementation"
    COMPLETION = "completion"

    @property
    def order(self) -> int:
        return STAGE_ORDER.index(self)

    def title(self, lang: str = "id") -> str:
        """The stage's name for a reader (the message catalogue's area ``stage``)."""
        return text(f"stage.{self.value}", lang)

    message = title  # a Stage said in the reader's language when it is a message parameter


STAGE_ORDER: list[Stage] = list(Stage)

class EntryStatus(str, enum.Enum):
    """Where a stage entry is in its life; queries go by this, never by flags."""

    DRAFT = "draft"
    READY = "ready"
    QUEUED = "queued"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    REJECTED_BY_SERVER = "rejected_by_server"

    def title(self, lang: str = "id") -> str:
        """The status's name for a reader (the message catalogue's area ``status``)."""
        return text(f"status.{self.value}", lang)

    message = title  # said in the reader's language when it is a message parameter


#: Statuses in which the operator may still change the entry's data.
EDITABLE_STATUSES = frozenset({EntryStatus.DRAFT, EntryStatus.READY, EntryStatus.RETURNED,
                               EntryStatus.REJECTED_BY_SERVER})

ALLOWED_TRANSITIONS: dict[EntryStatus, frozenset[EntryStatus]] = {
    EntryStatus.DRAFT: frozenset({EntryStatus.READY}),
    EntryStatus.READY: frozenset({EntryStatus.DRAFT, EntryStatus.QUEUED}),
    EntryStatus.QUEUED: frozenset({EntryStatus.DRAFT, EntryStatus.SUBMITTED,
                                   EntryStatus.REJECTED_BY_SERVER}),
    EntryStatus.SUBMITTED: frozenset({EntryStatus.APPROVED, EntryStatus.RETURNED}),
    EntryStatus.APPROVED: frozenset(),
    EntryStatus.RETURNED: frozenset({EntryStatus.DRAFT}),
    EntryStatus.REJECTED_BY_SERVER: frozenset({EntryStatus.DRAFT}),
}


class InvalidTransition(CodedError, ValueError):
    """Raised when an entry is asked to move to a status it cannot reach from its current one."""


def check_transition(old: EntryStatus, new: EntryStatus) -> None:
    """Raise InvalidTransition unless old -> new is allowed."""
    if new not in ALLOWED_TRANSITIONS[old]:
        raise InvalidTransition("status.invalid_transition", old=old, new=new)
