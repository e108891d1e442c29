"""The server's tables (SQLAlchemy). The Alembic revisions in ``migrations/versions`` create them; a test
checks that the revisions and these models agree.

Times are Unix seconds (float) in the database; the wire carries ISO 8601 UTC. Nothing here depends
on the database engine: SQLite and PostgreSQL run the same code.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Opd(Base):
    """One office (perangkat daerah) of the regency: dinas, badan, bagian, RSUD, kecamatan."""

    __tablename__ = "opds"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    opd_code: Mapped[str | None] = mapped_column(ForeignKey("opds.code"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[float] = mapped_column(Float)


class Token(Base):
    """A session token, stored only as its SHA-256: a stolen database yields no usable token."""

    __tablename__ = "tokens"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    expires_at: Mapped[float] = mapped_column(Float)


class LoginFailure(Base):
    """A failed login, kept for the rate limit window (the server holds no memory between requests)."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    client: Mapped[str] = mapped_column(String(100))
    at: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_login_failures_username_at", "username", "at"),
                      Index("ix_login_failures_client_at", "client", "at"))


class Device(Base):
    """A registered desktop installation and the Ed25519 public key its entries are signed with."""

    __tablename__ = "devices"
    device_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    public_key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    registered_at: Mapped[float] = mapped_column(Float)


class Counter(Base):
    """Gap-free counters (server_seq, change_seq, audit): a row lock orders concurrent writers."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class ServerKey(Base):
    """The server's Ed25519 signing key (receipts, form versions); the newest row is in use."""

    __tablename__ = "server_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    private_key: Mapped[str] = mapped_column(String(100))
    public_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[float] = mapped_column(Float)


class Entry(Base):
    """One accepted revision of a stage entry, exactly as the device signed it."""

    __tablename__ = "entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_uid: Mapped[str] = mapped_column(String(200))
    revision: Mapped[int] = mapped_column(Integer)
    base_revision: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ocid: Mapped[str] = mapped_column(String(200), index=True)
    opd_code: Mapped[str] = mapped_column(ForeignKey("opds.code"), index=True)
    stage: Mapped[str] = mapped_column(String(40))
    form_id: Mapped[str] = mapped_column(String(100))
    form_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(100))
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.device_id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20))
    server_seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    accepted_at: Mapped[str] = mapped_column(String(40))
    receipt: Mapped[str] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("entry_uid", "revision", name="uq_entries_uid_revision"),)


class Attachment(Base):
    """A stored file, named by its SHA-256 (the bytes live in the data folder's attachment store)."""

    __tablename__ = "attachments"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    stored_at: Mapped[float] = mapped_column(Float)


class Upload(Base):
    """A tus upload in progress; ``offset`` is how many verified bytes the server holds."""

    __tablename__ = "uploads"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    length: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[float] = mapped_column(Float)


class Decision(Base):
    """A supervisor's review decision on an entry revision (pulled by the entry's OPD)."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_uid: Mapped[str] = mapped_column(String(200))
    revision: Mapped[int] = mapped_column(Integer)
    opd_code: Mapped[str] = mapped_column(ForeignKey("opds.code"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    comments: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[str] = mapped_column(String(40))
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)


class FormVersion(Base):
    """A form version published by an admin, signed by the server."""

    __tablename__ = "form_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    form_hash: Mapped[str] = mapped_column(String(64))
    definition: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(100))
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)
    __table_args__ = (UniqueConstraint("form_id", "version", name="uq_form_versions_id_version"),)


class AuditRecord(Base):
    """Append-only, hash-chained log of every state change: ``hash = sha256(prev_hash + canonical record)``."""

    __tablename__ = "audit"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
