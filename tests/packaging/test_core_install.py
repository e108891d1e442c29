"""The Qt-free core installs and runs without PySide6, as the central server will use it.

The current source is installed into a fresh virtual environment with no index at all
(``pip install --no-index --find-links .cache/wheelhouse``): the wheelhouse of the core's dependencies
is filled beforehand by ``scripts/wheelhouse.sh`` (run by ``scripts/bootstrap.sh test``, so by
``scripts/test.sh`` and ``.ci/run``), so the test itself never reaches the network. One environment
serves the whole module.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WHEELHOUSE = REPO / ".cache" / "wheelhouse"
STAMP = WHEELHOUSE / ".pyproject.sha256"
HOW = "bash scripts/wheelhouse.sh (scripts/bootstrap.sh test runs it; it needs the package index)"
# What the wheel is built from: the source tree minus tests, caches and virtual environments.
SOURCES = ("pyproject.toml", "README.md", "odc_desktop", "forms", "resources", "sync")

pytestmark = pytest.mark.slow


def _wheelhouse() -> Path:
    """The wheelhouse for this pyproject.toml and this Python, or a failure that says how to make it.

    Making it needs the package index, which a test must not reach, so a missing or stale one fails
    (in CI and outside it alike) rather than being built or skipped here."""
    want = f"{hashlib.sha256((REPO / 'pyproject.toml').read_bytes()).hexdigest()} {sys.implementation.cache_tag}"
    if not STAMP.is_file():
        pytest.fail(f"the wheelhouse {WHEELHOUSE} is missing; make it with: {HOW}", pytrace=False)
    if STAMP.read_text(encoding="utf-8").strip() != want:
        pytest.fail(f"the wheelhouse {WHEELHOUSE} was made for another pyproject.toml or Python; "
                    f"make it again with: {HOW}", pytrace=False)
    return WHEELHOUSE


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=600)


def install_fresh(root: Path, extra: str = "") -> tuple[Path, dict[str, str]]:
    """(bin folder, environment) of a fresh venv in ``root`` holding the current source (with
    ``extra``, e.g. "[server]"), installed from the wheelhouse with no index."""
    house = _wheelhouse()
    source = root / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV", "ODC_", "QT_"))}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_CONFIG_FILE=os.devnull,
               ODC_CACHE_DIR=str(root / "cache"), ODC_DATA_DIR=str(root / "data"))
    venv = root / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], env, root)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    # This environment's pip installs into the new one (--python): no ensurepip, no index.
    installed = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                      "--no-index", "--find-links", str(house), f"{source}{extra}"], env, root)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return venv / "bin", env


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """(bin folder, environment) of a fresh venv holding the core, installed from the wheelhouse."""
    return install_fresh(tmp_path_factory.mktemp("core-install"))


def test_the_core_installs_without_pyside6(core: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    bin_dir, env = core
    code = ("import importlib.util, json, odc_desktop.cli, odc_desktop.storage.sql, odc_desktop.domain.ocds.export; "
            "print(json.dumps([importlib.util.find_spec(m) is None for m in ('PySide6', 'shiboken6')] "
            "+ [odc_desktop.cli.__file__]))")
    done = _run([str(bin_dir / "python"), "-c", code], env, tmp_path)
    assert done.returncode == 0, done.stderr
    no_pyside, no_shiboken, cli_file = json.loads(done.stdout)
    assert no_pyside and no_shiboken
    assert Path(cli_file).is_relative_to(bin_dir.parent), "odc_desktop came from elsewhere than the new venv"


def test_odc_version_demo_data_export_and_validate_run_without_qt(
        core: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    bin_dir, env = core
    odc = str(bin_dir / "odc")
    data = tmp_path / "store"
    version = _run([odc, "--version"], env, tmp_path)
    assert version.returncode == 0, version.stderr
    from odc_desktop import __version__
    assert __version__ in version.stdout
    demo = _run([odc, "demo-data", "--processes", "3", "--attachments", "1", "--data-dir", str(data)],
                env, tmp_path)
    assert demo.returncode == 0, demo.stderr
    out = tmp_path / "paket.json"
    export = _run([odc, "export", "--out", str(out), "--data-dir", str(data)], env, tmp_path)
    assert export.returncode == 0, export.stderr
    package = json.loads(out.read_text(encoding="utf-8"))
    assert len({r["ocid"] for r in package["releases"]}) == 3
    check = _run([odc, "validate", str(out), "--profile", "bojonegoro", "--json"], env, tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Traceback" not in check.stderr


@pytest.mark.parametrize("lang, words", [("id", "memerlukan PySide6"), ("en", "needs PySide6")])
def test_odc_desktop_without_pyside6_says_how_to_install_it(
        core: tuple[Path, dict[str, str]], tmp_path: Path, lang: str, words: str) -> None:
    bin_dir, env = core
    done = _run([str(bin_dir / "odc-desktop"), "--lang", lang], env, tmp_path)
    assert done.returncode == 3
    assert words in done.stderr and 'odc-desktop[app]' in done.stderr
    assert "Traceback" not in done.stderr


def test_odc_desktop_with_pyside6_starts_the_app(tmp_path: Path) -> None:
    """Where the `app` extra is installed (this test environment), the launcher hands over to the app."""
    done = subprocess.run([sys.executable, "-m", "odc_desktop.launcher", "--version"], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    from odc_desktop import __version__
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout + done.stderr
