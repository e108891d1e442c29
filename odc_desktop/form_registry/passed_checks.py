"""Which stored form files passed the meta-schema, remembered between starts (a cache, never the truth).

The meta-schema pass is the slow part of loading a form (jsonschema's import and validation); the app
reads every stored form after each start. A stored file's fingerprint (its name and bytes, the shipped
meta-schemas and the app version: :func:`files_fingerprint`) is recorded once it passed, so the next
start skips that pass for the very same bytes; the semantic checks always run. A missing or unreadable
cache means "check again" (logged), and failing to write it is logged, never raised.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from odc_desktop.domain.forms.definition_checks import files_fingerprint
from odc_desktop.form_registry.files import write_atomically

log = logging.getLogger(__name__)

#: Fingerprints kept (the newest); far more than the stored versions of six forms.
KEEP = 500


class PassedChecks:
    """The fingerprints recorded in ``path`` (None: nothing is remembered, every file is checked)."""

    def __init__(self, path: Path | None):
        self.path = path
        self._passed: list[str] | None = None
        self._lock = threading.Lock()

    @staticmethod
    def fingerprint(name: str, raw: bytes) -> str:
        return files_fingerprint({f"stored/{name}": raw})

    def passed(self, fingerprint: str) -> bool:
        """Whether the file with this fingerprint passed the meta-schema before."""
        with self._lock:
            return fingerprint in self._read()

    def remember(self, fingerprint: str) -> None:
        """Record that the file with this fingerprint passed."""
        if self.path is None:
            return
        with self._lock:
            passed = self._read()
            if fingerprint in passed:
                return
            passed.append(fingerprint)
            del passed[:-KEEP]
            try:
                write_atomically(self.path, json.dumps({"stored_forms_passed": passed}).encode())
            except OSError as exc:
                log.warning("cannot write %s (stored forms are checked in full at every start): %s",
                            self.path, exc)

    def _read(self) -> list[str]:
        if self._passed is None:
            self._passed = []
            if self.path is not None:
                try:
                    found = json.loads(self.path.read_bytes()).get("stored_forms_passed", [])
                    self._passed = [f for f in found if isinstance(f, str)]
                except FileNotFoundError:
                    pass
                except (OSError, ValueError, AttributeError) as exc:
                    log.warning("stored form check cache %s unusable, checking again: %s", self.path, exc)
        return self._passed
