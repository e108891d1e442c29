"""Fold a ``{key: {"id": ..., "en": ...}}`` table into the message catalogue as the area ``AREA``.

    python scripts/fold_messages.py some.module:MESSAGES some_area

adds each key of the table to ``odc_desktop/messages/locale/{id,en}/LC_MESSAGES/AREA.po`` (creating
the files when the area is new; a key already there is left as it is and reported), after which the
code ``AREA.key`` is said with ``odc_desktop.messages.text("AREA.key", lang, **params)`` and the table
can be deleted. ``--keys`` maps other key types (an enum, an errno) to text: ``name`` (``key.name``),
``value`` (``key.value``) or ``errno`` (``errno.errorcode[key]``).
"""

from __future__ import annotations

import argparse
import errno
import importlib
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from odc_desktop.messages.catalogue import LOCALE_DIR, po_path  # noqa: E402

KEYS = {"str": str, "name": lambda k: k.name, "value": lambda k: k.value, "errno": lambda k: errno.errorcode[k]}


def fold(table: dict, area: str, key_text=str, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Add ``table`` to the PO files of ``area``; the keys that were already there."""
    kept: list[str] = []
    for lang in ("id", "en"):
        path = po_path(area, lang, locale_dir)
        if path.exists():
            with path.open("rb") as f:
                catalog = read_po(f)
        else:
            catalog = Catalog(locale=None, project="ODC Desktop", domain=area)
        for key, texts in table.items():
            msgid = key_text(key)
            if msgid in catalog:
                kept.append(f"{lang}:{msgid}")
                continue
            catalog.add(msgid, texts[lang])  # no python-brace-format flag: Babel sets it from the msgid
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_po(f, catalog, width=100, omit_header=True, sort_output=False)
    return kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("table", help="module:NAME of a {key: {'id', 'en'}} table")
    parser.add_argument("area")
    parser.add_argument("--keys", choices=sorted(KEYS), default="str")
    args = parser.parse_args()
    module, _, name = args.table.partition(":")
    table = getattr(importlib.import_module(module), name)
    kept = fold(table, args.area, KEYS[args.keys])
    print(f"{len(table)} messages folded into the area '{args.area}'"
          + (f"; already there, left as they were: {', '.join(kept)}" if kept else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
