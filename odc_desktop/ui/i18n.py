"""Translation of the app chrome: Indonesian is the source language of every ``tr()`` string;
``resources/odc_<lang>.ts`` holds the other languages.

The ``.ts`` file is compiled to ``.qm`` with PySide6's ``lrelease`` the first time it is needed (the
result is cached beside the ``.ts`` when writable, else in the user cache folder). When ``lrelease``
is missing or fails, :class:`TsTranslator` reads the ``.ts`` XML directly, so a language never
silently falls back to Indonesian.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from odc_desktop.datadir import cache_dir
from odc_desktop.domain.shipped import shipped_folder

log = logging.getLogger(__name__)

_ARG = re.compile(r"%([1-9])")


def with_args(template: str, *values: object) -> str:
    """Fill ``%1``, ``%2``… of a translated text in one pass (a value holding "%2" stays as typed)."""
    def value_of(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return str(values[index]) if index < len(values) else match.group(0)

    return _ARG.sub(value_of, template)


SOURCE_LANGUAGE = "id"
LANGUAGES = ("id", "en")

_installed: list[QTranslator] = []
_installed_lang: tuple[int, str] | None = None  # (id of the app, language) of the last install


def current_language() -> str:
    """The language the app chrome was last installed in ("id" before any install)."""
    return _installed_lang[1] if _installed_lang else SOURCE_LANGUAGE


def resources_dir() -> Path:
    """The folder holding style.qss and the .ts files (installed ``odc_resources`` or ./resources)."""
    return shipped_folder("odc_resources", "style.qss", "resources")


class TsTranslator(QTranslator):
    """Fallback translator that reads finished messages straight from a Qt Linguist .ts file."""

    def __init__(self, ts_path: Path):
        super().__init__()
        self._messages: dict[tuple[str, str], list[str]] = {}
        root = ElementTree.parse(ts_path).getroot()
        for context in root.iter("context"):
            name = context.findtext("name", "")
            for message in context.iter("message"):
                translation = message.find("translation")
                if translation is None or translation.get("type") in ("unfinished", "obsolete"):
                    continue
                forms = [f.text or "" for f in translation.iter("numerusform")]
                self._messages[(name, message.findtext("source", ""))] = forms or [translation.text or ""]

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        forms = self._messages.get((context, source))
        if not forms:
            return None  # a null QString: Qt then asks the next translator / keeps the source text
        # English plural rule: the first form for exactly one, the second otherwise.
        return forms[0] if n == 1 or len(forms) == 1 else forms[1]

    def isEmpty(self) -> bool:
        return not self._messages


def _lrelease_executable() -> str | None:
    """Path of PySide6's lrelease (shipped inside the PySide6 package), if any."""
    import PySide6

    candidates = [Path(PySide6.__file__).parent / name for name in ("lrelease", "lrelease.exe")]
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    return shutil.which("pyside6-lrelease")


def _compiled_qm(ts_path: Path) -> Path | None:
    """A .qm compiled from ``ts_path`` (cached by content hash), or None if it cannot be made."""
    shipped = ts_path.with_suffix(".qm")
    if shipped.exists() and shipped.stat().st_mtime >= ts_path.stat().st_mtime:
        return shipped
    digest = hashlib.sha1(ts_path.read_bytes()).hexdigest()[:12]  # only a cache lookup needs it
    cache = cache_dir() / "i18n"
    target = cache / f"{ts_path.stem}-{digest}.qm"
    if target.exists():
        return target
    lrelease = _lrelease_executable()
    if lrelease is None:
        return None
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a read-only or foreign cache folder must not stop the app
        log.warning("cache folder %s unusable (%s); reading the .ts directly", cache, exc)
        return None
    flags = {"creationflags": subprocess.CREATE_NO_WINDOW} if sys.platform == "win32" else {}
    try:
        subprocess.run([lrelease, "-silent", str(ts_path), "-qm", str(target)], check=True,
                       capture_output=True, timeout=30, **flags)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("lrelease failed on %s (%s); reading the .ts directly", ts_path, exc)
        return None
    return target if target.exists() else None


def make_translator(lang: str) -> QTranslator | None:
    """A translator for ``lang`` (None for the source language or a language with no .ts file)."""
    if lang == SOURCE_LANGUAGE:
        return None
    return _translator_from_ts(resources_dir() / f"odc_{lang}.ts")


def make_qt_translator(lang: str) -> QTranslator | None:
    """A translator of Qt's own texts (dialog buttons, context menus) for ``lang``: the ``qtbase``
    catalogue Qt ships, else the project's ``resources/qtbase_<lang>.ts`` (Qt ships no Indonesian);
    None for English, Qt's own language."""
    if lang == "en":
        return None
    shipped = QTranslator()
    if shipped.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        return shipped
    ts_path = resources_dir() / f"qtbase_{lang}.ts"
    return _translator_from_ts(ts_path) if ts_path.exists() else None


#: The locale of each UI language: month and day names of the calendar, thousands separators.
LOCALES = {"id": (QLocale.Language.Indonesian, QLocale.Country.Indonesia),
           "en": (QLocale.Language.English, QLocale.Country.UnitedStates)}


def _translator_from_ts(ts_path: Path) -> QTranslator | None:
    if not ts_path.exists():
        log.warning("no translation file %s; showing Indonesian", ts_path)
        return None
    qm = _compiled_qm(ts_path)
    if qm is not None:
        translator = QTranslator()
        if translator.load(str(qm)):
            return translator
        log.warning("could not load %s; reading the .ts directly", qm)
    return TsTranslator(ts_path)


def install_language(lang: str) -> None:
    """Make ``lang`` the language of the app chrome, replacing any ODC translator installed before.

    Qt's own texts follow (see :func:`make_qt_translator`), and the default QLocale, so calendars
    name months in that language and counts get its thousands separators ("100.000 paket").
    Installing the language that is already installed does nothing (start-up asks twice: for its
    own messages, then when the main window is built)."""
    global _installed_lang
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_language needs a QApplication")
    if _installed_lang == (id(app), lang):
        return
    while _installed:
        app.removeTranslator(_installed.pop())
    for translator in (make_qt_translator(lang), make_translator(lang)):
        if translator is not None:
            app.installTranslator(translator)
            _installed.append(translator)
    QLocale.setDefault(QLocale(*LOCALES.get(lang, LOCALES[SOURCE_LANGUAGE])))
    _installed_lang = (id(app), lang)
