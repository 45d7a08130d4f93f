"""Request and response bodies of the REST API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.enums import Mag, Mode, Status
from app.text_input import StorableText

# Every integer parameter has bounds: past them a database refuses the value (SQLite's INTEGER and
# PostgreSQL's bigint end at 2**63 - 1) and the client would get a 500 instead of a 422.
MAX_OFFSET = 2**31 - 1
Limit = Annotated[int, Query(ge=1, le=1000, description="at most this many")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="skip this many first")]


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: StorableText = Field(..., description="the user's new turn")
    conversation_id: StorableText | None = Field(None, max_length=64, description="omit to start a conversation")
    mode: Mode = Field(Mode.DRR, description="drr: Distill-Retrieve-Read; rtr: raw turn")
    patient_id: StorableText | None = Field(
        None, max_length=128, description="answer with this patient's records (MAG); kept by the conversation"
    )
    mag: Mag | None = Field(
        None, description="which records the reader sees: none | global | regional | all (default all)"
    )
    stream: bool = Field(
        False, description="answer as server-sent events: queries, evidence, token..., done (or error)"
    )

    @field_validator("message")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("message must not be empty")
        return v


class CitationOut(BaseModel):
    n: int
    medicine_id: str
    attribute: str
    chunk_id: str
    quote: str


class QueryOut(BaseModel):
    medicine: str | None
    attribute: str | None
    keywords: str


class RecordCitationOut(BaseModel):
    n: int
    record_id: str
    kind: str
    date: str
    quote: str
    scope: str


class NoticeOut(BaseModel):
    kind: str
    text: str


class ChatResponse(BaseModel):
    conversation_id: str
    message_id: int
    answer: str
    status: Status
    citations: list[CitationOut]
    queries: list[QueryOut]
    k: int
    mode: Mode
    notice: str | None = Field(None, description="the notices as one text, safety first")
    notices: list[NoticeOut] = []
    record_citations: list[RecordCitationOut] = []
    audit: dict[str, Any]
    options: list[str] = Field(
        [], description="with status clarify, the choices the question back offers, each worded as the user's "
        "reply (\"Apixaban\", \"my mother's Warfarin\"): send one as the next message of the conversation; "
        "empty otherwise")


class TurnOut(BaseModel):
    id: int
    role: str
    content: str
    created_at: datetime
    status: str
    mode: str | None = None
    k: int | None = None
    queries: list[dict[str, Any]] = []
    citations: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []


class ConversationOut(BaseModel):
    conversation_id: str
    created_at: datetime
    patient_id: str | None
    turns: list[TurnOut]


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    ready: bool
    index: dict[str, Any]
    database: str
