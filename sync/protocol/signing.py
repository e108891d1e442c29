"""Ed25519 keys, entry signatures and server receipts.

* A device signs the canonical bytes of each entry payload (:func:`sign_entry`); the server checks
  them with the public key the device registered (:func:`entry_signature_valid`).
* The server signs a receipt ``{entry, revision, content_sha256, server_seq, accepted_at}``; the
  canonical bytes of that object (:func:`receipt_bytes`) are what is signed. A client marks an entry
  submitted only when :func:`receipt_valid` holds for the server key it trusts and the receipt names
  the exact content hash it sent.
* Protocol 3 (:mod:`odc_sync.protocol.receipts`): the server signs once per push answer, over the
  root of a Merkle tree (RFC 6962, :mod:`odc_sync.protocol.merkle`) whose leaves are the
  :func:`receipt_bytes` of the answer's new receipts (:func:`root_message`). Such a receipt carries
  that root signature as its ``signature`` and a ``proof`` ``{"index", "tree_size", "path": [hex…]}``
  (its audit path). :func:`receipt_valid` checks a receipt of either kind: without ``proof`` the
  signature is over the receipt's bytes; with one, over the root its leaf and path give.

Keys and signatures travel as standard base64 of the raw 32-byte key / 64-byte signature.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from odc_sync.protocol import merkle
from odc_sync.protocol.canonical import b64decode, b64encode, canonical_bytes, sha256_hex
from odc_sync.protocol.messages import SHA256_HEX

RECEIPT_FIELDS = ("entry", "revision", "content_sha256", "server_seq", "accepted_at")


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_bytes(key: Ed25519PrivateKey) -> bytes:
    """The raw 32-byte seed (store it where only its owner reads it)."""
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def private_key_from_bytes(raw: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return b64encode(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def public_key_from_b64(text: str) -> Ed25519PublicKey:
    """The public key in ``text``; ``ValueError`` when it is not a raw Ed25519 key in base64."""
    raw = b64decode(text)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def key_id(public_b64: str) -> str:
    """A short, stable name of a public key: the first 16 hex digits of SHA-256 of its raw bytes."""
    return sha256_hex(b64decode(public_b64))[:16]


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return b64encode(key.sign(message))


def signature_valid(public: Ed25519PublicKey, message: bytes, signature_b64: str) -> bool:
    try:
        public.verify(b64decode(signature_b64), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def sign_entry(device_key: Ed25519PrivateKey, payload: dict[str, Any]) -> str:
    """The device's signature of an entry payload (over its canonical bytes)."""
    return sign(device_key, canonical_bytes(payload))


def entry_signature_valid(device_public: Ed25519PublicKey, payload: dict[str, Any], signature_b64: str) -> bool:
    return signature_valid(device_public, canonical_bytes(payload), signature_b64)


def receipt_bytes(receipt: dict[str, Any]) -> bytes:
    """The signed bytes of a receipt: the canonical JSON of exactly its five fields."""
    return canonical_bytes({name: receipt[name] for name in RECEIPT_FIELDS})


@functools.lru_cache(maxsize=8)
def _key_id_of(key: Ed25519PrivateKey) -> str:
    return key_id(public_key_b64(key))


def sign_receipt(server_key: Ed25519PrivateKey, receipt: dict[str, Any]) -> dict[str, Any]:
    """``receipt`` with ``key_id`` and ``signature`` added (the five fields are what is signed)."""
    body = {name: receipt[name] for name in RECEIPT_FIELDS}
    return {**body, "key_id": _key_id_of(server_key),
            "signature": sign(server_key, receipt_bytes(body))}


def root_message(root: bytes, tree_size: int) -> bytes:
    """The bytes the server signs for a protocol-3 answer: the canonical JSON of the Merkle root (hex)
    of its new receipts and how many they are (never mistaken for a receipt's or a decision's bytes)."""
    return canonical_bytes({"receipts_root": root.hex(), "tree_size": tree_size})


