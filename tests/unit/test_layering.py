"""Qt lives in one subtree: only odc_desktop/ui/ and odc_desktop/app.py may import PySide6."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

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
    code = ("import sys, odc_desktop.cli, odc_desktop.domain.ocds.release, odc_desktop.domain.ocds.validation, "
            "odc_desktop.storage.sql, odc_desktop.demo.data, odc_desktop.domain.ocds.export; "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- the domain reads no settings and no data folders ------------------------------------------
# It imports only itself, the package's __version__ and the message catalogue (odc_desktop.messages,
# which imports nothing of odc_desktop): settings, data folders, storage, the CLI and the UI are its
# callers' business; they pass what it needs as arguments.
DOMAIN = REPO / "odc_desktop" / "domain"
MESSAGES = REPO / "odc_desktop" / "messages"


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in ``path``, relative ones resolved, ``from X import y``
    counted as ``X.y`` too (``from odc_desktop import settings`` imports a module)."""
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            found += [(node.lineno, base)] + [(node.lineno, f"{base}.{a.name}") for a in node.names]
    return found


def _domain_outward_imports(path: Path) -> list[str]:
    outward = []
    for line, module in _imported_modules(path):
        parts = module.split(".")
        if parts[0] != "odc_desktop" or len(parts) == 1 or parts[1] in ("domain", "messages") \
                or module == "odc_desktop.__version__":
            continue
        outward.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    return outward


def test_the_message_catalogue_imports_nothing_of_the_app():
    files = list(MESSAGES.rglob("*.py"))
    assert files
    found = [f"{path.relative_to(REPO)}:{line} imports {module}" for path in files
             for line, module in _imported_modules(path)
             if module.startswith("odc_desktop.") and not module.startswith("odc_desktop.messages")]
    assert found == []


def test_the_domain_imports_nothing_of_the_app_around_it():
    files = list(DOMAIN.rglob("*.py"))
    assert len(files) > 10, "the walk found too few domain modules; the layout changed?"
    assert [hit for path in files for hit in _domain_outward_imports(path)] == []


@pytest.mark.parametrize("line", [
    "from odc_desktop.settings import Settings",
    "from odc_desktop.datadir import cache_dir",
    "import odc_desktop.datadir",
    "from odc_desktop import settings",
    "from .. import datadir",
    "from ..storage import sql",
    "from odc_desktop.demo import data",
    "from odc_desktop.demo.sample_files import make_pdf",
    "import odc_desktop.demo",
    "from odc_desktop.form_registry import FormRegistry",
])
def test_the_domain_walk_catches_settings_and_data_folder_imports(line: str):
    assert _probe_finds(DOMAIN, line, _domain_outward_imports), line


def _probe_finds(folder: Path, line: str, walk) -> list[str]:
    """What ``walk`` reports for a throw-away module in ``folder`` holding only ``line``."""
    probe = folder / "_layering_probe.py"
    probe.write_text(f"{line}\n", encoding="utf-8")
    try:
        return walk(probe)
    finally:
        probe.unlink()


