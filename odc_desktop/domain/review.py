"""Review on the supervisor's device: the pulled queue and the decisions made offline (issue 9).

A :class:`ReviewItem` is one entry awaiting review as the server listed it at the last sync (its
``item`` is the server's JSON: ``payload`` with the data and form triple, ``attachments``,
``previous`` payload for the diff, ``flags``). A :class:`ReviewDecision` is a supervisor's decision
kept on the device until a sync pushes it; its :class:`DecisionStatus` says how far it got.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from odc_desktop.messages import text


class DecisionStatus(str, enum.Enum):
    """Where a decision made on this device is: waiting for a sync, taken by the server, or refused."""

    QUEUED = "queued"
    SENT = "sent"
    REFUSED = "refused"


#: The decisions a supervisor makes (the server protocol's words).
DECISION_KINDS = ("approve", "return")


@dataclasses.dataclass(frozen=True)
class ReviewNote:
    """A note of a decision: on the whole entry (``field`` None) or on one field (its path)."""

    field: str | None
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "text": self.text}


@dataclasses.dataclass(frozen=True)
class ReviewDecision:
    """A decision on one revision of an entry, made on this device."""

    id: int
    entry_uid: str
    revision: int
    decision: str
    notes: tuple[ReviewNote, ...]
    status: DecisionStatus
    error: str | None
    decided_by: str
    decided_at: str
    sent_at: str | None


@dataclasses.dataclass(frozen=True)
class ReviewItem:
    """An entry awaiting the supervisor's review, as the last sync pulled it."""

    entry_uid: str
    revision: int
    ocid: str
    stage: str
    item: dict[str, Any]
    pulled_at: str
    decision: ReviewDecision | None = None  # the newest decision made here on this revision

    @property
    def payload(self) -> dict[str, Any]:
        return self.item.get("payload") or {}

    @property
    def data(self) -> dict[str, Any]:
        return self.payload.get("data") or {}

    @property
    def previous_data(self) -> dict[str, Any] | None:
        previous = self.item.get("previous")
        return previous.get("data") if isinstance(previous, dict) else None


def refusal_text(code: str, lang: str = "id") -> str:
    """Why the server refused a decision (its error ``code``), in the reader's language."""
    try:
        return text(f"review.refused_{code}", lang)
    except KeyError:
        return text("review.refused_other", lang, code=code)
