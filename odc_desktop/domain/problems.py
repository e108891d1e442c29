"""The one shape every validation finding takes, whichever layer found it.

Layer 1 (``entry_checks``: the form's JSON Schema and cross-field rules) and layer 2 (the OCDS
rules on the built release) both return lists of :class:`Problem`, so the UI, the CLI and the
server show and count them the same way.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Problem:
    """One finding: where (``path``), what to tell the user (``message``), a stable ``code``.

    ``path`` is a ``/``-separated location: a field id path for entry data (``rincian_anggaran/0/nilai``)
    or an OCDS path for a release (``awards/0/value/amount``). ``field_id`` names the top-level form
    field to highlight, when there is one. ``severity`` is ``"error"`` (blocks "ready") or ``"warning"``.
    ``level`` says which check found it: ``"error"`` (the official OCDS schema and the standard's own
    rules), ``"profile"`` (the Bojonegoro publication profile) or ``"flag"`` (a red flag about the
    procurement, always a warning); see docs/validation.md.
    """

    path: str
    message: str
    code: str
    field_id: str | None = None
    severity: str = "error"
    level: str = "profile"
