"""A Merkle tree hash and its audit paths, exactly as RFC 6962 §2.1 (and RFC 9162 §2.1) define them.

Used by protocol 3 (:mod:`odc_sync.protocol.receipts`): the server signs one root over the receipts
of a push answer instead of each receipt, and each receipt keeps its audit path so it stays
verifiable alone. Hashing (SHA-256)::

    leaf  = SHA-256(0x00 || data)
    node  = SHA-256(0x01 || left || right)
    MTH({d0}) = leaf(d0);  MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n])), k = largest power of 2 < n

An audit path (RFC 6962 §2.1.1) lists the sibling hashes from the leaf up; :func:`root_from_path`
is RFC 9162 §2.1.3.2's verification algorithm. Small hand-written code (no library is needed for
the two functions), checked against the Certificate Transparency test vectors in
tests/unit/test_merkle.py.
"""

from __future__ import annotations

import hashlib


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: list[bytes]) -> bytes:
    """MTH of the given leaf hashes (at least one)."""
    if not leaves:
        raise ValueError("a Merkle tree needs at least one leaf")
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return node_hash(root(leaves[:k]), root(leaves[k:]))


def audit_path(leaves: list[bytes], index: int) -> list[bytes]:
    """PATH(index, leaves): the sibling hashes from the leaf up to the root."""
    if not 0 <= index < len(leaves):
        raise ValueError("leaf index outside the tree")
    if len(leaves) == 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return audit_path(leaves[:k], index) + [root(leaves[k:])]
    return audit_path(leaves[k:], index - k) + [root(leaves[:k])]


def root_from_path(leaf: bytes, index: int, size: int, path: list[bytes]) -> bytes | None:
    """The root that ``leaf`` at ``index`` of a tree of ``size`` leaves and its audit ``path`` give
    (RFC 9162 §2.1.3.2); None when the path cannot belong to such a tree (wrong length, bad index)."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None