def receipt_proof(proof: Any) -> tuple[int, int, list[bytes]] | None:
    """``(index, tree_size, path)`` of a receipt's ``proof`` (a dict or its JSON text); None when
    malformed."""
    if isinstance(proof, str):
        try:
            proof = json.loads(proof)
        except ValueError:
            return None
    if not isinstance(proof, dict):
        return None
    index, size, path = proof.get("index"), proof.get("tree_size"), proof.get("path")
    if not (type(index) is int and type(size) is int and 0 <= index < size and isinstance(path, list)
            and len(path) <= 64 and all(isinstance(h, str) and SHA256_HEX.match(h) for h in path)):
        return None
    return index, size, [bytes.fromhex(h) for h in path]


def receipt_valid(server_public: Ed25519PublicKey, receipt: Any, *, content_sha256: str | None = None) -> bool:
    """Whether ``receipt`` (as it came off the wire, or as stored) is signed by ``server_public`` and,
    when given, names exactly ``content_sha256``. A receipt with a ``proof`` (protocol 3) is valid
    when its leaf and audit path give a root whose signature (``signature``) verifies; one without,
    when ``signature`` verifies over its own bytes. Anything malformed is simply not valid."""
    if not isinstance(receipt, dict) or not isinstance(receipt.get("signature"), str):
        return False
    if any(name not in receipt for name in RECEIPT_FIELDS):
        return False
    if content_sha256 is not None and receipt["content_sha256"] != content_sha256:
        return False
    try:
        message = receipt_bytes(receipt)
    except (TypeError, ValueError):
        return False
    if receipt.get("proof") is None:
        return signature_valid(server_public, message, receipt["signature"])
    proof = receipt_proof(receipt["proof"])
    if proof is None:
        return False
    index, size, path = proof
    root = merkle.root_from_path(merkle.leaf_hash(message), index, size, path)
    return root is not None and signature_valid(server_public, root_message(root, size), receipt["signature"])


# --- review decisions and published forms (signed by the server like receipts) ----------------------
DECISION_FIELDS = ("entry", "revision", "decision", "reviewer", "notes", "decided_at")
FORM_FIELDS = ("id", "version", "hash")


def _signed(server_key: Ed25519PrivateKey, body: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    signed = {name: body[name] for name in fields}
    return {**body, "key_id": key_id(public_key_b64(server_key)),
            "signature": sign(server_key, canonical_bytes(signed))}


def _valid(server_public: Ed25519PublicKey, item: Any, fields: tuple[str, ...]) -> bool:
    if not isinstance(item, dict) or not isinstance(item.get("signature"), str):
        return False
    if any(name not in item for name in fields):
        return False
    try:
        message = canonical_bytes({name: item[name] for name in fields})
    except (TypeError, ValueError):
        return False
    return signature_valid(server_public, message, item["signature"])


def sign_decision(server_key: Ed25519PrivateKey, decision: dict[str, Any]) -> dict[str, Any]:
    """``decision`` with ``key_id`` and ``signature`` over the canonical JSON of :data:`DECISION_FIELDS`."""
    return _signed(server_key, decision, DECISION_FIELDS)


def decision_valid(server_public: Ed25519PublicKey, decision: Any) -> bool:
    """Whether a pulled review decision is signed by ``server_public`` (anything malformed is not)."""
    return _valid(server_public, decision, DECISION_FIELDS)


def sign_form(server_key: Ed25519PrivateKey, form: dict[str, Any]) -> dict[str, Any]:
    """A published form ``{id, version, hash, yaml, …}`` with ``key_id`` and ``signature`` over
    ``{id, version, hash}`` (``hash`` = SHA-256 of the YAML's UTF-8 bytes)."""
    return _signed(server_key, form, FORM_FIELDS)


def form_signature_valid(server_public: Ed25519PublicKey, form: Any) -> bool:
    """Whether a pulled form may be used: signed by ``server_public`` and its ``yaml`` text is exactly
    the bytes ``hash`` names. A client refuses the form otherwise."""
    if not _valid(server_public, form, FORM_FIELDS) or not isinstance(form.get("yaml"), str):
        return False
    return sha256_hex(form["yaml"].encode("utf-8")) == form["hash"]
