"""Flat records of stored events and incidents: the one shape every export format writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rasd.store.schema import DocumentRow, EventRow, IncidentRow


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _evidence_text(record: dict[str, Any]) -> str:
    texts = dict.fromkeys(e["text"] for e in record.get("evidence", []))
    return " … ".join(texts)[:500]


def event_record(row: EventRow, document: DocumentRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "incident_id": row.incident_id,
        "document_id": row.document_id,
        "type": row.type,
        "mode": row.mode,
        "acled_event_type": row.acled_event_type,
        "acled_sub_event_type": row.acled_sub_event_type,
        "cameo": row.cameo,
        "date_start": _iso(row.date_start),
        "date_end": _iso(row.date_end),
        "date_precision": row.date_precision,
        "location_name": row.location_name,
        "geonameid": row.geonameid,
        "admin1": row.admin1,
        "country": row.country,
        "lat": row.lat,
        "lon": row.lon,
        "location_precision": row.location_precision,
        "actor1_name": row.actor1_name,
        "actor1_sector": row.actor1_sector,
        "actor1_country": row.actor1_country,
        "actor2_name": row.actor2_name,
        "actor2_sector": row.actor2_sector,
        "actor2_country": row.actor2_country,
        "fatalities": row.fatalities,
        "fatalities_max": row.fatalities,
        "injured": row.injured,
        "weapon": row.weapon,
        "background": row.background,
        "confidence": row.confidence,
        "language": row.language,
        "evidence": _evidence_text(row.record),
        "sources": document.source_domain or document.origin,
        "urls": document.url or "",
        "n_documents": 1,
        "updated_at": _iso(row.updated_at),
    }


def incident_record(incident: IncidentRow, members: list[tuple[EventRow, DocumentRow]]) -> dict[str, Any]:
    actor1, actor2 = incident.actor1 or {}, incident.actor2 or {}
    domains = sorted({d.source_domain or d.origin for _, d in members})
    return {
        "id": incident.id,
        "incident_id": incident.id,
        "document_id": None,
        "type": incident.type,
        "mode": incident.mode,
        "acled_event_type": incident.acled_event_type,
        "acled_sub_event_type": incident.acled_sub_event_type,
        "cameo": next((e.cameo for e, _ in members if e.type == incident.type and e.cameo), None),
        "date_start": _iso(incident.date_start),
        "date_end": _iso(incident.date_end),
        "date_precision": incident.date_precision,
        "location_name": incident.location_name,
        "geonameid": next((e.geonameid for e, _ in members if e.location_name == incident.location_name), None),
        "admin1": incident.admin1,
        "country": incident.country,
        "lat": incident.lat,
        "lon": incident.lon,
        "location_precision": incident.location_precision,
        "actor1_name": actor1.get("name"),
        "actor1_sector": actor1.get("sector"),
        "actor1_country": actor1.get("country"),
        "actor2_name": actor2.get("name"),
        "actor2_sector": actor2.get("sector"),
        "actor2_country": actor2.get("country"),
        "fatalities": incident.fatalities,
        "fatalities_max": incident.fatalities_max,
        "injured": incident.injured,
        "weapon": next((e.weapon for e, _ in members if e.weapon), None),
        "background": False,
        "confidence": max((e.confidence for e, _ in members), default=None),
        "language": ",".join(incident.languages or []),
        "evidence": " | ".join(_evidence_text(e.record) for e, _ in members[:5])[:1000],
        "sources": "; ".join(domains),
        "urls": " ".join(sorted({d.url for _, d in members if d.url})),
        "n_documents": incident.n_documents,
        "updated_at": _iso(incident.updated_at),
    }


def event_records(session: Session, rows: Iterable[EventRow]) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield event_record(row, row.document)


def incident_records(session: Session, incidents: Iterable[IncidentRow]) -> Iterator[dict[str, Any]]:
    for incident in incidents:
        members = session.execute(
            select(EventRow, DocumentRow)
            .join(DocumentRow, EventRow.document_id == DocumentRow.id)
            .where(EventRow.incident_id == incident.id)
            .order_by(EventRow.id)
        ).all()
        yield incident_record(incident, [(e, d) for e, d in members])
