"""The event record (see spec/event-record.md): plain dataclasses that serialise to JSON.

Every stage after extraction (resolve, store, fuse, serve, export) exchanges these.
Field names follow the spec and must not be renamed; extra fields may be added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _fields(record: Any) -> dict[str, Any]:
    """A flat dataclass instance as a dict (its fields hold plain values)."""
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


@dataclass(slots=True)
class Evidence:
    """A span of the original text that supports an event or one of its fields."""

    start: int
    end: int
    text: str
    field: str | None = None  # which field this span supports ("trigger", "actor1", "place", ...)


@dataclass(slots=True)
class Provenance:
    """Why a field has its value: the rule or lexicon entry and the spans it used."""

    rule: str
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Actor:
    text: str  # as written
    name: str  # canonical
    sector: str | None  # GOV MIL POL REB PTY OPP CVL MED IGO NGO BUS REL OTH
    country: str | None  # ISO 3166-1 alpha-3


@dataclass(slots=True)
class Location:
    name: str
    geonameid: int | str | None
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    precision: str  # site | city | admin2 | admin1 | country


@dataclass(slots=True)
class EventDate:
    start: str  # YYYY-MM-DD
    end: str | None
    precision: str  # day | week | month | year


@dataclass(slots=True)
class Event:
    type: str
    mode: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    cameo: str | None = None
    date: EventDate | None = None
    location: Location | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    fatalities: int | None = None
    injured: int | None = None
    weapon: str | None = None
    background: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.5
    language: str | None = None
    provenance: dict[str, Provenance] = field(default_factory=dict)
    quote: int | None = None  # index into the document's quotes when a quote reports it

    def to_dict(self) -> dict[str, Any]:
        # Field by field rather than dataclasses.asdict, whose recursive deep copy cost more
        # than the database insert of the record when a batch is stored.
        record = _fields(self)
        for key in ("date", "location", "actor1", "actor2"):
            value = record[key]
            record[key] = _fields(value) if value is not None else None
        record["evidence"] = [_fields(e) for e in self.evidence]
        record["provenance"] = {
            name: {"rule": p.rule, "spans": [list(s) for s in p.spans]}
            for name, p in self.provenance.items()
        }
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> "Event":
        data = dict(record)
        data["date"] = EventDate(**data["date"]) if data.get("date") else None
        data["location"] = Location(**data["location"]) if data.get("location") else None
        for key in ("actor1", "actor2"):
            data[key] = Actor(**data[key]) if data.get(key) else None
        data["evidence"] = [Evidence(**e) for e in data.get("evidence") or []]
        data["provenance"] = {
            name: Provenance(p["rule"], [tuple(s) for s in p.get("spans", [])])
            for name, p in (data.get("provenance") or {}).items()
        }
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(slots=True)
class Quote:
    """Who said what: a quotation or reported statement."""

    speaker: Actor | None
    text: str
    language: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": _fields(self.speaker) if self.speaker else None,
            "text": self.text,
            "language": self.language,
            "span": {"start": self.start, "end": self.end},
        }


@dataclass(slots=True)
class DocumentResult:
    """One output line of `rasd extract`: a document's events and quotes, or its error."""

    id: str
    url: str | None = None
    published: str | None = None
    language: str | None = None
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    error: str | None = None
    document_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "published": self.published,
            "language": self.language,
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
            "error": self.error,
            "document_id": self.document_id,
        }
