"""Form updates end to end on a real `odc-server`: an admin publishes a form version with
`odc forms publish`, an operator's `odc sync` verifies and stores it, new entries use it, old drafts
stay on their version or move where the new version declares how; a forged signature is refused and
never used; an operator cannot publish."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import sqlalchemy as sa

from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.form_registry import FormRegistry
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow import open_stage, save_draft
from odc_sync.client.forms import migration_notices, refused_forms
from odc_sync.server.db import make_engine, sqlite_url
from tests.odc_cli import odc
from tests.sync.conftest import add_entries
from tests.sync.form_updates import RENAME, draft, form_file
from tests.unit.form_samples import valid_data


def signed_in(server, folder: Path, who: str) -> Path:
    folder.mkdir(exist_ok=True)
    done = odc("login", "--server", server.url, "--username", who, "--password", who, "--data-dir", str(folder))
    assert done.returncode == 0, done.stderr
    return folder


def sync_json(folder: Path) -> dict:
    done = odc("sync", "--json", "--data-dir", str(folder))
    assert done.returncode == 0, done.stderr + done.stdout
    return json.loads(done.stdout)


def test_a_published_version_reaches_the_operator_and_old_drafts_survive(server, forms, tmp_path):
    admin = signed_in(server, tmp_path / "admin", "admin")
    operator = signed_in(server, tmp_path / "operator", "operator")
    (ready_uid,) = add_entries(operator, forms, 1, start=700, status="ready")
    repo = SqlRepository.open(operator)
    try:
        stays = draft(repo, forms, 1, valid_data("planning"))  # has volume_pekerjaan: cannot move
        moves_data = valid_data("planning")
        del moves_data["volume_pekerjaan"]
        moves = draft(repo, forms, 2, moves_data)
    finally:
        repo.close()

    published = odc("forms", "publish", str(form_file(tmp_path, 2, RENAME)), "--json", "--data-dir", str(admin))
    assert published.returncode == 0, published.stderr
    assert {k: json.loads(published.stdout)[k] for k in ("id", "version", "stage", "published_by")} == {
        "id": "planning", "version": 2, "stage": "planning", "published_by": "admin"}

    summary = sync_json(operator)
    assert [(f["id"], f["version"]) for f in summary["forms_received"]] == [("planning", 2)]
    assert summary["forms_refused"] == [] and summary["drafts_migrated"] == 1
    (notice,) = summary["migration_notices"]
    assert notice["entry"] == stays.uid and notice["fields"] == ["volume_pekerjaan"]
    assert "tetap memakai formulir planning versi 1" in notice["message"]

    # New processes (a new process of the CLI here) take the new version.
    listed = odc("forms", "list", "--json", "--data-dir", str(operator))
    assert {"id": "planning", "version": 2} in [{k: f[k] for k in ("id", "version")} for f in json.loads(listed.stdout)]
    registry = FormRegistry.open(operator)
    assert registry.current("planning").version == 2
    repo = SqlRepository.open(operator)
    try:
        new = draft(repo, registry, 3, {"pagu": 5_000_000})
        assert new.form_version == 2
        # The draft that could not move opens and saves with its own version 1.
        view = open_stage(repo, registry, stays.process_id, Stage.PLANNING)
        assert view.own_form and view.form.version == 1 and view.entry.data == valid_data("planning")
        saved = save_draft(repo, registry, stays.process_id, Stage.PLANNING,
                           {**valid_data("planning"), "volume_pekerjaan": "1.300 m"}).entry
        assert (saved.form_version, saved.data["volume_pekerjaan"]) == (1, "1.300 m")
        moved = repo.entry_by_uid(moves.uid)
        assert moved.form_version == 2 and moved.data["latar_belakang"] == moves_data["alasan_kebutuhan"]
        assert "alasan_kebutuhan" not in moved.data and moved.status == EntryStatus.DRAFT
        ready = repo.entry_by_uid(ready_uid)
        assert (ready.status, ready.form_version) == (EntryStatus.READY, 1)  # checked against v1: stays
        assert [n["entry"] for n in migration_notices(repo)] == [stays.uid]  # kept for the app
    finally:
        repo.close()
    sync_json(operator)
    idle = sync_json(operator)  # "nothing new": the pending notice is still listed
    assert idle["pull_unchanged"] and [n["entry"] for n in idle["migration_notices"]] == [stays.uid]
    again = odc("sync", "--lang", "en", "--data-dir", str(operator))
    assert again.returncode == 0, again.stderr
    assert "stays on form planning version 1" in again.stdout  # still told, until it moves


def _forge_the_signed_form(server, version: int) -> None:
    """Change the published form's YAML in the server's database (SQLite or PostgreSQL), with a hash
    that matches the new text: what a tampered server or a man in the middle would send. The
    signature no longer fits."""
    options = server.options
    url = options[options.index("--db") + 1] if "--db" in options else sqlite_url(
        Path(options[options.index("--data-dir") + 1]))
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            where = "WHERE form_id = 'planning' AND version = :version"
            signed = connection.execute(sa.text(f"SELECT signed FROM form_versions {where}"),
                                        {"version": version}).scalar_one()
            form = json.loads(signed)
            form["yaml"] = form["yaml"].replace("Nomor DPA", "Nomor rekening penerima", 1)
            form["hash"] = hashlib.sha256(form["yaml"].encode("utf-8")).hexdigest()
            connection.execute(sa.text(f"UPDATE form_versions SET signed = :signed {where}"),
                               {"signed": json.dumps(form), "version": version})
    finally:
        engine.dispose()


def test_a_form_with_a_forged_signature_is_refused_and_never_used(server, forms, tmp_path):
    admin = signed_in(server, tmp_path / "admin", "admin")
    operator = signed_in(server, tmp_path / "operator", "operator")
    published = odc("forms", "publish", str(form_file(tmp_path, 7, None, title="Perencanaan v7")),
                    "--data-dir", str(admin))
    assert published.returncode == 0, published.stderr
    assert "Formulir planning versi 7" in published.stdout
    _forge_the_signed_form(server, 7)

    summary = sync_json(operator)
    assert [(f["id"], f["version"], f["reason"]) for f in summary["forms_refused"]] == [
        ("planning", 7, "refused_signature")]
    assert ("planning", 7) not in [(f["id"], f["version"]) for f in summary["forms_received"]]
    registry = FormRegistry.open(operator)
    assert 7 not in [version for form_id, version, _ in registry.stored_versions() if form_id == "planning"]
    assert registry.current("planning").version != 7
    repo = SqlRepository.open(operator)
    try:
        assert [(f["id"], f["version"]) for f in refused_forms(repo)] == [("planning", 7)]
        assert draft(repo, registry, 9, {"pagu": 1}).form_version != 7
    finally:
        repo.close()
    assert "tanda tangannya tidak sah" in summary["forms_refused"][0]["message"]
    assert "signature is not valid" in summary["forms_refused"][0]["message_en"]


def test_an_operator_cannot_publish_and_a_broken_file_never_leaves_the_pc(server, tmp_path):
    operator = signed_in(server, tmp_path / "operator", "operator")
    path = form_file(tmp_path, 8, None)
    refused = odc("forms", "publish", str(path), "--data-dir", str(operator))
    assert refused.returncode == 3
    assert "Hanya admin yang dapat menerbitkan formulir" in refused.stderr and "operator" in refused.stderr
    english = odc("forms", "publish", str(path), "--lang", "en", "--data-dir", str(operator))
    assert english.returncode == 3 and "Only an admin may publish forms" in english.stderr

    admin = signed_in(server, tmp_path / "admin", "admin")
    broken = tmp_path / "broken.yaml"
    broken.write_text(path.read_text(encoding="utf-8").replace("\nversion: 8\n", "\nversion: 8\nsurprise: 1\n", 1),
                      encoding="utf-8")
    said = odc("forms", "publish", str(broken), "--data-dir", str(admin))
    assert said.returncode == 3 and "broken.yaml" in said.stderr and "'surprise'" in said.stderr
    summary = sync_json(operator)
    assert 8 not in [f["version"] for f in summary["forms_received"] + summary["forms_refused"]]
