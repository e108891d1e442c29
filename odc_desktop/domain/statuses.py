"""Stages of a procurement process and statuses of a stage entry, as explicit enums."""

from __future__ import annotations

import enum


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
        return STAGE_TITLES[self][lang if lang in ("id", "en") else "id"]


STAGE_ORDER: list[Stage] = list(Stage)

STAGE_TITLES: dict[Stage, dict[str, str]] = {
    Stage.PLANNING: {"id": "Perencanaan", "en": "Planning"},
    Stage.TENDER: {"id": "Pemilihan", "en": "Tender"},
    Stage.AWARD: {"id": "Penetapan pemenang", "en": "Award"},
    Stage.CONTRACT: {"id": "Kontrak", "en": "Contract"},
    Stage.IMPLEMENTATION: {"id": "Pelaksanaan", "en": "Implementation"},
    Stage.COMPLETION: {"id": "Serah terima", "en": "Hand-over"},
}


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
        return STATUS_TITLES[self][lang if lang in ("id", "en") else "id"]


STATUS_TITLES: dict[EntryStatus, dict[str, str]] = {
    EntryStatus.DRAFT: {"id": "Draf", "en": "Draft"},
    EntryStatus.READY: {"id": "Siap dikirim", "en": "Ready"},
    EntryStatus.QUEUED: {"id": "Antre kirim", "en": "Queued"},
    EntryStatus.SUBMITTED: {"id": "Terkirim", "en": "Submitted"},
    EntryStatus.APPROVED: {"id": "Disetujui", "en": "Approved"},
    EntryStatus.RETURNED: {"id": "Dikembalikan", "en": "Returned"},
    EntryStatus.REJECTED_BY_SERVER: {"id": "Ditolak server", "en": "Rejected by server"},
}

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


class InvalidTransition(ValueError):
    """Raised when an entry is asked to move to a status it cannot reach from its current one."""


def check_transition(old: EntryStatus, new: EntryStatus) -> None:
    """Raise InvalidTransition (message in Bahasa Indonesia) unless old -> new is allowed."""
    if new not in ALLOWED_TRANSITIONS[old]:
        raise InvalidTransition(
            f"Status entri tidak dapat diubah dari '{old.title()}' menjadi '{new.title()}'."
        )
