"""Form versions pulled from the server: verified, stored in the registry, drafts moved where declared.

A pulled form (``forms`` of ``GET /pull``) is used only when

1. it is signed by the server key pinned at login (:func:`form_signature_valid`: the signature covers
   ``{id, version, hash}`` and ``hash`` is the SHA-256 of exactly the ``yaml`` text), and
2. the app's strict loader and form registry accept it (:meth:`FormRegistry.add`: meta-schema,
   codelists, a version of a shipped form for the same stage, fits the other stages), and the file
   says inside it the very id and version that were signed.

Anything else is refused: nothing is stored, the refusal is kept in ``sync_state`` (``forms.refused``,
newest last) and listed in the :class:`~odc_sync.client.engine.SyncSummary`; the pull goes on.

After a new version is stored, drafts move with :func:`odc_desktop.workflow.migrate_to_current`:

* a **draft** of an older version moves when the new version declares a migration from the draft's
  version and its renames/removals apply cleanly; without a declared migration it stays on its own
  version (which stays in the registry, so it opens and saves as before);
* a draft whose declared migration does not apply stays on its version and gets a **notice**
  (``sync_state`` ``forms.migration_notices``: listed by ``odc sync``, shown by the app) until it
  moves, is sent, or is gone;
* **ready, queued, submitted, returned** entries are never moved here: a ready or queued entry was
  checked against its own version (the server accepts every version it published), and a returned
  entry reopens in the version it was made with. The app's form page still offers the declared
  migration when the operator opens such a draft again.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from odc_desktop.domain.forms.definition import FormError, migrate_draft
from odc_desktop.domain.forms.definition_checks import read_yaml
from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.form_registry import FormRefused, FormRegistry
from odc_desktop.messages import text
from odc_desktop.workflow import migrate_to_current
from odc_sync.protocol.known import known_forms_param, shipped_content
from odc_sync.protocol.signing import form_signature_valid

log = logging.getLogger(__name__)

REFUSED_KEY = "forms.refused"
NOTICES_KEY = "forms.migration_notices"
#: Refusals kept in ``sync_state`` (the newest): enough to tell an admin what happened.
REFUSALS_KEPT = 50


def _json_list(repo: Any, key: str) -> list[dict[str, Any]]:
    try:
        found = json.loads(repo.get_sync_state(key) or "[]")
    except ValueError:
        log.warning("sync_state %s is not JSON; read as empty", key)
        return []
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def refused_forms(repo: Any) -> list[dict[str, Any]]:
    """The pulled forms refused so far, oldest first: ``{id, version, hash, reason, message, message_en}``."""
    return _json_list(repo, REFUSED_KEY)


def migration_notices(repo: Any) -> list[dict[str, Any]]:
    """The drafts that could not move to their form's newer version (see the module), with
    ``message``/``message_en`` for the operator."""
    return _json_list(repo, NOTICES_KEY)


def notice_text(notice: dict[str, Any], lang: str) -> str:
    """One notice in ``lang`` (``id`` or ``en``)."""
    return str(notice.get("message_en" if lang == "en" else "message") or notice.get("message") or "")


def _refuse(repo: Any, item: Any, code: str, **params: Any) -> dict[str, Any]:
    item = item if isinstance(item, dict) else {}
    form_id, version = str(item.get("id") or "?"), item.get("version") if isinstance(item.get("version"), int) else "?"
    found = {"id": form_id, "version": version, "hash": str(item.get("hash") or ""), "reason": code,
             "message": text(f"forms_push.{code}", "id", form_id=form_id, version=version, **params),
             "message_en": text(f"forms_push.{code}", "en", form_id=form_id, version=version, **params)}
    log.warning("pulled form refused: %s", found["message_en"])
    repo.set_sync_state(REFUSED_KEY, json.dumps((refused_forms(repo) + [found])[-REFUSALS_KEPT:],
                                                ensure_ascii=False, sort_keys=True))
    return found


def receive_form(repo: Any, registry: FormRegistry, item: Any, server_key: Any
                 ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Check and store one pulled form. Returns ``(received, refused)``: ``received`` is
    ``{id, version, hash}`` when a version new to this PC was stored; ``refused`` the refusal."""
    if not form_signature_valid(server_key, item):
        return None, _refuse(repo, item, "refused_signature")
    if not isinstance(item["id"], str) or not isinstance(item["version"], int):
        return None, _refuse(repo, item, "refused_identity")
    if registry.get(item["id"], item["version"], item["hash"]) is not None:
        return None, None  # already here (pulled before, or shipped)
    raw = item["yaml"].encode("utf-8")
    try:
        _, inside = read_yaml(Path("unduhan") / f"{item['id']}.yaml", raw)
    except FormError:
        inside = {}  # add() below says what is wrong with it
    if inside and (inside.get("id"), inside.get("version")) != (item["id"], item["version"]):
        return None, _refuse(repo, item, "refused_identity")  # signed as one form, says another inside
    try:
        form = registry.add(raw)
    except FormRefused as exc:
        return None, _refuse(repo, item, "refused_invalid", detail=exc)  # the loader's words, either language
    log.info("pulled form %s version %s stored", form.id, form.version)
    return {"id": form.id, "version": form.version, "hash": form.content_hash}, None


