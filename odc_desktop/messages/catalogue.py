"""Loading the catalogue: one gettext domain per area, compiled from its PO file when first needed.

The PO files are the source. Each is compiled once to a ``.mo`` file beside it with Babel, the first
time a message of its area is formatted while the ``.mo`` is missing or was compiled from other PO
bytes (the ``.mo`` names the SHA-256 of its source in its Project-Id-Version header: timestamps are
not trusted, a checkout or a merge can leave an old ``.mo`` newer than a changed ``.po``); the ``.mo``
is then read with the standard library's :mod:`gettext`, so a run that finds it current imports
neither Babel nor anything else beyond the standard library. Where the folder cannot be written (a
read-only installation), the compiled catalogue is kept in memory for the run.

An English catalogue falls back to the Indonesian one for a key it lacks (a test holds that none
does); a key neither has raises KeyError.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().with_name("locale")

_loaded: dict[tuple[str, str], gettext.NullTranslations] = {}


class _Missing(gettext.NullTranslations):
    """The end of a fallback chain: a key no catalogue of the area has."""

    def __init__(self, area: str):
        super().__init__()
        self.area = area

    def gettext(self, message: str) -> str:
        raise KeyError(f"{self.area}.{message}")


def po_path(area: str, lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Where the PO file of ``area`` in ``lang`` lives."""
    return locale_dir / lang / "LC_MESSAGES" / f"{area}.po"


def areas(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Every area that has a catalogue in Bahasa Indonesia."""
    return sorted(p.stem for p in (locale_dir / "id" / "LC_MESSAGES").glob("*.po"))


def template(code: str, lang: str) -> str:
    """The unfilled text of ``code`` (``"<area>.<key>"``) in ``lang``; KeyError when unknown."""
    area, _, key = code.partition(".")
    if not key:
        raise KeyError(code)
    return _translations(area, lang).gettext(key)


def _translations(area: str, lang: str) -> gettext.NullTranslations:
    found = _loaded.get((area, lang))
    if found is None:
        found = load(area, lang)
        if lang != "id":
            found.add_fallback(_translations(area, "id"))
        else:
            found.add_fallback(_Missing(area))
        _loaded[(area, lang)] = found
    return found


def load(area: str, lang: str, locale_dir: Path = LOCALE_DIR) -> gettext.NullTranslations:
    """The catalogue of ``area`` in ``lang`` (empty when the area has no PO file in that language)."""
    po = po_path(area, lang, locale_dir)
    mo = po.with_suffix(".mo")
    try:
        source = po.read_bytes()
    except FileNotFoundError:
        if lang == "id":
            raise KeyError(f"{area}.*: no catalogue {po}") from None
        return gettext.NullTranslations()
    version = _SOURCE_PREFIX + hashlib.sha256(source).hexdigest()
    try:
        with mo.open("rb") as compiled:
            found = gettext.GNUTranslations(compiled)
        if found.info().get("project-id-version", "").endswith(version):
            return found
    except (OSError, ValueError):  # missing, unreadable or half-written: compile it again
        pass
    return gettext.GNUTranslations(io.BytesIO(compile_po(source, version, mo)))


_SOURCE_PREFIX = "po-sha256:"


def compile_po(source: bytes, version: str, mo: Path) -> bytes:
    """Compile the PO bytes ``source`` with Babel, the MO naming ``version`` as its Project-Id-Version,
    and write ``mo`` (atomically) when the folder allows; the MO bytes."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), abort_invalid=True)
    catalog.project, catalog.version = "odc-desktop-messages", version
    out = io.BytesIO()
    write_mo(out, catalog)
    data = out.getvalue()
    temp = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, mo)
    except OSError as exc:
        log.info("Message catalogue %s kept in memory (%s)", mo, exc)
        temp.unlink(missing_ok=True)
    return data

