"""Test-side helpers for review, form publishing and the public OCDS endpoints (over httpx)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.server.api import API, Api, payload
from tests.server.harness import run

OTHER_OPD = "1.02.0.00.0.00.05.0000"


def new_ocid() -> str:
    return f"ocds-test-{uuid.uuid4().hex[:10]}"


def stage_payload(ocid: str, stage: str = "planning", **changes: Any) -> dict[str, Any]:
    body = payload(stage=stage)
    body["ocid"] = ocid
    body.update(changes)
    return body


def decide(api: Api, entry: str, revision: int, decision: str, notes: list[dict[str, Any]] | None = None
           ) -> httpx.Response:
    return api.http.post(f"{API}/review/{entry}/decision", headers=api.auth,
                         json={"revision": revision, "decision": decision, "notes": notes or []})


def approve(api: Api, entry: str, revision: int = 1) -> dict[str, Any]:
    response = decide(api, entry, revision, "approve")
    assert response.status_code == 200, response.text
    return response.json()


def queue(api: Api) -> dict[str, dict[str, Any]]:
    response = api.http.get(f"{API}/review/queue", headers=api.auth)
    assert response.status_code == 200, response.text
    return {item["id"]: item for item in response.json()["items"]}


def pull_all(api: Api) -> dict[str, Any]:
    response = api.http.get(f"{API}/pull", headers=api.auth, params={"cursor": "0", "limit": 5000})
    assert response.status_code == 200, response.text
    return response.json()


def ensure_user(options: list[str], username: str, role: str, opd: str | None) -> None:
    """Create a user once per server (a second call for the same name is refused, which is fine)."""
    args = ["create-user", "--username", username, "--password", username, "--role", role]
    run(options, *args, *(["--opd", opd] if opd else []), check=False)


def public(url: str, path: str, **params: Any) -> httpx.Response:
    return httpx.get(url + path, params=params or None, timeout=60)  # params={} would drop a URL's query
