"""ISB / data.inaproc.id JSON files → an :class:`ImportBatch` (no database, no Qt).

Each file is recognised by its columns (:func:`~odc_desktop.importers.datasets.recognise`), its rows
are read through the dataset's mapper, and all files' records are joined into processes. A file that
is not a known dataset is skipped with the reason; a file that is not readable JSON gives nothing
(rows read before the damage are dropped too) and says why; in a recognised file a row without a
usable key is rejected with its reason and the other rows are kept.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from odc_desktop.domain.bulk_work import collector_paused
from odc_desktop.domain.forms.definition import FormSet, load_form_set
from odc_desktop.importers.datasets import Dataset, recognise
from odc_desktop.importers.join import build_rows
from odc_desktop.importers.reading import FileRefused, iter_rows
from odc_desktop.importers.record import Record, RowReader, RowRejected
from odc_desktop.importers.rows import (SYSTEM_ISB, FileProblem, FileSummary, Finding, ImportBatch, OpdRecord,
                                        RowProblem, SourceRef)
from odc_desktop.importers.values import Unreadable, read_code, read_text

#: Rows looked at to recognise a dataset (their columns together).
RECOGNISE_ROWS = 50
#: Columns named in the "unknown dataset" message.
SHOWN_COLUMNS = 12


class _FileResult:
    def __init__(self, name: str):
        self.name = name
        self.records: list[Record] = []
        self.opds: list[OpdRecord] = []
        self.rejected: list[RowProblem] = []
        self.notes: list[RowProblem] = []
        self.dataset: Dataset | None = None
        self.rows_read = 0


def _row_key(dataset: Dataset, row: dict[str, Any]) -> str:
    return ";".join(f"{k}={row.get(k)}" for k in dataset.keys if row.get(k) not in (None, ""))


def text_limits(forms: FormSet) -> dict[tuple[str, str], int]:
    """(stage, field id) → the form's max_length, for every text field that has one."""
    return {(stage, f.id): f.max_length for stage, form in forms.forms.items() for f in form.all_fields()
            if f.max_length and f.widget in ("text", "textarea")}


def _read_row(result: _FileResult, dataset: Dataset, n: int, row: Any, limits: dict[tuple[str, str], int]) -> None:
    if not isinstance(row, dict):
        kind = {list: "list", str: "text", type(None): "null"}.get(type(row), type(row).__name__)
        finding = Finding("row_not_object", {"n": n, "kind": kind})
        result.rejected.append(RowProblem(result.name, dataset.name, n, finding))
        return
    source = SourceRef(SYSTEM_ISB, dataset.name, _row_key(dataset, row), result.name, n)
    if dataset.mapper is None:
        _read_opd(result, dataset, n, row, source)
        return
    reader = RowReader(row, n, source, dataset.rank, limits)
    try:
        dataset.mapper(reader)
    except RowRejected as error:
        result.rejected.append(RowProblem(result.name, dataset.name, n, error.finding, source.row_key))
        return
    result.records.append(reader.record)
    result.notes.extend(RowProblem(result.name, dataset.name, n, finding, source.row_key, column)
                        for column, finding in reader.notes)


def _read_opd(result: _FileResult, dataset: Dataset, n: int, row: dict[str, Any], source: SourceRef) -> None:
    try:
        code, name = read_code(row.get("kd_satker_str")), read_text(row.get("nama_satker") or "")
    except Unreadable:
        result.rejected.append(RowProblem(result.name, dataset.name, n, Finding(
            "row_bad_key", {"n": n, "key": "kd_satker_str", "value": str(row.get("kd_satker_str"))[:40]})))
        return
    if not name:
        result.rejected.append(RowProblem(result.name, dataset.name, n,
                                          Finding("row_missing_key", {"n": n, "key": "nama_satker"})))
        return
    status = str(row.get("status_satker") or "").casefold()
    result.opds.append(OpdRecord(code, name, source, {"aktif": True, "tidak aktif": False}.get(status)))


def read_file(path: Path, limits: dict[tuple[str, str], int]) -> tuple[_FileResult, FileProblem | None]:
    """Everything one file gives, or the reason it gives nothing."""
    result = _FileResult(path.name)
    try:
        rows = iter_rows(path)
        head = list(itertools.islice(rows, RECOGNISE_ROWS))
        if not head:
            return result, FileProblem(path.name, Finding("no_rows", {"file": path.name}), refused=False)
        columns = set().union(*(r.keys() for r in head if isinstance(r, dict)))
        dataset = recognise(columns)
        if dataset is None:
            shown = ", ".join(sorted(columns)[:SHOWN_COLUMNS]) + (", …" if len(columns) > SHOWN_COLUMNS else "")
            return result, FileProblem(path.name, Finding("unknown_dataset", {"file": path.name,
                                                                              "keys": shown or "-"}), refused=False)
        result.dataset = dataset
        for n, row in enumerate(itertools.chain(head, rows), start=1):
            result.rows_read = n
            _read_row(result, dataset, n, row, limits)
    except FileRefused as error:
        # Valid JSON that holds no row list is skipped like an unknown dataset; the rest is refused.
        return _FileResult(path.name), FileProblem(path.name, error.finding, refused=error.finding.code != "not_a_list")
    return result, None


def read_isb_files(paths: Iterable[Path | str], forms: FormSet | None = None) -> ImportBatch:
    """Read every file, join their rows into processes, and return what to import and what not."""
    with collector_paused():  # many objects, no cycles: see domain/bulk_work.py
        return _read_isb_files(paths, forms or load_form_set())


def _read_isb_files(paths: Iterable[Path | str], forms: FormSet) -> ImportBatch:
    batch = ImportBatch()
    records: list[Record] = []
    limits = text_limits(forms)
    for path in map(Path, paths):
        result, problem = read_file(path, limits)
        if problem is not None:
            batch.skipped.append(problem)
            continue
        assert result.dataset is not None
        records.extend(result.records)
        batch.opds.extend(result.opds)
        batch.rejected.extend(result.rejected)
        batch.notes.extend(result.notes)
        kept = len(result.records) + len(result.opds)
        batch.files.append(FileSummary(path.name, result.dataset.name, result.rows_read, kept))
    opds = {opd.code: opd for opd in batch.opds}
    batch.rows = build_rows(records, opds, forms)
    return batch