def test_the_domain_loads_without_settings_or_data_folders():
    code = ("import sys, odc_desktop.domain.ocds.release, odc_desktop.domain.forms.definition, "
            "odc_desktop.domain.ocds.export, odc_desktop.demo.data, odc_desktop.domain.ocds.validate_file; "
            "odc_desktop.domain.forms.definition.load_form_set(); "
            "print(sorted(m for m in sys.modules if m in ('odc_desktop.settings', 'odc_desktop.datadir', "
            "'platformdirs')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- demo data sits outside the domain ------------------------------------------------------------
# The demo generator and its sample files use the domain (and nothing else of the app: the store is
# passed in); the domain never imports them (the rule above: the domain imports only itself).
DEMO = REPO / "odc_desktop" / "demo"


def _demo_outward_imports(path: Path) -> list[str]:
    outward = []
    for line, module in _imported_modules(path):
        parts = module.split(".")
        if parts[0] != "odc_desktop" or len(parts) == 1 or parts[1] in ("domain", "demo", "messages", "workflow"):
            continue
        outward.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    return outward


def test_demo_data_imports_only_the_domain_and_writes_through_the_workflow():
    files = list(DEMO.rglob("*.py"))
    assert len(files) >= 2, "the walk found too few demo modules; the layout changed?"
    assert [hit for path in files for hit in _demo_outward_imports(path)] == []
    uses_domain = [m for path in files for _, m in _imported_modules(path) if m.startswith("odc_desktop.domain.")]
    assert uses_domain, "the demo generator no longer uses the domain?"


WORKFLOW = REPO / "odc_desktop" / "workflow"


def test_the_workflow_imports_only_the_domain_and_the_storage_interfaces():
    """The workflow is the layer under every front end: no Qt, CLI, settings or concrete store."""
    allowed = ("odc_desktop.domain", "odc_desktop.workflow", "odc_desktop.storage.repository",
               "odc_desktop.storage.common", "odc_desktop.messages")  # the Qt-free message catalogue
    files = list(WORKFLOW.rglob("*.py"))
    assert len(files) >= 5, "the walk found too few workflow modules; the layout changed?"
    outward = [f"{path.name}:{line} imports {module}" for path in files
               for line, module in _imported_modules(path)
               if module.startswith("odc_desktop") and module != "odc_desktop"
               and not module.startswith(allowed)]
    assert outward == []


@pytest.mark.parametrize("line", [
    "from odc_desktop.storage.sql import SqlRepository",
    "from odc_desktop import settings",
    "from ..ui import main_window",
])
def test_the_demo_walk_catches_imports_of_the_app_around_it(line: str):
    assert _probe_finds(DEMO, line, _demo_outward_imports), line


def test_the_domain_is_cut_by_concept():
    """Forms and OCDS are subpackages (with their data); concept-free basics stay at the top; demo
    data and sample files are not in the domain at all."""
    top = {p.stem for p in DOMAIN.glob("*.py")}
    assert {"model", "statuses", "problems", "parsing", "document_checks", "ocid"} <= top
    assert not top & {"forms", "form_checks", "entry_checks", "entry_schema", "entry_messages", "release", "export",
                      "packages", "validation", "red_flags", "paths", "official_checks", "demo", "sample_files"}
    assert not [p for p in top if p.startswith("ocds_")]
    assert (DOMAIN / "forms" / "definition.py").is_file() and (DOMAIN / "ocds" / "release.py").is_file()
    assert (DOMAIN / "ocds" / "profile" / "release-schema.json").is_file()
    assert (DOMAIN / "ocds" / "official" / "1.1" / "release-schema.json").is_file()
    assert not [p for p in DOMAIN.rglob("*.py") if p.stem in ("demo", "data", "sample_files")]


# --- the form registry: no Qt, no settings; the data folder is handed to it -----------------------
REGISTRY = REPO / "odc_desktop" / "form_registry"
#: What the registry may import of the app: the domain, itself, and the OS reasons' wording.
REGISTRY_MAY_IMPORT = ("odc_desktop.domain", "odc_desktop.form_registry", "odc_desktop.os_reasons",
                       "odc_desktop.messages")


def _registry_outward_imports(path: Path) -> list[str]:
    return [f"{path.relative_to(REPO)}:{line} imports {module}" for line, module in _imported_modules(path)
            if module.startswith("odc_desktop.") and not module.startswith(REGISTRY_MAY_IMPORT)]


def test_the_form_registry_imports_only_the_domain():
    files = list(REGISTRY.rglob("*.py"))
    assert len(files) >= 2, "the walk found too few registry modules; the layout changed?"
    assert [hit for path in files for hit in _registry_outward_imports(path)] == []


@pytest.mark.parametrize("line", ["from odc_desktop.datadir import default_data_dir",
                                  "from odc_desktop import settings", "from odc_desktop.ui import services"])
def test_the_registry_walk_catches_imports_of_the_app_around_it(line: str):
    assert _probe_finds(REGISTRY, line, _registry_outward_imports), line


def test_the_domain_reads_no_data_folder_from_the_environment():
    """Where data lives is the callers' business: no domain module names the data or cache folder."""
    words = ("ODC_DATA_DIR", "ODC_CACHE_DIR", "platformdirs", "user_data_dir")
    hits = [f"{p.relative_to(REPO)}: {w}" for p in DOMAIN.rglob("*.py") for w in words
            if w in p.read_text(encoding="utf-8")]
    assert hits == []


def test_the_form_registry_loads_without_qt_settings_or_data_folders():
    code = ("import sys, odc_desktop.form_registry; "
            "r = odc_desktop.form_registry.FormRegistry.open(None); r.current('planning'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'platformdirs') "
            "or m in ('odc_desktop.settings', 'odc_desktop.datadir')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- no lazy proxy modules ----------------------------------------------------------------------
# An import hidden behind a stand-in object (a ``__getattr__`` that imports on first use) is invisible
# to readers and tools; a module that must stay off the start path is imported inside the functions
# that use it instead (issue 7, item 7: see odc_desktop/storage/sql.py).
def _hidden_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and (
                        (isinstance(call.func, ast.Attribute) and call.func.attr == "import_module")
                        or (isinstance(call.func, ast.Name) and call.func.id == "__import__")):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno} imports in __getattr__")
    return found


def test_no_module_hides_an_import_behind_a_proxy(tmp_path):
    files = list((REPO / "odc_desktop").rglob("*.py"))
    assert [hit for path in files for hit in _hidden_imports(path)] == []
    probe = REPO / "odc_desktop" / "_lazy_probe.py"  # the walk still catches one
    probe.write_text("import importlib\nclass Lazy:\n    def __getattr__(self, a):\n"
                     "        return getattr(importlib.import_module('x'), a)\n", encoding="utf-8")
    try:
        assert _hidden_imports(probe)
    finally:
        probe.unlink()
