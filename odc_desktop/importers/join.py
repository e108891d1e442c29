"""Records of many datasets → processes → one :class:`ImportRow` per stage.

Records sharing a key (kode RUP, kode tender / non-tender, kode pencatatan, kd_paket, nomor kontrak)
belong to one process (union–find over those keys). A consolidated package's further kode RUP
(``a;b``) are kept as ``kode_rup_lain`` and do not merge separate RUP packages. Per field the record of
the highest-ranked dataset wins. Stage data is then run through the form's own entry checks: a
source value that fails them (e.g. HPS above pagu) is left out of the data, kept in ``raw`` and
explained in the row's notes, so what the workflow receives passes the checks except for fields the
source did not have.
"""

from __future__ import annotations

import json
from typing import Any

from odc_desktop.domain.forms.definition import FormSet, text_in
from odc_desktop.domain.forms.entry_checks import validate_entry
from odc_desktop.domain.statuses import STAGE_ORDER, Stage
from odc_desktop.importers.record import Record, Value
from odc_desktop.importers.rows import Finding, ImportRow, OpdRecord, RawValue, SourceRef
from odc_desktop.importers.values import shorten

#: Which key names a process, best first.
KEY_ORDER = ("rup", "tender", "nontender", "pencatatan", "swakelola", "epurchasing", "kontrak")
#: Fields that complete a stage but do not start one: the tender announcement's "kontrak pembayaran"
#: fills the contract's type once a contract exists, it is no contract by itself.
HINTS = {"contract": frozenset({"jenis_kontrak"})}
#: Repeat-group items that are parts of one text rather than rows.
JOINED_TEXT = {("planning", "lokasi_detail"): 300}


class _Groups:
    """Union–find over alias strings."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, a: str) -> str:
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_records(records: list[Record]) -> list[list[Record]]:
    """The records of each process, in the order the processes were first seen."""
    groups = _Groups()
    for record in records:
        for alias in record.aliases[1:]:
            groups.union(record.aliases[0], alias)
    out: dict[str, list[Record]] = {}
    for record in records:
        if record.aliases:
            out.setdefault(groups.find(record.aliases[0]), []).append(record)
    return list(out.values())


def _process_key(records: list[Record]) -> tuple[str, list[str]]:
    aliases = list(dict.fromkeys(a for r in records for a in r.aliases))
    for kind in KEY_ORDER:
        found = [a for a in aliases if a.startswith(kind + ":")]
        if found:
            return found[0], aliases
    return aliases[0], aliases


def _selection(record: Record) -> str | None:
    return next((a for a in record.aliases if a.startswith(("tender:", "nontender:"))), None)


def _current_selection(records: list[Record]) -> tuple[str | None, list[str]]:
    """The tender (or non-tender) of a package that is current — highest version, then latest
    announcement, then highest code — and the superseded ones (a re-tender gets a new code)."""
    selections = list(dict.fromkeys(s for s in map(_selection, records) if s))
    if len(selections) < 2:
        return (selections[0] if selections else None), []
    order = {s: max((r.selection_order or (0, "") for r in records if _selection(r) == s)) for s in selections}
    current = max(selections, key=lambda s: (order[s], int(s.split(":")[1]) if s.split(":")[1].isdigit() else 0))
    return current, [s for s in selections if s != current]


def _best(values: list[tuple[int, Value]]) -> Value:
    """The value of the highest rank; among equals the first read."""
    return max(values, key=lambda pair: (pair[1].rank, -pair[0]))[1]


def _process_fields(records: list[Record], key: str, aliases: list[str],
                    opds: dict[str, OpdRecord]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in ("title", "opd_code", "opd_name", "year"):
        candidates = [(i, r.process[name]) for i, r in enumerate(records) if name in r.process]
        fields[name] = _best(candidates).value if candidates else None
    if fields["opd_code"] in opds and not fields["opd_name"]:
        fields["opd_name"] = opds[fields["opd_code"]].name
    rups = [a.split(":", 1)[1] for a in aliases if a.startswith("rup:")]
    fields["kode_rup"] = key.split(":", 1)[1] if key.startswith("rup:") else None
    others = rups + [code for r in records for code in r.kode_rup_lain]
    fields["kode_rup_lain"] = [c for c in dict.fromkeys(others) if c != fields["kode_rup"]]
    for kind, name in (("tender", "kode_tender"), ("nontender", "kode_nontender")):
        codes = [a.split(":", 1)[1] for a in aliases if a.startswith(kind + ":")]
        if codes:
            fields[name] = codes[0]
    return fields


def _stage_values(records: list[Record], stage: str, superseded: list[str], forms: FormSet
                  ) -> tuple[dict[str, Any], dict[str, Any], list[SourceRef], list[Finding]]:
    """The stage's data (best value per field, group rows without repeats), raw values, sources, notes."""
    data: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    notes: list[Finding] = []
    sources: list[SourceRef] = []
    by_field: dict[str, list[tuple[int, Value, SourceRef]]] = {}
    if stage != "planning":  # a failed earlier tender says nothing about the current one
        records = [r for r in records if _selection(r) not in superseded]
    for i, record in enumerate(records):
        for (s, field), value in record.values.items():
            if s == stage:
                by_field.setdefault(field, []).append((i, value, record.source))
    for field, candidates in by_field.items():
        chosen = _best([(i, v) for i, v, _ in candidates])
        data[field], raw[field] = chosen.value, chosen.raw
        for _, value, source in candidates:
            if value is chosen:
                sources.append(source)
            elif value.rank == chosen.rank and _differs(value.value, chosen.value):
                notes.append(Finding("second_value", {"stage": _title(stage), "field": _label(forms, stage, field),
                                                      "first": _where(chosen.raw), "other": source.dataset}))
    item_keys: dict[str, set[str]] = {}
    for record in records:
        for (s, field), items in record.items.items():
            if s != stage:
                continue
            if field not in item_keys:  # rows of a list (RUP locations) win over a single text (SPSE's)
                item_keys[field] = set()
                data[field], raw[field] = [], []
            keys = item_keys[field]
            for item in items:
                if item.key not in keys:  # the same row read twice (a file imported again) adds nothing
                    keys.add(item.key)
                    data[field].append(item.value)
                    raw[field].extend(item.raw)
                    sources.append(record.source)
    # Lists in a fixed order (payments by date, the rest by content): ISB may list rows in any order,
    # and a new download of the same data must not look like a change.
    for field in item_keys:
        data[field].sort(key=lambda item: (item.get("tanggal", "") if isinstance(item, dict) else "",
                                           json.dumps(item, sort_keys=True)))
    for (s, field), limit in JOINED_TEXT.items():
        if s == stage and isinstance(data.get(field), list):
            data[field] = shorten("; ".join(data[field]), limit)
    if stage == "tender" and data.get("peserta"):
        data["jumlah_peserta"] = len(data["peserta"])  # only rows with a bid are bidders
        raw["jumlah_peserta"] = raw["peserta"]
    return data, raw, list(dict.fromkeys(sources)), notes


