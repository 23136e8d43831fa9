"""Fusion against the database: as documents arrive, or rebuilt from scratch.

Incidents never span blocks (type family × country), so when new reports arrive only
their blocks are fused again — from all the reports stored in them, with the same
`cluster` a rebuild uses. The outcome therefore depends only on what is stored, never on
the order it arrived in, and `rasd fuse --rebuild` gives the same incidents.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rasd.fuse.cluster import cluster
from rasd.fuse.rules import TYPE_FAMILY, FusionItem
from rasd.fuse.similarity import Similarity
from rasd.fuse.summary import summarise
from rasd.store.schema import EventRow, IncidentRow

log = logging.getLogger(__name__)


@dataclass(slots=True)
class FuseCounts:
    events: int = 0
    incidents_changed: int = 0


def item_of(row: EventRow) -> FusionItem:
    return FusionItem.from_row(row)


def _family_types(family: str) -> list[str]:
    return [t for t, f in TYPE_FAMILY.items() if f == family] or [family]


def _fusable():  # type: ignore[no-untyped-def]
    """Rows that take part in fusion: see FusionItem.fusable."""
    return (EventRow.background.is_(False)) & (EventRow.country.is_not(None))


def _pending_blocks(session: Session) -> set[tuple[str, str]]:
    rows = session.execute(
        select(EventRow.type, EventRow.country).where(EventRow.incident_id.is_(None), _fusable()).distinct()
    )
    return {(TYPE_FAMILY.get(t, t), c) for t, c in rows}


def _fuse_block(session: Session, family: str, country: str, similarity: Similarity) -> FuseCounts:
    rows = list(
        session.scalars(
            select(EventRow)
            .where(EventRow.type.in_(_family_types(family)), EventRow.country == country, _fusable())
            .order_by(EventRow.id)
        )
    )
    assignment = cluster([item_of(r) for r in rows], similarity)
    counts = FuseCounts()
    changed: set[str] = set()
    old: set[str] = set()
    for row in rows:
        new = assignment.get(row.id)
        if new != row.incident_id:
            if row.incident_id:
                old.add(row.incident_id)
            if new:
                changed.add(new)
            counts.events += 1
    members: dict[str, list[EventRow]] = defaultdict(list)
    for row in rows:
        if assignment.get(row.id) in changed:
            members[assignment[row.id]].append(row)
    for incident_id, group in members.items():
        incident = session.get(IncidentRow, incident_id)
        if incident is None:
            incident = IncidentRow(id=incident_id, type=group[0].type)
            session.add(incident)
            session.flush()
        for row in group:
            row.incident_id = incident_id
        summarise(incident, group)
    session.flush()
    for incident_id in old - set(assignment.values()):
        session.execute(IncidentRow.__table__.delete().where(IncidentRow.id == incident_id))
    counts.incidents_changed = len(members)
    return counts


def fuse_pending(session: Session, similarity: Similarity | None = None) -> FuseCounts:
    """Fuse again every block that has reports without an incident (the caller's transaction)."""
    similarity = similarity or Similarity()
    total = FuseCounts()
    for family, country in sorted(_pending_blocks(session)):
        counts = _fuse_block(session, family, country, similarity)
        total.events += counts.events
        total.incidents_changed += counts.incidents_changed
    return total


def rebuild(session: Session) -> FuseCounts:
    """Forget every incident and fuse all stored events again."""
    session.execute(update(EventRow).values(incident_id=None))
    session.execute(IncidentRow.__table__.delete())
    session.flush()
    return fuse_pending(session)

