"""The message catalogue of the Qt-free code: both languages for every code, the same placeholders in
each, loaded lazily, and the CLI saying storage errors in the language asked for."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import sqlite3
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from odc_desktop.messages import CODE, CodedError, Msg, text
from odc_desktop.messages.catalogue import LOCALE_DIR, areas, load, po_path, template

REPO = Path(__file__).resolve().parents[2]
ODC = [sys.executable, "-m", "odc_desktop.cli"]

#: Codes whose text is rightly the same in both languages: no words of either language in them.
LANGUAGE_NEUTRAL = {"cli.valid", "ocds_schema.other", "cli.help_json"}


def _catalogue(area: str, lang: str) -> dict[str, str]:
    path = po_path(area, lang)
    with path.open("rb") as f:
        return {m.id: m.string for m in read_po(f, abort_invalid=True) if m.id}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_the_catalogue_has_the_areas_of_the_qt_free_code():
    assert {"cli", "entry", "ocds", "ocds_schema", "storage", "backup", "stage", "status", "os",
            "validate", "form", "settings"} <= set(areas())


#: argparse's own texts, keyed by its English msgids: only Indonesian needs a catalogue.
ENGLISH_KEYED = {"argparse"}


@pytest.mark.parametrize("area", sorted(set(areas()) - ENGLISH_KEYED))
def test_every_code_has_both_languages_with_the_same_placeholders(area: str):
    indonesian, english = _catalogue(area, "id"), _catalogue(area, "en")
    assert indonesian, area
    assert set(indonesian) == set(english), f"{area}: keys in one language only"
    for key, id_text in indonesian.items():
        code, en_text = f"{area}.{key}", english[key]
        assert id_text.strip() and en_text.strip(), code
        assert _placeholders(id_text) == _placeholders(en_text), code
        assert id_text != en_text or code in LANGUAGE_NEUTRAL, code
        text(code, "id", **{name: 1 for name in _placeholders(id_text)})  # a template that formats


def test_argparse_speaks_indonesian_from_the_catalogue():
    from odc_desktop.cli_messages import argparse_gettext

    gettext, ngettext = argparse_gettext("id")
    assert gettext("usage: ") == "pemakaian: " and gettext("a text argparse never had") == "a text argparse never had"
    assert ngettext("expected %s argument", "expected %s arguments", 2) == "memerlukan %s nilai"
    assert argparse_gettext("en")[0]("usage: ") == "usage: "
    assert not (po_path("argparse", "en")).exists()


def test_text_fills_placeholders_in_the_language_asked_and_defaults_to_indonesian():
    from odc_desktop.domain.statuses import EntryStatus

    assert text("storage.read_only", "en", status=EntryStatus.APPROVED).startswith(
        "An entry with the status 'Approved' cannot be changed.")
    assert text("storage.read_only", status=EntryStatus.APPROVED).startswith(
        "Entri berstatus 'Disetujui' tidak dapat diubah.")
    assert text("stage.award", "fr") == "Penetapan pemenang"  # an unknown language: Indonesian
    with pytest.raises(KeyError):
        text("storage.no_such_code")
    with pytest.raises(KeyError):
        text("no_such_area.code")


def test_a_coded_error_says_itself_in_either_language_and_nests():
    inner = CodedError("storage.process_not_found", process_id=7)
    outer = CodedError("cli.store_refused", path="/data", reason=inner)
    assert str(inner) == "Paket #7 tidak ditemukan. Muat ulang daftar paket."
    assert inner.message("en") == "Process #7 was not found. Reload the list of processes."
    assert outer.message("en") == "The local data in '/data' cannot be used: " + inner.message("en")
    assert Msg("stage.tender").message("en") == "Tender" and str(Msg("stage.tender")) == "Pemilihan"


def test_a_changed_po_file_is_compiled_again(tmp_path: Path):
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR / "id", locale / "id", ignore=shutil.ignore_patterns("*.mo"))
    first = load("stage", "id", locale)
    assert first.gettext("award") == "Penetapan pemenang"
    po = po_path("stage", "id", locale)
    assert po.with_suffix(".mo").exists()
    compiled_at = po.with_suffix(".mo").stat().st_mtime
    po.write_text(po.read_text(encoding="utf-8").replace("Penetapan pemenang", "Penetapan"), encoding="utf-8")
    os.utime(po, (compiled_at - 60, compiled_at - 60))  # older than its .mo, as a checkout may leave it
    assert load("stage", "id", locale).gettext("award") == "Penetapan"


def test_a_read_only_catalogue_folder_is_compiled_in_memory(tmp_path: Path):
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR / "id", locale / "id", ignore=shutil.ignore_patterns("*.mo"))
    folder = po_path("stage", "id", locale).parent
    folder.chmod(0o555)
    try:
        assert load("stage", "id", locale).gettext("planning") == "Perencanaan"
    finally:
        folder.chmod(0o755)


def test_nothing_is_loaded_at_import_and_babel_only_to_compile():
    """Importing the CLI reads no catalogue; formatting a message with its .mo up to date imports
    only the standard library's gettext, never Babel."""
    text("cli.processes", count=1)  # the .mo files exist after this (compiled once)
    code = ("import sys, odc_desktop.cli, odc_desktop.storage.sql, odc_desktop.domain.parsing\n"
            "from odc_desktop.messages import catalogue\n"
            "loaded_at_import = dict(catalogue._loaded)\n"
            "from odc_desktop.messages import text\n"
            "text('cli.processes', 'en', count=3)\n"
            "print(loaded_at_import == {}, any(m.startswith('babel') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


# --- the CLI says storage errors in the language asked for -------------------------------------
def _store_of_a_newer_version(tmp_path: Path) -> Path:
    """A real store that this version refuses (made by a newer one: a higher schema version)."""
    data = tmp_path / "data"
    made = subprocess.run(ODC + ["--data-dir", str(data), "status"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(data / "odc.sqlite3") as conn:
        conn.execute("PRAGMA user_version = 99")
    return data


def test_odc_lang_en_prints_a_storage_error_in_english(tmp_path: Path):
    data = _store_of_a_newer_version(tmp_path)
    english = subprocess.run(ODC + ["--lang", "en", "--data-dir", str(data), "status"], capture_output=True, text=True)
    assert english.returncode == 3
    assert "was made by a newer version of ODC Desktop (schema 99" in english.stderr
    assert "Basis data" not in english.stderr and "Traceback" not in english.stderr
    indonesian = subprocess.run(ODC + ["--data-dir", str(data), "status"], capture_output=True, text=True)
    assert indonesian.returncode == 3 and "dibuat oleh versi ODC Desktop yang lebih baru" in indonesian.stderr
    doctor = subprocess.run(ODC + ["--lang", "en", "--data-dir", str(data), "doctor"], capture_output=True, text=True)
    assert "was made by a newer version" in doctor.stdout and "Basis data" not in doctor.stdout


# --- the Qt-free code raises coded errors only -------------------------------------------------
PACKAGE = REPO / "odc_desktop"
#: The in-memory fake is being retired from the product (issue 7, item 7); its messages stay as they were.
NOT_SCANNED = {PACKAGE / "app.py", PACKAGE / "storage" / "memory.py"}
#: Errors said through the catalogue, and the area a bare key of theirs belongs to (None: a full code).
CODED = {"CodedError": None, "StorageError": None, "NotFound": None, "StoreDamaged": None, "ReadOnlyEntry": None,
         "FormError": None, "SettingsError": None, "InvalidTransition": None, "PathConflict": None,
         "NotOneRecord": None, "InputRefused": "entry", "ReadError": "validate", "BackupRefused": "backup",
         "WorkflowRefused": None, "FormRefused": None, "FormMissing": None}
#: Calls whose first (or, for ``problem``, second) argument names a message.
NAMING = {"Msg": None, "text": None, "say": "cli", "problem": "ocds", "Finding": "importers", "both": "importers"}
#: Words that mark a sentence as Bahasa Indonesia.
INDONESIAN = {"tidak", "dan", "yang", "harus", "dengan", "untuk", "atau", "dari", "sudah", "belum", "berkas",
              "kosong", "ganda", "kolom", "formulir", "tahap", "paket", "entri", "lampiran", "segmen", "bukan"}


def _qt_free_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py")
                  if p not in NOT_SCANNED and "ui" not in p.relative_to(PACKAGE).parts[:1])


def _name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _literal(node: ast.AST) -> str | None:
    """The text of a string literal or f-string (its constant parts), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant)) + " {…}"
    return None


def _findings(path: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """(literal sentences raised, (where, code) of every code named by a literal) in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = lambda node: f"{path.relative_to(REPO)}:{node.lineno}"  # noqa: E731
    sentences, codes = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            name, said = _name(node.exc), _literal(node.exc.args[0])
            if said is None:
                continue
            if name in CODED and isinstance(node.exc.args[0], ast.Constant) and CODE.fullmatch(
                    said if CODED[name] is None else f"{CODED[name]}.{said}"):
                codes.append((where(node), said if CODED[name] is None else f"{CODED[name]}.{said}"))
            elif name in CODED or set(re.findall(r"[a-z]+", said.lower())) & INDONESIAN:
                sentences.append(f"{where(node)}: raise {name}({said!r})")
        elif isinstance(node, ast.Call) and _name(node) in NAMING:
            area = NAMING[_name(node)]
            index = 1 if _name(node) == "problem" else 0
            if area == "cli" and not path.name.startswith(("cli", "validate_output")):
                continue
            if area == "ocds" and "ocds" not in path.parts:
                continue
            if len(node.args) > index and isinstance(node.args[index], ast.Constant) \
                    and isinstance(node.args[index].value, str):
                key = node.args[index].value
                codes.append((where(node), key if area is None else f"{area}.{key}"))
    return sentences, codes


def test_no_qt_free_module_raises_a_sentence_of_its_own():
    """Every error the Qt-free code raises for people is a code of the catalogue, not a literal
    sentence in one language (f-strings included)."""
    modules = _qt_free_modules()
    assert len(modules) > 30, "the walk found too few modules; the layout changed?"
    assert [s for path in modules for s in _findings(path)[0]] == []


def test_every_code_the_code_names_is_in_the_catalogue():
    named = [found for path in _qt_free_modules() for found in _findings(path)[1]]
    assert len(named) > 100, "the walk found too few codes; the layout changed?"
    missing = []
    for where, code in named:
        try:
            template(code, "id")
        except KeyError:
            missing.append(f"{where}: {code}")
    assert missing == []


@pytest.mark.parametrize("line", [
    'raise StorageError(f"Paket #{process_id} tidak ditemukan.")',
    'raise ValueError("Path kosong tidak dapat ditulis.")',
    'raise FormError("berkas rusak")',
    'raise StorageError("storage.no_such_code")',
    'raise WorkflowRefused("workflow.no_such_code")',
    'raise FormRefused("Formulir tidak dikenal.")',
    'found = Finding("no_such_finding", {})',
])
def test_the_scan_catches_sentences_and_unknown_codes(line: str):
    probe = PACKAGE / "storage" / "_messages_probe.py"
    probe.write_text(line + "\n", encoding="utf-8")
    try:
        sentences, codes = _findings(probe)
        unknown = []
        for _, code in codes:
            try:
                template(code, "id")
            except KeyError:
                unknown.append(code)
        assert sentences or unknown, line
    finally:
        probe.unlink()



def test_odc_doctor_tells_the_store_s_problems_in_the_language_asked_for(tmp_path: Path):
    data = tmp_path / "data"
    made = subprocess.run(ODC + ["--data-dir", str(data), "demo-data", "--processes", "2", "--attachments", "2",
                                 "--seed", "3"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    stored = next(p for p in (data / "files").rglob("*") if p.is_file())
    stored.unlink()
    english = subprocess.run(ODC + ["--lang", "en", "--data-dir", str(data), "doctor"], capture_output=True, text=True)
    assert english.returncode == 1 and "1 attachment files are missing" in english.stdout, english.stdout
    assert "berkas" not in english.stdout and "Audit chain: intact" in english.stdout
    as_json = subprocess.run(ODC + ["--lang", "en", "--data-dir", str(data), "doctor", "--json"],
                             capture_output=True, text=True)
    report = json.loads(as_json.stdout)
    assert report["problems"] == ["1 attachment files are missing"]
    assert report["audit"]["message"] == "The audit chain is intact."
    indonesian = subprocess.run(ODC + ["--data-dir", str(data), "doctor"], capture_output=True, text=True)
    assert "1 berkas lampiran hilang" in indonesian.stdout


def test_a_broken_forms_folder_is_refused_in_the_language_asked_for(tmp_path: Path):
    forms = tmp_path / "forms"
    shutil.copytree(REPO / "forms", forms)
    (forms / "planning.yaml").write_text("id: planning\n  bad: [\n", encoding="utf-8")
    env = {**os.environ, "ODC_FORMS_DIR": str(forms)}
    english = subprocess.run(ODC + ["--lang", "en", "forms", "list"], capture_output=True, text=True, env=env)
    assert english.returncode == 3, english.stderr
    assert "planning.yaml: invalid YAML at line 2, column 6" in english.stderr and "Traceback" not in english.stderr
    indonesian = subprocess.run(ODC + ["forms", "list"], capture_output=True, text=True, env=env)
    assert indonesian.returncode == 3 and "planning.yaml: YAML tidak valid di baris 2, kolom 6" in indonesian.stderr


def test_a_table_of_another_package_folds_into_a_new_area(tmp_path: Path):
    """How the workflow's (or the server's) ``{code: {"id", "en"}}`` table joins the catalogue."""
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from fold_messages import fold
    finally:
        sys.path.remove(str(REPO / "scripts"))
    table = {"locked": {"id": "Entri #{entry} terkunci.", "en": "Entry #{entry} is locked."},
             "needs_ready": {"id": "Tandai siap dulu.", "en": "Mark it ready first."}}
    assert fold(table, "workflow", locale_dir=tmp_path) == []
    assert fold({"locked": table["locked"]}, "workflow", locale_dir=tmp_path) == ["id:locked", "en:locked"]
    assert load("workflow", "en", tmp_path).gettext("locked").format(entry=5) == "Entry #5 is locked."
    assert load("workflow", "id", tmp_path).gettext("needs_ready") == "Tandai siap dulu."


def test_coded_errors_survive_pickling_and_copying():
    import copy
    import pickle

    from odc_desktop.domain.statuses import EntryStatus
    from odc_desktop.storage.repository import ReadOnlyEntry, StorageError

    for error in (ReadOnlyEntry("storage.read_only", status=EntryStatus.APPROVED),
                  StorageError("storage.locked", "locked")):
        for again in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
            assert type(again) is type(error) and again.message("en") == error.message("en")
            assert getattr(again, "kind", None) == getattr(error, "kind", None)
    assert text("ocds_schema.enum", "en", field="tag", value={"id": "x", "more": 1}, choices="a").startswith(
        "'{'id': 'x', 'more': 1}' is not allowed")  # data with an "id" key is not a label


def test_a_missing_form_is_said_in_either_language():
    from types import SimpleNamespace

    from odc_desktop.domain.forms.lookup import FormMissing

    missing = FormMissing(SimpleNamespace(form_id="planning", form_version=9, form_hash="ab" * 32))
    assert missing.code == "form.missing" and isinstance(missing, LookupError)
    assert missing.message("en") == ("The form this entry was made with ('planning' version 9, fingerprint "
                                     "abababababab) is not on this computer.")
    assert str(missing).startswith("Formulir yang dipakai entri ini ('planning' versi 9")


def test_an_os_error_parameter_is_said_in_the_language_asked_for():
    from odc_desktop.form_registry import FormRefused
    from odc_desktop.os_reasons import OsReason

    refused = FormRefused("form_registry.form_unreadable", name="a.yaml",
                          reason=OsReason(FileNotFoundError(2, "No such file or directory")))
    assert refused.message("en") == text("form_registry.form_unreadable", "en", name="a.yaml",
                                         reason=text("os.ENOENT", "en"))
    assert text("os.ENOENT", "id") in str(refused)


def test_a_workflow_refusal_is_a_coded_error_and_never_a_bare_key():
    import pickle

    from odc_desktop.workflow import WorkflowRefused

    refused = WorkflowRefused("workflow.bad_decision", decision="maybe")
    assert isinstance(refused, CodedError) and str(refused) == "Keputusan verifikator 'maybe' tidak dikenal."
    assert pickle.loads(pickle.dumps(refused)).message("en") == "Unknown reviewer decision 'maybe'."
    with pytest.raises(KeyError):
        WorkflowRefused("bad_decision", decision="maybe")  # a key of the old table, not a code
