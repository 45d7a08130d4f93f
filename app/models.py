"""SQLAlchemy 2.0 typed ORM models."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    patient_id: Mapped[str | None] = mapped_column(String(128), index=True, default=None)
    # Who started it: the API key's id, or for an OpenID Connect token `oidc:` + a hash of issuer and subject
    # (None: auth off); only that caller may read or continue it.
    owner: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    # The end user's OpenID Connect subject (`sub`) when a token started it; None for API keys.
    subject: Mapped[str | None] = mapped_column(String(255), default=None)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id", cascade="all, delete-orphan"
    )


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # For assistant messages: what the pipeline did, so an answer can be audited later.
    status: Mapped[str] = mapped_column(String(16), default="ok")
    mode: Mapped[str | None] = mapped_column(String(8), default=None)
    k: Mapped[int | None] = mapped_column(Integer, default=None)
    queries: Mapped[list[Any]] = mapped_column(JSON, default=list)
    citations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    audit: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class Patient(Base):
    """A patient whose historical records feed MedRecord-augmented generation (MAG)."""

    __tablename__ = "patients"

    patient_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    sex: Mapped[str | None] = mapped_column(String(16), default=None)
    demographics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Bumped on every record write: record-search caches in any process compare it to know they are stale.
    revision: Mapped[int] = mapped_column(Integer, default=0)

    records: Mapped[list[PatientRecord]] = relationship(
        back_populates="patient", cascade="all, delete-orphan", passive_deletes=True
    )


class PatientRecord(Base):
    """One dated entry of a patient's history (docs/architecture.md "Patient record")."""

    __tablename__ = "patient_records"
    __table_args__ = (
        UniqueConstraint("patient_id", "record_id", name="uq_patient_record"),
        Index("ix_patient_records_patient_date", "patient_id", "date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = mapped_column(
        String(128), ForeignKey("patients.patient_id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[str] = mapped_column(String(128))
    date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    text: Mapped[str] = mapped_column(Text)
    regions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    images: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="records")


class ApiKey(Base):
    """An API key: only the SHA-256 of its secret is stored; the key itself is shown once at creation."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # None: every patient; a list: only these patients' records and conversations.
    patient_ids: Mapped[list[Any] | None] = mapped_column(JSON, default=None, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class RecordAccess(Base):
    """Audit trail: every read of patient records (API reads and MAG use in chat)."""

    __tablename__ = "record_access_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    key_id: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    request_id: Mapped[str | None] = mapped_column(String(64), default=None)  # the server's id of the request
    client_request_id: Mapped[str | None] = mapped_column(String(64), default=None)  # X-Request-ID as sent
    subject: Mapped[str | None] = mapped_column(String(255), index=True, default=None)  # OIDC `sub` of the user
    action: Mapped[str] = mapped_column(String(40))
    patient_id: Mapped[str] = mapped_column(String(128), index=True)
    record_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)


class IndexRebuildJob(Base):
    """A background index rebuild (POST /v1/admin/index/rebuild), kept in the database so every server
    worker can report it and at most one runs at a time across them."""

    __tablename__ = "index_rebuild_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    corpus: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), index=True)  # queued | running | succeeded | failed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    previous_version: Mapped[str | None] = mapped_column(String(64), default=None)
    version: Mapped[str | None] = mapped_column(String(64), default=None)
    retrieval: Mapped[str | None] = mapped_column(String(16), default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    # "<host>:<pid>" of the worker running it: a job whose process is gone is reported failed
    owner: Mapped[str] = mapped_column(String(200))
    # True while queued or running, NULL once finished: the unique index admits one active job however
    # many workers insert at the same instant (NULLs never collide), which a "none active?" check cannot.
    active: Mapped[bool | None] = mapped_column(Boolean, default=None, unique=True, index=True)
