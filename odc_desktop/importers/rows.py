"""The importers' output: what the workflow's ``import_rows`` takes, and what was left out and why.

One :class:`ImportRow` per (process, stage): the process it belongs to (``process_key`` plus the
fields a new process needs), the stage's form data keyed by the form's field ids (already read by
the shared parsers, so it passes the form's checks except for fields the source does not have), and
where every value came from (``source``, and ``raw`` per field: the value exactly as the file had it).
Findings carry a message code of :mod:`odc_desktop.importers.messages` and their values, so they can
be shown in either language.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from odc_desktop.importers.messages import say

#: The system every ISB / data.inaproc.id dataset comes from (LKPP's open data).
SYSTEM_ISB = "ISB/Inaproc"


def _text(values: dict[str, Any], lang: str) -> dict[str, Any]:
    """``values`` with every nested message (a dict with "id"/"en") in ``lang``."""
    return {k: (v.get(lang, v.get("id")) if isinstance(v, dict) and "id" in v else v) for k, v in values.items()}


@dataclasses.dataclass(frozen=True)
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
class SourceRef:
    """Where a value came from: system, dataset, the row's key (``kd_tender=…``), file and row number."""

    system: str
    dataset: str
    row_key: str
    file: str = ""
    row: int = 0


@dataclasses.dataclass(frozen=True)
class RawValue:
    """A source value exactly as the file held it, with its column and row."""

    value: Any
    column: str
    source: SourceRef


@dataclasses.dataclass
class ImportRow:
    """The data of one stage of one process, ready for the workflow's ``import_rows``.

    ``process_key``: ``rup:<kode RUP>`` when a kode RUP is known, else ``tender:…``, ``nontender:…``,
    ``pencatatan:…``, ``epurchasing:…`` or ``kontrak:…``. ``process_fields``: ``title``,
    ``opd_code`` (kd_satker_str), ``opd_name``, ``year``, ``kode_rup`` (the fields of
    :class:`~odc_desktop.domain.model.NewProcess`), plus ``kode_rup_lain`` (further codes of a
    consolidated package), ``kode_tender``/``kode_nontender``/``nomor_kontrak`` when known.
    ``data``: form field id → value as the form stores it. ``source``: every row that fed this stage.
    ``raw``: field id → the source value it was read from. ``notes``: what the operator should know
    (values rounded, shortened, or left empty because they fail the form's checks).
    """

    process_key: str
    process_fields: dict[str, Any]
    stage: str
    data: dict[str, Any]
    source: tuple[SourceRef, ...]
    raw: dict[str, RawValue | list[RawValue]] = dataclasses.field(default_factory=dict)
    notes: list[Finding] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class OpdRecord:
    """One OPD of the RUP-MasterSatker dataset (reference data, not a process)."""

    code: str  # kd_satker_str
    name: str
    source: SourceRef
    active: bool | None = None


@dataclasses.dataclass(frozen=True)
class FileProblem:
    """A file that imported nothing: skipped (not a known dataset) or refused (not readable JSON)."""

    file: str
    finding: Finding
    refused: bool  # True: not valid JSON / unreadable; False: valid but not a known dataset

    def message(self, lang: str = "id") -> str:
        return self.finding.message(lang)


@dataclasses.dataclass(frozen=True)
class RowProblem:
    """A row left out (``rejected``) or a value of a kept row left empty or changed (a note)."""

    file: str
    dataset: str
    row: int  # 1-based position in the file
    finding: Finding
    row_key: str = ""
    column: str = ""

    def message(self, lang: str = "id") -> str:
        return self.finding.message(lang)


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

    def processes(self) -> dict[str, list[ImportRow]]:
        """The rows grouped by process key, stages in lifecycle order."""
        out: dict[str, list[ImportRow]] = {}
        for row in self.rows:
            out.setdefault(row.process_key, []).append(row)
        return out
