"""Fusion against the database: incrementally as documents arrive, or rebuilt from scratch.

Incremental fusion links each not-yet-fused event to the candidates in its block (stored
or new), then merges the incidents those links touch. Because links are pairwise and
symmetric and incident ids derive from members, the result equals a full rebuild on the
same events, whatever the arrival order.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from rasd.fuse.cluster import UnionFind, incident_id
from rasd.fuse.rules import TYPE_FAMILY, FusionItem, same_incident
from rasd.store.schema import EventRow, IncidentRow

log = logging.getLogger(__name__)

_LOOKBACK = dt.timedelta(days=400)  # widest date range an event can have (a year), plus slack
_WINDOW = dt.timedelta(days=1)


@dataclass(slots=True)
class FuseCounts:
    events: int = 0
    incidents_changed: int = 0


def item_of(row: EventRow) -> FusionItem:
    return FusionItem(
        key=row.id,
        document_id=row.document_id,
        type=row.type,
        mode=row.mode,
        date_start=row.date_start,
        date_end=row.date_end,
        date_precision=row.date_precision,
        country=row.country,
        admin1=row.admin1,
        place=row.location_name,
        lat=row.lat,
        lon=row.lon,
        place_precision=row.location_precision,
        actor1=row.actor1_name,
        actor1_sector=row.actor1_sector,
        actor2_sector=row.actor2_sector,
        background=row.background,
    )


def _family_types(family: str) -> list[str]:
    types = [t for t, f in TYPE_FAMILY.items() if f == family]
    return types or [family]


def _candidates(session: Session, item: FusionItem) -> list[EventRow]:
    assert item.date_start is not None
    end = (item.date_end or item.date_start) + _WINDOW
    return list(
        session.scalars(
            select(EventRow).where(
                EventRow.type.in_(_family_types(item.family)),
                EventRow.country == item.country,
                EventRow.background.is_(False),
                EventRow.date_start <= end,
                EventRow.date_start >= item.date_start - _LOOKBACK,
                EventRow.id != item.key,
            )
        )
    )


def _unfusable():  # type: ignore[no-untyped-def]
    """Events that never get an incident (background, undated, no country): see FusionItem.fusable."""
    return or_(EventRow.background.is_(True), EventRow.date_start.is_(None), EventRow.country.is_(None))


def fuse_pending(session: Session) -> FuseCounts:
    """Fuse every stored event that has no incident yet (the caller's transaction)."""
    fusable = list(
        session.scalars(
            select(EventRow)
            .where(EventRow.incident_id.is_(None), ~_unfusable())
            .order_by(EventRow.id)
        )
    )
    counts = FuseCounts()
    links = UnionFind()
    touched_incidents: set[str] = set()
    for row in fusable:
        item = item_of(row)
        links.find(row.id)
        for other in _candidates(session, item):
            if other.incident_id is not None and other.incident_id in touched_incidents:
                if links.find(other.id) == links.find(row.id):
                    continue  # already joined through another member of that incident
            if same_incident(item, item_of(other)):
                links.union(row.id, other.id)
                if other.incident_id is not None:
                    touched_incidents.add(other.incident_id)
    if not fusable:
        return counts
    # members of touched incidents join their new component
    members_of: dict[str, list[EventRow]] = {}
    for incident in touched_incidents:
        members = list(session.scalars(select(EventRow).where(EventRow.incident_id == incident)))
        members_of[incident] = members
        for member in members[1:]:
            links.union(members[0].id, member.id)
    rows_by_id = {row.id: row for row in fusable}
    for members in members_of.values():
        rows_by_id.update({m.id: m for m in members})
    groups = links.groups(rows_by_id)
    for keys in groups.values():
        _assign(session, [rows_by_id[k] for k in keys])
        counts.incidents_changed += 1
    for old in touched_incidents:
        if session.scalar(select(EventRow.id).where(EventRow.incident_id == old).limit(1)) is None:
            session.execute(IncidentRow.__table__.delete().where(IncidentRow.id == old))
    counts.events = len(fusable)
    return counts


def _assign(session: Session, members: Sequence[EventRow]) -> None:
    from rasd.fuse.summary import summarise

    new_id = incident_id(m.id for m in members)
    incident = session.get(IncidentRow, new_id)
    if incident is None:
        incident = IncidentRow(id=new_id, type=members[0].type)
        session.add(incident)
    for member in members:
        member.incident_id = new_id
    session.flush()
    summarise(incident, members)


def rebuild(session: Session) -> FuseCounts:
    """Forget every incident and fuse all stored events again."""
    session.execute(update(EventRow).values(incident_id=None))
    session.execute(IncidentRow.__table__.delete())
    session.flush()
    return fuse_pending(session)


