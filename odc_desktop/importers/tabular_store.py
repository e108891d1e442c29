"""Column mappings saved per header signature, in the data folder (``import-mappings.json``).

The operator confirms a mapping once; the next file with the same header (same names, same order)
is read with it without asking. Written atomically (a temporary file, then a rename); an unreadable
file is treated as empty (a mapping is a convenience: the wizard asks again) and logged.
``odc import --mapping`` names a mapping for tables that have none saved (:func:`mapping_option`).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from odc_desktop.importers.tabular_fields import KINDS, Mapping, Said, guess_columns, missing_keys, normalise, signature

log = logging.getLogger(__name__)

FILE_NAME = "import-mappings.json"


class MappingStore:
    """The saved mappings of one data folder."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / FILE_NAME

    def _all(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            log.warning("Saved import mappings %s unreadable, ignored: %s", self.path, error)
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, header: list[str]) -> Mapping | None:
        """The mapping saved for ``header``'s signature, or None."""
        return Mapping.from_json(self._all().get(signature(header)), len(header))

    def put(self, header: list[str], mapping: Mapping) -> None:
        """Save ``mapping`` for ``header``'s signature (replacing an earlier one)."""
        data = self._all()
        data[signature(header)] = {**mapping.to_json(), "header": list(header)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temp, self.path)


class MappingRefused(Exception):
    """A mapping asked for cannot read a table; ``finding`` says why."""

    def __init__(self, finding: Said):
        super().__init__(finding.code)
        self.finding = finding


def mapping_option(option: str, header: list[str], file: str) -> Mapping:
    """The mapping ``odc import --mapping OPTION`` means for a table with ``header``: a kind
    (``progres``, ``dpa``, ``musrenbang``: its columns found by their header names), or a JSON file
    ``{"kind": …, "columns": {field id: header name or column number from 0}}`` (the saved mappings'
    shape). Raises :class:`MappingRefused` when it cannot be read or lacks a column the kind needs."""
    if option in KINDS:
        mapping = Mapping(option, guess_columns(option, header))
    else:
        mapping = _mapping_file(Path(option), header)
    missing = missing_keys(mapping)
    if missing:
        labels = ", ".join(next(f.label["id"] for f in KINDS[mapping.kind] if f.id == m) for m in missing)
        raise MappingRefused(Said("tabular.mapping_unfit", {"file": file, "mapping": option, "fields": labels}))
    return mapping


def _mapping_file(path: Path, header: list[str]) -> Mapping:
    def refused(reason: Any) -> MappingRefused:
        return MappingRefused(Said("tabular.mapping_file_bad", {"file": str(path), "reason": reason}))

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise refused(error.strerror or str(error)) from None
    except ValueError as error:
        raise refused(str(error)) from None
    names = {normalise(h): i for i, h in reversed(list(enumerate(header)))}
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data = {**data, "columns": {k: names.get(normalise(v), -1) if isinstance(v, str) else v
                                    for k, v in data["columns"].items()}}
    mapping = Mapping.from_json(data, len(header))
    if mapping is None:
        raise refused(Said("tabular.mapping_file_shape"))
    return mapping