def move_drafts(repo: Any, registry: FormRegistry, actor: str | None = None) -> tuple[int, list[dict[str, Any]]]:
    """Move every draft of an older form version where its current form declares how (see the
    module); the notices of those that cannot move are rebuilt and kept. Returns ``(moved, notices)``."""
    moved, notices = 0, []
    # a draft told before, unchanged since, against the same current form: told again without a retry
    known = {(n.get("entry"), n.get("edit_seq"), n.get("new_hash")): n for n in migration_notices(repo)}
    for entry in repo.iter_entries({EntryStatus.DRAFT}):
        current = registry.current(entry.stage.value)
        if current.id != entry.form_id or current.version <= entry.form_version:
            continue
        same = known.get((entry.uid, entry.edit_seq, current.content_hash))
        if same is not None:
            notices.append(same)
            continue
        result, problems = migrate_to_current(repo, registry, entry.id, "id", actor=actor)
        if result.changed:
            moved += 1
        elif problems:
            notices.append(_notice(repo, entry, current, problems))
    repo.set_sync_state(NOTICES_KEY, json.dumps(notices, ensure_ascii=False, sort_keys=True))
    return moved, notices


def _notice(repo: Any, entry: Any, current: Any, problems: list[Any]) -> dict[str, Any]:
    process = repo.get_process(entry.process_id)
    _, english = migrate_draft(current, entry.form_version, entry.data, "en")
    said = {}
    for lang, found in (("id", problems), ("en", english)):
        said[lang] = text("forms_push.cannot_migrate", lang, title=process.title, ocid=process.ocid,
                          stage=entry.stage, form_id=entry.form_id, old=entry.form_version,
                          new=current.version, reasons="; ".join(p.message for p in found))
    return {"entry": entry.uid, "entry_id": entry.id, "process_id": entry.process_id, "ocid": process.ocid,
            "stage": entry.stage.value, "form_id": entry.form_id, "old_version": entry.form_version,
            "new_version": current.version, "new_hash": current.content_hash, "edit_seq": entry.edit_seq,
            "fields": [p.path for p in problems],
            "message": said["id"], "message_en": said["en"]}


def receive_forms(repo: Any, data_dir: Path, items: Any, server_key: Any, summary: Any, *,
                  registry: FormRegistry | None = None, actor: str | None = None) -> FormRegistry | None:
    """One pull page's ``forms``: each verified and stored or refused (both listed in ``summary``);
    when a new version arrived, or notices are pending, drafts are moved (:func:`move_drafts`).
    Returns the registry used (opened on ``data_dir`` when none was given and one was needed)."""
    items = items if isinstance(items, list) else []
    if not items and not migration_notices(repo):
        return registry
    registry = registry or FormRegistry.open(data_dir)
    arrived = False
    for item in items:
        received, refused = receive_form(repo, registry, item, server_key)
        if received:
            summary.forms_received.append(received)
            arrived = True
        if refused:
            summary.forms_refused.append(refused)
    if arrived or migration_notices(repo):
        moved, notices = move_drafts(repo, registry, actor)
        summary.drafts_migrated += moved
        summary.migration_notices = notices
    return registry


def known_content(registry: FormRegistry) -> dict[str, str]:
    """What this PC already has, as the first pull's query parameters (:mod:`odc_sync.protocol.known`):
    the digest of the shipped form set (forms and OPD list) and the tokens of the form versions
    pulled before (none on a fresh PC)."""
    known = {"known": shipped_content(registry.shipped)[0]}
    stored = [form_hash for _id, _version, form_hash in registry.stored_versions()]
    if stored:
        known["known_forms"] = known_forms_param(stored)
    return known
