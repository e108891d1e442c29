"""The server's Ed25519 signing key, kept in the database so every server process signs alike."""

from __future__ import annotations

import functools

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from odc_sync.protocol.canonical import b64decode, b64encode
from odc_sync.protocol.signing import new_private_key, private_key_bytes, private_key_from_bytes, public_key_b64
from odc_sync.server.clock import now
from odc_sync.server.models import ServerKey


def ensure_server_key(session: Session) -> bool:
    """Create the signing key when there is none; True when one was made."""
    if session.execute(select(ServerKey.id).limit(1)).first() is not None:
        return False
    key = new_private_key()
    session.add(ServerKey(private_key=b64encode(private_key_bytes(key)), public_key=public_key_b64(key),
                          created_at=now()))
    return True


@functools.lru_cache(maxsize=8)
def _cached(engine_id: int, engine: Engine) -> Ed25519PrivateKey:
    with Session(engine) as session:
        row = session.execute(select(ServerKey).order_by(ServerKey.id.desc()).limit(1)).scalar_one()
        return private_key_from_bytes(b64decode(row.private_key))


def signing_key(engine: Engine) -> Ed25519PrivateKey:
    """The key in use (read once per process; it never changes while the server runs)."""
    return _cached(id(engine), engine)
