"""One source row read into what it says about a process: its keys, process fields and stage values.

A dataset's mapper (:mod:`odc_desktop.importers.datasets`) reads a row through :class:`RowReader`,
which keeps every source value beside the form value read from it, and turns a value that cannot be
read into a note (the field stays empty) instead of an error. Only a missing or unreadable key
rejects the row (:class:`RowRejected`).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any, Callable

from odc_desktop.importers.choices import BUSINESS_FORMS
from odc_desktop.importers.rows import Finding, RawValue, SourceRef
from odc_desktop.importers.values import (Unreadable, blank, label_key, month_end, read_choice, read_code,
                                          read_codes, read_date, read_money, read_npwp, read_percent,
                                          read_text, shorten)


def jsonable(value: Any) -> Any:
    """``value`` as JSON can hold it: ijson reads decimals exactly, as Decimal."""
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
        as_float = float(value) if value.is_finite() else None
        return as_float if as_float is not None and str(as_float) == str(value) else str(value)
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


class RowRejected(Exception):
    """The row cannot be joined to a process (its key is missing or unreadable)."""

    def __init__(self, finding: Finding):
        super().__init__(finding.code)
        self.finding = finding


@dataclasses.dataclass(slots=True)
class Value:
    """A form value with the rank of the dataset it came from and the source values behind it."""

    value: Any
    rank: int
    raw: RawValue | list[RawValue]


@dataclasses.dataclass(slots=True)
class Item:
    """One row of a repeat group (or one part of a joined text), identified so a re-read adds nothing."""

    key: str
    value: Any
    raw: list[RawValue]


@dataclasses.dataclass
class Record:
    """What one source row says: aliases that join it to a process, process fields, stage values."""

    source: SourceRef
    rank: int
    aliases: list[str] = dataclasses.field(default_factory=list)
    process: dict[str, Value] = dataclasses.field(default_factory=dict)
    values: dict[tuple[str, str], Value] = dataclasses.field(default_factory=dict)
    items: dict[tuple[str, str], list[Item]] = dataclasses.field(default_factory=dict)
    kode_rup_lain: list[str] = dataclasses.field(default_factory=list)
    #: A selection's (version, announcement date): which of several tenders of one package is current.
    selection_order: tuple[int, str] | None = None


class RowReader:
    """Reads one row's columns into a :class:`Record`; unreadable values become ``notes``."""

    def __init__(self, row: dict[str, Any], n: int, source: SourceRef, rank: int,
                 limits: dict[tuple[str, str], int] | None = None):
        self.row, self.n, self.limits = row, n, limits or {}
        self.record = Record(source=source, rank=rank)
        self.notes: list[tuple[str, Finding]] = []  # (column, finding)

    # --- raw access --------------------------------------------------------------------------
    def has(self, column: str) -> bool:
        return not blank(self.row.get(column))

    def raw(self, column: str) -> RawValue:
        return RawValue(jsonable(self.row.get(column)), column, self.record.source)

    def first(self, *columns: str) -> str | None:
        """The first of ``columns`` that holds a value."""
        return next((c for c in columns if self.has(c)), None)

    def read(self, column: str | None, reader: Callable[..., Any], *args: Any) -> Any:
        """``reader(value, *args)`` of ``column``; None when blank or unreadable (then noted)."""
        if column is None or not self.has(column):
            return None
        try:
            return reader(self.row[column], *args)
        except Unreadable as error:
            self.notes.append((column, Finding("value_unreadable", {"n": self.n, "column": column,
                                                                     "reason": error.reason})))
            return None

    # --- keys --------------------------------------------------------------------------------
    def key(self, *columns: str, many: bool = False) -> Any:
        """The code in the first filled of ``columns`` (all codes of a ``;`` list with ``many``);
        rejects the row when none is filled or the code cannot be read."""
        column = self.first(*columns)
        if column is None:
            raise RowRejected(Finding("row_missing_key", {"n": self.n, "key": columns[0]}))
        try:
            return read_codes(self.row[column]) if many else read_code(self.row[column])
        except Unreadable:
            raise RowRejected(Finding("row_bad_key", {"n": self.n, "key": column,
                                                      "value": str(self.row[column])[:40]})) from None

    def alias(self, kind: str, code: str | None) -> None:
        if code:
            self.record.aliases.append(f"{kind}:{code}")

    # --- process fields ----------------------------------------------------------------------
    def process_field(self, name: str, column: str | None, value: Any, rank_offset: int = 0) -> None:
        if value not in (None, "") and column is not None:
            self.record.process[name] = Value(value, self.record.rank + rank_offset, self.raw(column))

    def common(self, title_column: str | None = "nama_paket", title_rank: int = 0) -> None:
        """Title, OPD (kd_satker_str; kd_satker where it holds the dotted code) and year."""
        title = self.read(title_column, read_text) if title_column else None
        self.process_field("title", title_column, title and shorten(title, 300), title_rank)
        opd_column = self.first("kd_satker_str")
        if opd_column is None and self.has("kd_satker") and "." in str(self.row["kd_satker"]):
            opd_column = "kd_satker"  # SPSE-TenderSelesaiNilai puts kd_satker_str in kd_satker
        self.process_field("opd_code", opd_column, self.read(opd_column, read_code))
        self.process_field("opd_name", "nama_satker", self.read("nama_satker", read_text))
        year = self.read("tahun_anggaran", read_code)
        self.process_field("year", "tahun_anggaran", int(year) if year and year.isdigit() else None)

    # --- stage values ------------------------------------------------------------------------
    def put(self, stage: str, field: str, column: str | None, value: Any, rank_offset: int = 0) -> Any:
        if value is not None and column is not None:
            self.record.values[(stage, field)] = Value(value, self.record.rank + rank_offset, self.raw(column))
        return value

    def money(self, stage: str, field: str, *columns: str, rank_offset: int = 0) -> int | None:
        column = self.first(*columns)
        result = self.read(column, read_money)
        if result is None:
            return None
        amount, rounded = result
        if rounded:
            self.notes.append((column, Finding("money_rounded", {"n": self.n, "column": column,
                                                                 "value": str(self.row[column])})))
        return self.put(stage, field, column, amount, rank_offset)

    def date(self, stage: str, field: str, *columns: str, month_last: bool = False, rank_offset: int = 0) -> str | None:
        column = self.first(*columns)
        value = self.read(column, read_date)
        if value is not None and month_last and value.endswith("-01"):
            value = month_end(value)  # SIRUP gives months; an end month means its last day (SOP 2.5)
        return self.put(stage, field, column, value, rank_offset)

    def text(self, stage: str, field: str, *columns: str, cut: bool = False, rank_offset: int = 0) -> str | None:
        """Plain text of the first filled column. ``cut``: a description longer than the form allows is
        shortened (noted; the whole text stays raw); a number or code is never cut — the form's check
        leaves an overlong one out instead."""
        column = self.first(*columns)
        value = self.read(column, read_text)
        limit = self.limits.get((stage, field))
        if cut and value and limit and len(value) > limit:
            self.notes.append((column, Finding("text_shortened", {"n": self.n, "column": column, "limit": limit})))
            value = shorten(value, limit)
        return self.put(stage, field, column, value or None, rank_offset)

    def choice(self, stage: str, field: str, table: dict[str, str | None], list_name: str, *columns: str,
               rank_offset: int = 0) -> str | None:
        column = self.first(*columns)
        return self.put(stage, field, column, self.read(column, read_choice, table, list_name), rank_offset)

    def percent(self, stage: str, field: str, column: str) -> Any:
        return self.put(stage, field, column, self.read(column, read_percent))

    def constant(self, stage: str, field: str, column: str, value: Any) -> None:
        """A value the dataset itself implies (e.g. a BAST dataset row is a BAST); ``column`` shows why."""
        if self.has(column):
            self.put(stage, field, column, value)

    def item(self, stage: str, field: str, key: str, value: Any, columns: tuple[str, ...]) -> None:
        """Add one row of a repeat group (or one part of a joined text)."""
        raws = [self.raw(c) for c in columns if c in self.row]
        self.record.items.setdefault((stage, field), []).append(Item(key, value, raws))

    # --- organizations -----------------------------------------------------------------------
    def organization(self, name_column: str = "nama_penyedia") -> dict[str, Any] | None:
        """A supplier as the form stores it. The NPWP is kept only for a business entity: an
        individual's NPWP is personal data and never goes into a published field."""
        name = self.read(name_column, read_text)
        if not name:
            return None
        org: dict[str, Any] = {"name": shorten(name, 300)}
        npwp_column = self.first("npwp_16_penyedia", "npwp16_penyedia", "npwp_penyedia_16", "npwp_penyedia")
        if npwp_column and self._is_business(name):
            npwp = self.read(npwp_column, read_npwp)
            if npwp:
                org["npwp"] = npwp
        return org

    def _is_business(self, name: str) -> bool:
        form = label_key(" ".join(str(self.row.get(c) or "") for c in ("bentuk_usaha_penyedia", "tipe_penyedia")))
        if "perorangan" in form or "perseorangan" in form:
            return False
        if any(word in form.split() for word in BUSINESS_FORMS) or "badan usaha" in form:
            return True
        return label_key(name).split(" ", 1)[0] in BUSINESS_FORMS
