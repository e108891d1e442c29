"""Column mappings saved per header signature, in the data folder (``import-mappings.json``).

The operator confirms a mapping once; the next file with the same header (same names, same order)
is read with it without asking. Written atomically (a temporary file, then a rename); an unreadable
file is treated as empty (a mapping is a convenience: the wizard asks again) and logged.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from odc_desktop.importers.tabular_fields import Mapping, signature

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
