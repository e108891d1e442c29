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

#: The columns an expression reads are kept in its index too: SQLite then answers from the index
#: alone instead of looking up all 100,000 rows.
_READS = {SortKey.STAGE: ", current_stage", SortKey.STATUS: ", current_stage, statuses"}


def _sort_indexes() -> dict[str, str]:
    indexes: dict[str, str] = {}
    for key, expression in SORT_EXPRESSIONS.items():
        name, reads = f"ix_processes_sort_{key.value}", _READS.get(key, "")
        indexes[name] = f"CREATE INDEX {name} ON processes ({expression}, change_seq DESC{reads})"
        if key is not SortKey.YEAR:
            indexes[f"{name}_desc"] = f"CREATE INDEX {name}_desc ON processes ({expression}, change_seq{reads})"
    return indexes


#: Two indexes per sortable column, so either direction is read straight from one, ties most
#: recently changed first: (expression, change_seq DESC) read forwards for the ascending order,
#: (expression, change_seq) read backwards for the descending one (for the year the older
#: ``ix_processes_year`` is that second index).
SORT_INDEXES: dict[str, str] = _sort_indexes()


def order_by_sql(order: ProcessOrder) -> str:
    """The ``ORDER BY`` clause (without the keywords) of the process list in ``order``."""
    key = SortKey(order.key)
    direction = "DESC" if order.descending else "ASC"
    if key is SortKey.UPDATED:
        return f"change_seq {direction}"
    return f"{SORT_EXPRESSIONS[key]} {direction}, change_seq DESC"
