"""Before the app starts on a Linux desktop: are the system libraries Qt's xcb plugin needs installed?

Qt aborts with "Could not load the Qt platform plugin 'xcb'" when one is missing (on Debian/Ubuntu
``libxcb-cursor0`` is not installed by default). ``python -m odc_desktop.platform_check`` (run by
scripts/run-app.sh) asks ``ldd`` which libraries of the plugin cannot be found and prints the one
``apt-get install`` line that installs them. Qt-free: it only locates the plugin file.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# Debian names a library package after its soname (libfoo.so.3 -> libfoo3, libfoo-1.so.3 -> libfoo-1-3);
# these do not follow that rule.
PACKAGE_EXCEPTIONS = {"libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0"}
_NOT_FOUND = re.compile(r"^\s*(\S+\.so[.\d]*)\s+=>\s+not found", re.MULTILINE)


def xcb_plugin() -> Path | None:
    """The installed PySide6's ``libqxcb.so``, or None when PySide6 or the plugin is absent."""
    spec = importlib.util.find_spec("PySide6")
    for location in (spec.submodule_search_locations or []) if spec else []:
        plugin = Path(location, "Qt", "plugins", "platforms", "libqxcb.so")
        if plugin.exists():
            return plugin
    return None


def missing_libraries(ldd_output: str) -> list[str]:
    """The sonames ``ldd`` reported as "not found", each once, in order."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships ``soname`` (by Debian's library naming rule)."""
    if soname in PACKAGE_EXCEPTIONS:
        return PACKAGE_EXCEPTIONS[soname]
    name, _, version = soname.partition(".so.")
    name = name.lower()
    if not version:
        return name
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def install_line(sonames: list[str]) -> str:
    """The one command that installs every missing library."""
    packages = dict.fromkeys(debian_package(s) for s in sonames)
    return "sudo apt-get install -y " + " ".join(packages)


def needs_check(environ: Mapping[str, str] = os.environ) -> bool:
    """True on Linux when Qt will load its xcb plugin: a display, and QT_QPA_PLATFORM unset or "xcb"
    (not offscreen; not unset in a Wayland session, where Qt uses its Wayland plugin)."""
    if not sys.platform.startswith("linux") or not environ.get("DISPLAY"):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "")
    return platform == "xcb" or (platform == "" and not environ.get("WAYLAND_DISPLAY"))


def main() -> int:
    """Print what is missing and the install line; 1 when something is missing, else 0."""
    plugin = xcb_plugin()
    if not needs_check() or plugin is None or shutil.which("ldd") is None:
        return 0
    result = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=False)
    missing = missing_libraries(result.stdout + result.stderr)
    if not missing:
        return 0
    print("ODC Desktop: Qt membutuhkan pustaka sistem yang belum terpasang / Qt needs system libraries "
          "that are not installed: " + ", ".join(missing), file=sys.stderr)
    print("Pasang dengan / install them with:\n    " + install_line(missing), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