def _differs(a: Any, b: Any) -> bool:
    """Two values say different things (organizations: different names)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return str(a.get("name", "")).casefold() != str(b.get("name", "")).casefold()
    return a != b


def _where(raw: RawValue | list[RawValue]) -> str:
    first = raw[0] if isinstance(raw, list) and raw else raw
    return first.source.dataset if isinstance(first, RawValue) else ""


def _label(forms: FormSet, stage: str, field_id: str) -> dict[str, str]:
    field = forms.for_stage(stage).field(field_id)
    return {lang: text_in(field.label, lang) if field else field_id for lang in ("id", "en")}


def _title(stage: str) -> dict[str, str]:
    return {"id": Stage(stage).title("id"), "en": Stage(stage).title("en")}


def _drop_failing(datas: dict[str, dict[str, Any]], notes: dict[str, list[Finding]], forms: FormSet) -> None:
    """Leave out every value that fails the form's checks other than "required" (noted, raw kept)."""
    for _ in range(4):  # a drop can only remove problems, so this settles in a couple of rounds
        changed = False
        for stage, data in datas.items():
            form = forms.for_stage(stage)
            others = {s: d for s, d in datas.items() if s != stage}
            found = {"id": [p for p in validate_entry(form, data, forms.codelists, others, "id", forms=forms,
                                                      without_required=True) if p.code != "required"]}
            if not found["id"]:
                continue
            found["en"] = [p for p in validate_entry(form, data, forms.codelists, others, "en", forms=forms,
                                                     without_required=True) if p.code != "required"]
            rows: dict[str, set[int]] = {}
            for p_id, p_en in zip(found["id"], found["en"]):
                parts = p_id.path.split("/")
                field = p_id.field_id or parts[0]
                notes[stage].append(Finding("field_dropped", {
                    "stage": _title(stage), "field": _label(forms, stage, field),
                    "problem": {"id": p_id.message, "en": p_en.message}}))
                if len(parts) >= 2 and parts[1].isdigit() and isinstance(data.get(parts[0]), list):
                    rows.setdefault(parts[0], set()).add(int(parts[1]))
                else:
                    data.pop(field, None)
                changed = True
            for field, indexes in rows.items():
                if field in data:
                    data[field] = [item for i, item in enumerate(data[field]) if i not in indexes]
                    if not data[field]:
                        del data[field]
        if not changed:
            return


def build_rows(records: list[Record], opds: dict[str, OpdRecord], forms: FormSet) -> list[ImportRow]:
    """One ImportRow per stage with data, per process, processes in the order first seen."""
    out: list[ImportRow] = []
    for group in group_records(records):
        # Equal-ranked values are decided by the rows' keys, not by the order of files or rows.
        group.sort(key=lambda r: (r.source.dataset, r.source.row_key))
        key, aliases = _process_key(group)
        fields = _process_fields(group, key, aliases, opds)
        current, superseded = _current_selection(group)
        if current:
            fields["kode_tender" if current.startswith("tender:") else "kode_nontender"] = current.split(":", 1)[1]
        datas, raws, sources, notes = {}, {}, {}, {}
        for stage in (s.value for s in STAGE_ORDER):
            data, raw, used, found = _stage_values(group, stage, superseded, forms)
            if stage == "tender" and superseded:
                found.extend(Finding("superseded_selection", {"old": old.split(":", 1)[1],
                                                              "new": current.split(":", 1)[1]}) for old in superseded)
            if data:
                datas[stage], raws[stage], sources[stage], notes[stage] = data, raw, used, found
        _drop_failing(datas, notes, forms)
        tender = datas.get("tender", {})
        if tender.get("nama_tender") and tender["nama_tender"] == fields["title"]:
            del tender["nama_tender"]  # the form: "leave empty when it equals the RUP package name"
        contract = datas.get("contract", {})
        if contract.get("nomor_kontrak"):
            fields["nomor_kontrak"] = contract["nomor_kontrak"]
        for stage, data in datas.items():
            if data and not set(data) <= HINTS.get(stage, frozenset()):
                out.append(ImportRow(key, dict(fields), stage, data, tuple(sources[stage]), raws[stage],
                                     notes[stage]))
    return out


#: The form-check pass, for the other importers (CSV/XLSX: odc_desktop/importers/tabular.py).
drop_failing = _drop_failing
