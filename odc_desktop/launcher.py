"""``odc-desktop``'s entry point, free of Qt: it starts the app when PySide6 is installed and, when it
is not (the core was installed without the ``app`` extra, as on the server), says how to install it
and exits with code 3 instead of showing an ImportError traceback."""

from __future__ import annotations

import importlib.util
import sys

from odc_desktop.exit_codes import EXIT_REFUSED
from odc_desktop.messages import LANGUAGES, text

def _lang(argv: list[str]) -> str:
    """The --lang value of the command line (``--lang en`` or ``--lang=en``), else Indonesian."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value in LANGUAGES:
            return value
    return "id"


def _say(text: str) -> None:
    """On stderr; a Windows GUI script has none, so there a message box says it (no Qt needed)."""
    if sys.stderr is not None:
        sys.stderr.write(text + "\n")
    elif sys.platform == "win32":
        import ctypes

        ctypes.windll.user32.MessageBoxW(None, text, "ODC Desktop", 0x10)  # MB_ICONERROR


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if importlib.util.find_spec("PySide6") is None:
        _say(text("launcher.no_qt", _lang(args), python=sys.executable))
        return EXIT_REFUSED
    from odc_desktop.app import main as app_main

    return app_main(argv)


if __name__ == "__main__":
    sys.exit(main())
