"""The SQL that orders the process list by each of its columns, shared by the list query and the
schema step that indexes it (an index on an expression is used only for exactly that expression).

Each key sorts by one expression, ties most recently changed first. The stage and status of a row sort
in lifecycle order, not alphabetically; the status is that of the current stage's entry, read from
the ``statuses`` text (``"planning=draft,tender=ready,"``), "not started" first.
"""

from __future__ import annotations

from odc_desktop.domain.model import ProcessOrder, SortKey
from odc_desktop.domain.statuses import EntryStatus, Stage


def _rank(expression: str, values: list[str]) -> str:
    """``CASE expression WHEN values[0] THEN 1 …  ELSE 0 END``."""
    whens = " ".join(f"WHEN '{value}' THEN {rank}" for rank, value in enumerate(values, start=1))
    return f"CASE {expression} {whens} ELSE 0 END"


_CURRENT_STATUS = ("substr(statuses, instr(statuses, current_stage || '=') + length(current_stage) + 1, "
                   "instr(substr(statuses, instr(statuses, current_stage || '=')), ',') "
                   "- length(current_stage) - 2)")

#: The expression each key sorts by (ascending; the list may reverse it).
SORT_EXPRESSIONS: dict[SortKey, str] = {
    SortKey.TITLE: "title COLLATE NOCASE",
    SortKey.OPD: "opd_name COLLATE NOCASE",
    SortKey.YEAR: "year",
    SortKey.STAGE: _rank("current_stage", [s.value for s in Stage]),
    SortKey.STATUS: _rank(f"CASE WHEN instr(statuses, current_stage || '=') THEN {_CURRENT_STATUS} END",
                          [s.value for s in EntryStatus]),
}

#: One index per sortable column without one: (expression, change_seq DESC) serves the ascending
#: order in full and the descending one with a sort only within equal values.
SORT_INDEXES: dict[str, str] = {
    f"ix_processes_sort_{key.value}": f"CREATE INDEX ix_processes_sort_{key.value} ON processes "
                                      f"({SORT_EXPRESSIONS[key]}, change_seq DESC)"
    for key in (SortKey.TITLE, SortKey.OPD, SortKey.STAGE, SortKey.STATUS)
}


def order_by_sql(order: ProcessOrder) -> str:
    """The ``ORDER BY`` clause (without the keywords) of the process list in ``order``."""
    key = SortKey(order.key)
    direction = "DESC" if order.descending else "ASC"
    if key is SortKey.UPDATED:
        return f"change_seq {direction}"
    return f"{SORT_EXPRESSIONS[key]} {direction}, change_seq DESC"
