"""Response and request shapes of the HTTP API (they make its OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ErrorOut(BaseModel):
    """Every 4xx (and the rare 500): a message for the user, never a stack trace."""

    error: str


class EventOut(BaseModel):
    """A flat event (or incident) record, as in the exports."""

    model_config = ConfigDict(extra="allow")
    id: str
    incident_id: str | None
    document_id: str | None
    type: str
    mode: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    cameo: str | None
    date_start: str | None
    date_end: str | None
    date_precision: str | None
    location_name: str | None
    geonameid: str | None
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    location_precision: str | None
    actor1_name: str | None
    actor1_sector: str | None
    actor1_country: str | None
    actor2_name: str | None
    actor2_sector: str | None
    actor2_country: str | None
    fatalities: int | None
    fatalities_max: int | None
    injured: int | None
    weapon: str | None
    background: bool
    confidence: float | None
    language: str | None
    evidence: str
    sources: str
    urls: str
    n_documents: int
    updated_at: str | None


class EventPage(BaseModel):
    items: list[EventOut]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")


class IncidentPage(EventPage):
    pass


class Source(BaseModel):
    document_id: str
    input_id: str | None = None  # the id the input gave the document, if any
    url: str | None
    source: str
    language: str | None
    published: str | None
    title: str | None


class IncidentDetail(BaseModel):
    incident: EventOut
    events: list[EventOut]
    sources: list[Source]


class SegmentOut(BaseModel):
    start: int
    end: int
    kind: str
    language: str
    post: dict[str, Any] | None


class SpanOut(BaseModel):
    start: int
    end: int
    field: str | None
    text: str


class DocumentEvent(EventOut):
    spans: list[SpanOut]


class DocumentOut(BaseModel):
    id: str
    input_id: str | None
    url: str | None
    source: str | None
    title: str | None
    language: str | None
    published: str | None
    published_precision: str | None
    text: str
    segments: list[SegmentOut]
    events: list[DocumentEvent]
    quotes: list[dict[str, Any]]


class Stats(BaseModel):
    events: int
    by_day: dict[str, int]
    by_country: dict[str, int]
    by_type: dict[str, int]


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=2_000_000)
    url: str | None = Field(default=None, max_length=4000)
    id: str | None = Field(default=None, max_length=300)
    published: str | None = Field(default=None, max_length=10)

    @field_validator("text", "url", "id", "published")
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        """Refuse what no database can store: NUL characters and lone surrogates (JSON "\\ud800")."""
        if value is None:
            return value
        if "\x00" in value:
            raise ValueError("NUL characters are not allowed")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValueError(f"not valid Unicode at character {error.start}") from None
        return value


class IngestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: list[DocumentIn] = Field(min_length=1, max_length=1000)


class IngestOut(BaseModel):
    stored: int
    skipped: int
    events: int
    failed: int
    ids: list[str]
