"""Publishing a form version (admin): checked here with the app's own strict loader, then sent.

The same code serves ``odc forms publish FILE`` and the app's "Terbitkan versi formulir…" (on its
network worker). The file is checked first exactly as a pulled form will be (:meth:`FormRegistry.add`
into a throw-away folder: meta-schema, codelists, a version of a shipped form, fits the other stages),
so a mistake is named with its line or field before anything leaves this PC; the server runs the same
checks again, signs the form and answers it signed, which is verified against the pinned server key
before it is reported as published.

Refusals are :class:`PublishRefused` with codes of the catalogue area ``forms_push``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from odc_desktop.domain.forms.definition import FormSet
from odc_desktop.form_registry import FormRefused, FormRegistry
from odc_desktop.messages import CodedError
from odc_desktop.os_reasons import OsReason
from odc_sync.client.http import Http, SyncError, json_body
from odc_sync.protocol.canonical import sha256_hex
from odc_sync.protocol.messages import API_PREFIX, Role
from odc_sync.protocol.signing import form_signature_valid, public_key_from_b64


class PublishRefused(CodedError):
    """The form was not published (codes ``forms_push.*``; ``sync.*`` for the link itself)."""


def sign_in_of(repo: Any) -> dict[str, str]:
    """What publishing needs from the store's ``sync_state`` (read on the database's thread):
    ``server_url``, ``token``, ``server_key``, ``username``, ``role`` ("" when not signed in)."""
    return {name: repo.get_sync_state(name) or "" for name in ("server_url", "token", "server_key", "username", "role")}


def is_admin(repo: Any) -> bool:
    """Whether the account signed in on this PC is an admin (the role the server gave at login)."""
    return repo.get_sync_state("role") == Role.ADMIN


def check_locally(path: Path, shipped: FormSet) -> Any:
    """The form in the file ``path`` when the strict loader and the registry's checks accept it
    (nothing is kept); :class:`PublishRefused` naming the line or field otherwise."""
    with tempfile.TemporaryDirectory(prefix="odc-publish-") as folder:
        try:
            return FormRegistry(shipped, Path(folder)).add(Path(path))
        except FormRefused as exc:
            if exc.code == "form_registry.form_unreadable":
                raise PublishRefused("forms_push.unreadable", **exc.params) from exc
            # the strict loader's own words (file, line, key) when it was the loader that refused
            detail = exc.params.get("detail", exc) if exc.code == "form_registry.form_invalid" else exc
            raise PublishRefused("forms_push.local_invalid", name=Path(path).name, detail=detail) from exc


def read_form_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise PublishRefused("forms_push.unreadable", name=Path(path).name, reason=OsReason(exc)) from exc


def publish_form(path: Path, shipped: FormSet, sign_in: dict[str, str], *,
                 http: Http | None = None) -> dict[str, Any]:
    """Check the form file ``path``, send it, and return the signed form the server answered
    (``id``, ``version``, ``hash``, ``stage``, ``published_at``, …). :class:`PublishRefused` when it is
    refused here or by the server, :class:`SyncError` when the server cannot be reached. Runs on a
    worker in the app (network and disk)."""
    form = check_locally(path, shipped)
    raw = read_form_file(path)
    if sha256_hex(raw) != form.content_hash:  # changed on disk while it was checked: check it again
        raise PublishRefused("forms_push.changed_meanwhile", name=Path(path).name)
    if not (sign_in.get("server_url") and sign_in.get("token") and sign_in.get("server_key")):
        raise PublishRefused("sync.login_needed")
    own = http is None
    http = http or Http(sign_in["server_url"], sign_in["token"], retries=1)
    try:
        response = http.request("POST", f"{API_PREFIX}/forms", ok=(200, 403, 409, 422), body=raw,
                                headers={"Content-Type": "application/yaml", "Accept": "application/json"},
                                retry=False)
        answer = json_body(response)
    finally:
        if own:
            http.close()
    if response.status_code == 403:
        raise PublishRefused("forms_push.not_admin", username=sign_in.get("username") or "-",
                             role=sign_in.get("role") or "-")
    if response.status_code == 409:
        raise PublishRefused("forms_push.version_taken", form_id=form.id, version=form.version)
    if response.status_code == 422:
        error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
        raise PublishRefused("forms_push.server_refused", detail={
            "id": str(error.get("message") or "-"), "en": str(error.get("message_en") or error.get("message") or "-")})
    if not (form_signature_valid(public_key_from_b64(sign_in["server_key"]), answer)
            and (answer["id"], answer["version"], answer["hash"]) == (form.id, form.version, form.content_hash)):
        raise PublishRefused("forms_push.answer_unsigned")
    return answer


__all__ = ["PublishRefused", "SyncError", "check_locally", "is_admin", "publish_form", "read_form_file",
           "sign_in_of"]
