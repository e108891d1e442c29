"""Qt lives in one subtree: only odc_desktop/ui/ and odc_desktop/app.py may import PySide6."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _qt_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [f"{path.relative_to(REPO)}:{node.lineno} imports {n}" for n in names
                  if n.split(".")[0] in QT_MODULES]
    return found


def _qt_free_files() -> list[Path]:
    roots = [REPO / "odc_desktop", REPO / "sync"]
    files = [p for root in roots if root.exists() for p in root.rglob("*.py")]
    allowed_dir = REPO / "odc_desktop" / "ui"
    return [p for p in files if allowed_dir not in p.parents and p != REPO / "odc_desktop" / "app.py"]


def test_no_qt_import_outside_ui():
    files = _qt_free_files()
    assert len(files) > 10, "the walk found too few modules; the layout changed?"
    offenders = [hit for path in files for hit in _qt_imports(path)]
    assert offenders == []


def test_the_walk_catches_a_qt_import(tmp_path):
    bad = REPO / "odc_desktop" / "domain" / "_layering_probe.py"
    bad.write_text("from PySide6 import QtCore\n", encoding="utf-8")
    try:
        assert _qt_imports(bad)
        assert bad in _qt_free_files()
    finally:
        bad.unlink()


def test_cli_and_domain_run_without_qt_loaded():
    code = ("import sys, odc_desktop.cli, odc_desktop.domain.release, odc_desktop.domain.validation, "
            "odc_desktop.storage.sql, odc_desktop.domain.demo, odc_desktop.domain.export; "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
