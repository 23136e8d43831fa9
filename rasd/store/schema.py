"""The relational schema: one set of tables for SQLite and PostgreSQL (SQLAlchemy 2).

Documents keep their original text; events keep every field of the event record flattened
into columns (for filtering) plus the full record as JSON (for export); evidence spans point
into the document text; an event belongs to at most one incident. Changing a table here
means adding an Alembic migration under rasd/store/migrations/versions/.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Run(Base):
    """One invocation of a command that writes (ingest, fuse --rebuild, watch)."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    command: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    documents: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    input_id: Mapped[str | None] = mapped_column(String(300))
    origin: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    source_domain: Mapped[str | None] = mapped_column(String(255), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    published_precision: Mapped[str | None] = mapped_column(String(8))
    published_source: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(8), index=True)
    languages: Mapped[dict | None] = mapped_column(JSON)  # language -> number of segments
    text: Mapped[str] = mapped_column(Text)
    quotes: Mapped[list | None] = mapped_column(JSON)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))

    segments: Mapped[list["SegmentRow"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="SegmentRow.idx"
    )
    events: Mapped[list["EventRow"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="EventRow.idx"
    )


class SegmentRow(Base):
    __tablename__ = "segments"
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    paragraph: Mapped[int] = mapped_column(Integer)
    post: Mapped[dict | None] = mapped_column(JSON)

    document: Mapped[DocumentRow] = relationship(back_populates="segments")


class IncidentRow(Base):
    """Reports of one real-world event, fused across documents and languages."""

    __tablename__ = "incidents"
    id: Mapped[str] = mapped_column(String(48), primary_key=True)
    type: Mapped[str] = mapped_column(String(16), index=True)
    mode: Mapped[str | None] = mapped_column(String(16))
    acled_event_type: Mapped[str | None] = mapped_column(String(64))
    acled_sub_event_type: Mapped[str | None] = mapped_column(String(64))
    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(3), index=True)
    admin1: Mapped[str | None] = mapped_column(String(120))
    location_name: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    location_precision: Mapped[str | None] = mapped_column(String(8))
    fatalities: Mapped[int | None] = mapped_column(Integer)  # headline: most conservative
    fatalities_max: Mapped[int | None] = mapped_column(Integer)
    injured: Mapped[int | None] = mapped_column(Integer)
    injured_max: Mapped[int | None] = mapped_column(Integer)
    actor1: Mapped[dict | None] = mapped_column(JSON)
    actor2: Mapped[dict | None] = mapped_column(JSON)
    n_events: Mapped[int] = mapped_column(Integer, default=0)
    n_documents: Mapped[int] = mapped_column(Integer, default=0)
    languages: Mapped[list | None] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)

    events: Mapped[list["EventRow"]] = relationship(back_populates="incident")


class EventRow(Base):
    __tablename__ = "events"
    id: Mapped[str] = mapped_column(String(48), primary_key=True)  # "<document id>-<idx>"
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    idx: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16), index=True)
    mode: Mapped[str | None] = mapped_column(String(16))
    acled_event_type: Mapped[str | None] = mapped_column(String(64))
    acled_sub_event_type: Mapped[str | None] = mapped_column(String(64))
    cameo: Mapped[str | None] = mapped_column(String(4))
    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(8))
    location_name: Mapped[str | None] = mapped_column(String(200))
    geonameid: Mapped[str | None] = mapped_column(String(64))
    admin1: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(3), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    location_precision: Mapped[str | None] = mapped_column(String(8))
    actor1_name: Mapped[str | None] = mapped_column(String(200))
    actor1_sector: Mapped[str | None] = mapped_column(String(4))
    actor1_country: Mapped[str | None] = mapped_column(String(3))
    actor2_name: Mapped[str | None] = mapped_column(String(200))
    actor2_sector: Mapped[str | None] = mapped_column(String(4))
    actor2_country: Mapped[str | None] = mapped_column(String(3))
    fatalities: Mapped[int | None] = mapped_column(Integer)
    injured: Mapped[int | None] = mapped_column(Integer)
    weapon: Mapped[str | None] = mapped_column(String(32))
    background: Mapped[bool] = mapped_column(Boolean, default=False)
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    language: Mapped[str | None] = mapped_column(String(8))
    search_text: Mapped[str] = mapped_column(Text, default="")  # normalised evidence, for --text
    record: Mapped[dict] = mapped_column(JSON)  # the full event record (spec/event-record.md)
    incident_id: Mapped[str | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)

    document: Mapped[DocumentRow] = relationship(back_populates="events")
    incident: Mapped[IncidentRow | None] = relationship(back_populates="events")
    evidence: Mapped[list["EvidenceRow"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EvidenceRow.idx"
    )

    __table_args__ = (Index("ix_events_fusion_block", "type", "country", "date_start"),)


class EvidenceRow(Base):
    __tablename__ = "evidence"
    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(String(32))

    event: Mapped[EventRow] = relationship(back_populates="evidence")


class FailureRow(Base):
    """A document or input that failed at some stage; kept so nothing is silently lost."""

    __tablename__ = "failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    origin: Mapped[str] = mapped_column(Text)
    document_id: Mapped[str | None] = mapped_column(String(40), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))

    __table_args__ = (UniqueConstraint("origin", "stage", name="uq_failures_origin_stage"),)


class SeenItem(Base):
    """Feed items and URLs already fetched (for `rasd watch`), and feed validators."""

    __tablename__ = "seen"
    key: Mapped[str] = mapped_column(String(512), primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
