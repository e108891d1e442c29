"""The importers' output: what the workflow's ``import_rows`` takes, and what was left out and why.

One :class:`ImportRow` per (process, stage): the process it belongs to (``process_key`` plus the
fields a new process needs), the stage's form data keyed by the form's field ids (already read by
the shared parsers, so it passes the form's checks except for fields the source does not have), and
where every value came from (``source``, and ``raw`` per field: the value exactly as the file had it).
Findings carry a message code (a key of the catalogue's area ``importers``) and their values, so they can
be shown in either language.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from odc_desktop.domain.imports import ImportRow, RawValue, SourceRef
from odc_desktop.importers.messages import say

__all__ = ["ImportRow", "RawValue", "SourceRef"]  # defined in the domain, used by the workflow too

#: The system every ISB / data.inaproc.id dataset comes from (LKPP's open data).
SYSTEM_ISB = "ISB/Inaproc"


def _text(values: dict[str, Any], lang: str) -> dict[str, Any]:
    """``values`` with every nested message (a dict with "id"/"en") in ``lang``."""
    return {k: (v.get(lang, v.get("id")) if isinstance(v, dict) and "id" in v else v) for k, v in values.items()}


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """One thing to tell the operator: a message code with its values (``message(lang)`` renders it)."""

    code: str
    values: dict[str, Any] = dataclasses.field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        return say(self.code, lang, **_text(self.values, lang))


def both(code: str, **values: Any) -> dict[str, str]:
    """A message in both languages, to nest inside another finding's values."""
    return {"id": say(code, "id", **_text(values, "id")), "en": say(code, "en", **_text(values, "en"))}


@dataclasses.dataclass(frozen=True)
class OpdRecord:
    """One OPD of the RUP-MasterSatker dataset (reference data, not a process)."""

    code: str  # kd_satker_str
    name: str
    source: SourceRef
    active: bool | None = None


class _Reported:
    """Something told to the operator through its ``finding``."""

    finding: Finding

    def message(self, lang: str = "id") -> str:
        return self.finding.message(lang)


@dataclasses.dataclass(frozen=True)
class FileProblem(_Reported):
    """A file that imported nothing: skipped (valid JSON but not a known dataset) or refused (empty,
    unreadable, not JSON, truncated, CSV, not UTF-8/UTF-16)."""

    file: str
    finding: Finding
    refused: bool

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        return {"file": self.file, "code": self.finding.code, "refused": self.refused, "reason": self.message(lang)}


@dataclasses.dataclass(frozen=True)
class RowProblem(_Reported):
    """A row left out (``rejected``) or a value of a kept row left empty or changed (a note)."""

    file: str
    dataset: str
    row: int  # 1-based position in the file
    finding: Finding
    row_key: str = ""
    column: str = ""

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        return {"file": self.file, "dataset": self.dataset, "row": self.row, "row_key": self.row_key,
                "column": self.column, "code": self.finding.code, "reason": self.message(lang)}


@dataclasses.dataclass(frozen=True)
class FileSummary:
    """What one recognised file gave: its dataset, rows read and rows kept."""

    file: str
    dataset: str
    rows_read: int
    rows_kept: int


@dataclasses.dataclass
class ImportBatch:
    """Everything read from a set of files, joined into processes."""

    rows: list[ImportRow] = dataclasses.field(default_factory=list)
    opds: list[OpdRecord] = dataclasses.field(default_factory=list)
    files: list[FileSummary] = dataclasses.field(default_factory=list)
    skipped: list[FileProblem] = dataclasses.field(default_factory=list)
    rejected: list[RowProblem] = dataclasses.field(default_factory=list)
    notes: list[RowProblem] = dataclasses.field(default_factory=list)

    def summary(self, lang: str = "id") -> dict[str, Any]:
        """What was read and what was not, as JSON-ready data (for ``odc import --json``)."""
        return {"files": [dataclasses.asdict(f) for f in self.files],
                "processes": len(self.processes()), "stage_rows": len(self.rows), "opds": len(self.opds),
                "skipped": [p.to_json(lang) for p in self.skipped],
                "rejected": [p.to_json(lang) for p in self.rejected],
                "notes": [p.to_json(lang) for p in self.notes]}

    def processes(self) -> dict[str, list[ImportRow]]:
        """The rows grouped by process key, stages in lifecycle order."""
        out: dict[str, list[ImportRow]] = {}
        for row in self.rows:
            out.setdefault(row.process_key, []).append(row)
        return out
