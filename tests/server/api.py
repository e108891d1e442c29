"""A thin test-side speaker of the protocol (login, device, signed pushes, tus) over httpx.

It uses odc_sync.protocol for every rule (canonical bytes, signatures, receipts), as the client
engine will; it is not that engine (no retries, no queue).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import uuid
from typing import Any

import httpx

from odc_sync.protocol.canonical import content_sha256
from odc_sync.protocol.messages import PROTOCOL_VERSION
from odc_sync.protocol.receipts import expanded_results
from odc_sync.protocol.signing import new_private_key, public_key_b64, public_key_from_b64, sign_entry
from odc_sync.protocol.tus import TUS_VERSION, encode_metadata
from tests.unit.form_samples import PROCESS, valid_data

API = "/api/v1"
DEMO_OPD = PROCESS["opd_code"]


def payload(entry: str | None = None, *, revision: int = 1, base_revision: int | None = None,
            opd: str = DEMO_OPD, stage: str = "planning", data: dict[str, Any] | None = None,
            attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A valid entry payload (the planning sample unless told otherwise)."""
    return {"entry": entry or str(uuid.uuid4()), "revision": revision, "base_revision": base_revision,
            "ocid": "ocds-test-41234567", "opd": opd, "stage": stage,
            "form": {"id": stage, "version": 1, "hash": "0" * 64},
            "data": valid_data(stage) if data is None else data, "attachments": attachments or []}


class Api:
    """One signed-in device talking to one server."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=60)
        self.token: str | None = None
        self.device = str(uuid.uuid4())
        self.key = new_private_key()

    def close(self) -> None:
        self.http.close()

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def login(self, username: str, password: str) -> httpx.Response:
        response = self.http.post(f"{API}/auth/login", json={"username": username, "password": password})
        if response.status_code == 200:
            self.token = response.json()["token"]
        return response

    def register(self) -> httpx.Response:
        return self.http.post(f"{API}/devices", headers=self.auth,
                              json={"device": self.device, "public_key": public_key_b64(self.key), "name": "test PC"})

    def signed(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"payload": body, "signature": sign_entry(self.key, body)}

    def push_items(self, items: list[dict[str, Any]], *, compress: bool = True,
                   protocol: int = PROTOCOL_VERSION) -> httpx.Response:
        raw = json.dumps({"protocol": protocol, "device": self.device, "items": items}).encode()
        headers = {**self.auth, "Content-Type": "application/json"}
        if compress:
            raw, headers["Content-Encoding"] = gzip.compress(raw), "gzip"
        return self.http.post(f"{API}/entries/push", content=raw, headers=headers)

    def push(self, payloads: list[dict[str, Any]], *, protocol: int = PROTOCOL_VERSION) -> list[dict[str, Any]]:
        """The results in the protocol-1 shape (full receipts): a slim answer's receipts are rebuilt
        from the payloads sent, as the client does (their signatures are checked by the tests)."""
        response = self.push_items([self.signed(p) for p in payloads], protocol=protocol)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert answer["protocol"] == protocol
        if protocol == 1:
            return answer["results"]
        return expanded_results(answer, payloads, [content_sha256(p) for p in payloads])

    def server_key(self):  # noqa: ANN201
        return public_key_from_b64(self.http.get(f"{API}/server-key").json()["server_key"])

    # tus ---------------------------------------------------------------------------------------
    def tus_headers(self) -> dict[str, str]:
        return {**self.auth, "Tus-Resumable": TUS_VERSION}

    def create_upload(self, content: bytes, name: str = "kak.pdf") -> str:
        response = self.http.post(f"{API}/uploads", headers={
            **self.tus_headers(), "Upload-Length": str(len(content)),
            "Upload-Metadata": encode_metadata({"sha256": hashlib.sha256(content).hexdigest(), "filename": name})})
        assert response.status_code == 201, response.text
        return response.headers["Location"]

    def offset(self, location: str) -> int:
        response = self.http.head(location, headers=self.tus_headers())
        assert response.status_code == 200, response.status_code
        return int(response.headers["Upload-Offset"])

    def patch(self, location: str, offset: int, chunk: bytes, *, checksum: bytes | None = None) -> httpx.Response:
        digest = hashlib.sha256(chunk if checksum is None else checksum).digest()
        return self.http.patch(location, content=chunk, headers={
            **self.tus_headers(), "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": str(offset), "Upload-Checksum": "sha256 " + base64.b64encode(digest).decode()})

    def upload(self, content: bytes, chunk: int = 64 * 1024) -> None:
        location = self.create_upload(content)
        offset = self.offset(location)
        while offset < len(content):
            response = self.patch(location, offset, content[offset:offset + chunk])
            assert response.status_code == 204, response.text
            offset = int(response.headers["Upload-Offset"])

    def check(self, hashes: list[str]) -> dict[str, list[str]]:
        response = self.http.post(f"{API}/attachments/check", headers=self.auth, json={"sha256": hashes})
        assert response.status_code == 200, response.text
        return response.json()
