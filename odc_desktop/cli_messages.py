"""What the ``odc`` command line says, in Bahasa Indonesia (default) and English (``--lang en``).

Our sentences are the area ``cli`` of the message catalogue (:mod:`odc_desktop.messages`, keys as
``say`` takes them); argparse's own texts in Indonesian are its area ``argparse``, keyed by argparse's
English msgids (:func:`argparse_gettext`). Why the operating system refused a file is told by
:mod:`odc_desktop.os_reasons`, shared with the app.
"""

from __future__ import annotations

from typing import Any

from odc_desktop.domain.ocds.messages import rupiah
from odc_desktop.messages import text

def say(key: str, lang: str = "id", **values: Any) -> str:
    """The message ``key`` in ``lang`` (Indonesian when the language is unknown), filled with ``values``;
    counts get the language's thousands separators ("100.000 paket")."""
    shown = {name: rupiah(value, lang) if isinstance(value, int) and not isinstance(value, bool) else value
             for name, value in values.items()}
    return text(f"cli.{key}", lang, **shown)


def argparse_gettext(lang: str):
    """(gettext, ngettext) for argparse in ``lang``: Indonesian from the catalogue's area ``argparse``
    (keyed by argparse's own English msgids), else English."""
    if lang == "en":
        def gettext(message: str) -> str:
            return message
    else:
        from odc_desktop.messages.catalogue import load

        gettext = load("argparse", "id").gettext  # a text it lacks stays in English

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    return gettext, ngettext
