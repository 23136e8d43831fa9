"""Writing pipeline output into the database, idempotently.

A document is stored together with its segments, events and evidence in one transaction,
or not at all; a document whose id is already stored is skipped. That is what makes
re-running an interrupted ingest (even after `kill -9`) complete the work with nothing lost
and nothing doubled. Documents that failed are recorded in `failures` (one row per origin
and stage, updated on retry) and not stored, so that a later run tries them again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from rasd.document import Segment
from rasd.event import Event
from rasd.pipeline import Processed
from rasd.store.schema import (
    DocumentRow,
    EventRow,
    EvidenceRow,
    FailureRow,
    Run,
    SegmentRow,
    utcnow,
)
from rasd.text.normalize import normalize_term

_IN_CHUNK = 500  # ids per IN (...) query; keeps every backend's parameter limit happy


@dataclass(slots=True)
class SaveCounts:
    documents: int = 0
    skipped: int = 0
    events: int = 0
    failures: int = 0


def event_id(document_id: str, index: int) -> str:
    return f"{document_id}-{index}"


def stored_ids(session: Session, ids: Iterable[str]) -> set[str]:
    """Which of these document ids are already stored."""
    wanted = list(dict.fromkeys(ids))
    found: set[str] = set()
    for i in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[i : i + _IN_CHUNK]
        found.update(session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(chunk))))
    return found


def start_run(session: Session, command: str) -> int:
    run = Run(command=command[:200])
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, counts: SaveCounts) -> None:
    run = session.get(Run, run_id)
    if run is None:
        return
    run.finished_at = utcnow()
    run.documents, run.events, run.failures = counts.documents, counts.events, counts.failures


def save_batch(session: Session, batch: Sequence[Processed], run_id: int | None = None) -> SaveCounts:
    """Store one batch (the caller's transaction); already-stored documents are skipped.

    Rows go in with one executemany per table: building ORM objects for every segment,
    event and evidence span cost more than the pipeline itself on a two-core machine.
    """
    counts = SaveCounts()
    present = stored_ids(session, (p.document.id for p in batch if p.document is not None))
    succeeded = [p.document.origin for p in batch if p.document is not None and p.failed_stage is None]
    _clear_failures(session, succeeded)
    rows = _Rows()
    for processed in batch:
        document = processed.document
        if processed.failed_stage is not None or document is None:
            _record_failure(session, processed, run_id)
            counts.failures += 1
            continue
        if document.id in present:
            counts.skipped += 1
            continue
        present.add(document.id)
        rows.add(processed, run_id)
        counts.documents += 1
        counts.events += len(processed.result.events)
    rows.insert(session)
    return counts


@dataclass(slots=True)
class _Rows:
    """The rows of a batch, table by table, in foreign-key order."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    segments: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def add(self, processed: Processed, run_id: int | None) -> None:
        document = processed.document
        assert document is not None
        self.documents.append(_document_columns(processed, run_id))
        self.segments.extend(_segment_columns(document.id, i, s) for i, s in enumerate(processed.segments))
        for index, event in enumerate(processed.result.events):
            self.events.append(event_columns(document.id, index, event))
            self.evidence.extend(_evidence_columns(event_id(document.id, index), event))

    def insert(self, session: Session) -> None:
        for table, rows in (
            (DocumentRow, self.documents),
            (SegmentRow, self.segments),
            (EventRow, self.events),
            (EvidenceRow, self.evidence),
        ):
            if rows:
                session.execute(insert(table.__table__), rows)  # Core: one executemany


def _document_columns(processed: Processed, run_id: int | None) -> dict[str, Any]:
    document, result = processed.document, processed.result
    assert document is not None
    languages: dict[str, int] = {}
    for segment in processed.segments:
        languages[segment.language] = languages.get(segment.language, 0) + 1
    published = processed.published
    return {
        "id": document.id,
        "input_id": document.input_id,
        "origin": document.origin,
        "url": document.url,
        "source_domain": _domain(document.url),
        "title": document.title,
        "published": published.value if published else None,
        "published_precision": str(published.precision) if published else None,
        "published_source": published.source if published else None,
        "language": result.language,
        "languages": languages,
        "text": document.text,
        "quotes": [q.to_dict() for q in result.quotes],
        "run_id": run_id,
    }


def _segment_columns(document_id: str, index: int, segment: Segment) -> dict[str, Any]:
    post = None
    if segment.post is not None:
        post = {
            "author": segment.post.author,
            "handle": segment.post.handle,
            "date": segment.post.date,
            "links": list(segment.post.links),
        }
    return {
        "document_id": document_id,
        "idx": index,
        "start": segment.start,
        "end": segment.end,
        "kind": str(segment.kind),
        "language": segment.language,
        "paragraph": segment.paragraph,
        "post": post,
    }


def _evidence_columns(event_key: str, event: Event) -> Iterator[dict[str, Any]]:
    for index, span in enumerate(event.evidence):
        yield {"event_id": event_key, "idx": index, "start": span.start, "end": span.end,
               "text": span.text, "field": span.field}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def event_columns(document_id: str, index: int, event: Event) -> dict[str, Any]:
    """The flat columns of one event (the `events` table; also Spark's event rows)."""
    location, actor1, actor2, date = event.location, event.actor1, event.actor2, event.date
    searchable = [e.text for e in event.evidence]
    searchable += [a.name for a in (actor1, actor2) if a is not None]
    if location is not None:
        searchable.append(location.name)
    return {
        "id": event_id(document_id, index),
        "document_id": document_id,
        "idx": index,
        "type": event.type,
        "mode": event.mode,
        "acled_event_type": event.acled_event_type,
        "acled_sub_event_type": event.acled_sub_event_type,
        "cameo": event.cameo,
        "date_start": _date(date.start) if date else None,
        "date_end": _date(date.end) if date else None,
        "date_precision": date.precision if date else None,
        "location_name": location.name if location else None,
        "geonameid": str(location.geonameid) if location and location.geonameid is not None else None,
        "admin1": location.admin1 if location else None,
        "country": location.country if location else None,
        "lat": location.lat if location else None,
        "lon": location.lon if location else None,
        "location_precision": location.precision if location else None,
        "actor1_name": actor1.name if actor1 else None,
        "actor1_sector": actor1.sector if actor1 else None,
        "actor1_country": actor1.country if actor1 else None,
        "actor2_name": actor2.name if actor2 else None,
        "actor2_sector": actor2.sector if actor2 else None,
        "actor2_country": actor2.country if actor2 else None,
        "fatalities": event.fatalities,
        "injured": event.injured,
        "weapon": event.weapon,
        "background": event.background,
        "confidence": event.confidence,
        "language": event.language,
        "search_text": normalize_term(" ".join(searchable)),
        "record": event.to_dict(),
    }


def _record_failure(session: Session, processed: Processed, run_id: int | None) -> None:
    result = processed.result
    origin = processed.document.origin if processed.document else result.id
    stage = processed.failed_stage or "read"
    existing = session.scalar(
        select(FailureRow).where(FailureRow.origin == origin, FailureRow.stage == stage)
    )
    if existing is None:
        session.add(
            FailureRow(
                origin=origin,
                document_id=result.document_id,
                stage=stage,
                reason=result.error or "unknown error",
                run_id=run_id,
            )
        )
        session.flush()
    else:
        existing.reason = result.error or existing.reason
        existing.created_at = utcnow()
        existing.run_id = run_id


def _clear_failures(session: Session, origins: list[str]) -> None:
    """Documents that now succeed are no longer failures."""
    if origins and session.scalar(select(FailureRow.id).limit(1)) is not None:
        for i in range(0, len(origins), _IN_CHUNK):
            session.execute(delete(FailureRow).where(FailureRow.origin.in_(origins[i : i + _IN_CHUNK])))


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None
