"""When do two event reports describe the same real-world incident?

Two layers, both decided from the set of reports alone (so the result never depends on the
order in which documents arrive):

- reports dated to the day link pairwise (same type family, country and day, places within
  25 km or one containing the other, compatible actors); incidents are the connected
  components of those links;
- reports without a day (no publication date to resolve "on Sunday" against, or only a month)
  cannot be put on a day, so they join the one incident they are compatible with; where
  several are, the most similar evidence (multilingual sentence embeddings) decides, and
  where none stands out they stay apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rasd.geo import distance_km

if TYPE_CHECKING:
    from rasd.event import Event

# Types whose reports fuse with each other: an attack one outlet calls a strike and another a
# clash is still one incident.
TYPE_FAMILY: dict[str, str] = {
    "ASSAULT": "violence",
    "FIGHT": "violence",
    "PROTEST": "protest",
    "COERCE": "coerce",
}
PLACE_KM = 25.0
COARSE_PRECISIONS = {"admin2", "admin1", "country"}


@dataclass(frozen=True, slots=True)
class FusionItem:
    """What fusion needs to know of one event (built from a stored row or an Event)."""

    key: str  # the event id
    document_id: str
    type: str
    mode: str | None
    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: str | None
    country: str | None
    admin1: str | None
    place: str | None
    lat: float | None
    lon: float | None
    place_precision: str | None
    actor1: str | None  # canonical name
    actor1_sector: str | None
    actor2_sector: str | None
    background: bool = False
    text: str = ""  # the main evidence sentence, for similarity
    actor2: str | None = None

    @classmethod
    def from_event(cls, key: str, document_id: str, event: "Event") -> "FusionItem":
        location, date = event.location, event.date
        return cls(
            key=key,
            document_id=document_id,
            type=event.type,
            mode=event.mode,
            date_start=dt.date.fromisoformat(date.start) if date else None,
            date_end=dt.date.fromisoformat(date.end) if date and date.end else None,
            date_precision=date.precision if date else None,
            country=location.country if location else None,
            admin1=location.admin1 if location else None,
            place=location.name if location else None,
            lat=location.lat if location else None,
            lon=location.lon if location else None,
            place_precision=location.precision if location else None,
            actor1=event.actor1.name if event.actor1 else None,
            actor1_sector=event.actor1.sector if event.actor1 else None,
            actor2_sector=event.actor2.sector if event.actor2 else None,
            background=event.background,
            text=event.evidence[0].text if event.evidence else "",
            actor2=event.actor2.name if event.actor2 else None,
        )

    @classmethod
    def from_row(cls, row: Any) -> "FusionItem":
        """From anything with the `events` table's column names (ORM row, Spark row)."""
        record = row.record if isinstance(row.record, dict) else {}
        evidence = record.get("evidence") or [{}]
        return cls(
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
            background=bool(row.background),
            text=evidence[0].get("text", ""),
            actor2=row.actor2_name,
        )

    @property
    def facts(self) -> tuple:
        """Every field the rules read except the ids and the evidence text: reports with
        equal facts link, or not, to any other report alike."""
        return (self.type, self.mode, self.date_start, self.date_end, self.date_precision,
                self.country, self.admin1, self.place, self.lat, self.lon, self.place_precision,
                self.actor1, self.actor1_sector, self.actor2_sector, self.background, self.actor2)

    @property
    def family(self) -> str:
        return TYPE_FAMILY.get(self.type, self.type)

    @property
    def fusable(self) -> bool:
        """Background reports and reports with no country are never fused."""
        return not self.background and self.country is not None

    @property
    def on_a_day(self) -> bool:
        return self.date_precision == "day" and self.date_start is not None

    def block(self) -> tuple[str, str]:
        assert self.country is not None
        return self.family, self.country


def places_agree(a: FusionItem, b: FusionItem) -> bool:
    """Within 25 km, or one place contains the other."""
    if a.country != b.country:
        return False
    coarse_a = a.place_precision in COARSE_PRECISIONS or a.lat is None
    coarse_b = b.place_precision in COARSE_PRECISIONS or b.lat is None
    if not coarse_a and not coarse_b:
        assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
        return distance_km(a.lat, a.lon, b.lat, b.lon) <= PLACE_KM
    if a.place_precision == "country" or b.place_precision == "country":
        return True
    if a.admin1 and b.admin1:
        return a.admin1 == b.admin1
    return True


def actors_agree(a: FusionItem, b: FusionItem) -> bool:
    """For verbal and other non-core events the actor is the event: a condemnation by the
    US is not one by the UN. Violent and protest events are reported with many names for
    the same crowd or attacker, so actors never keep those apart."""
    if a.family in ("violence", "protest", "coerce"):
        return True
    return not (a.actor1 and b.actor1 and a.actor1 != b.actor1)


def dates_compatible(a: FusionItem, b: FusionItem) -> bool:
    """Undated reports fit any date; otherwise the ranges must overlap."""
    if a.date_start is None or b.date_start is None:
        return True
    a_end, b_end = a.date_end or a.date_start, b.date_end or b.date_start
    if a.date_precision == "year" or b.date_precision == "year":
        return a.date_start.year == b.date_start.year
    if a.date_precision == "month" and a.date_end is None:
        a_end = (a.date_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    if b.date_precision == "month" and b.date_end is None:
        b_end = (b.date_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return a.date_start <= b_end and b.date_start <= a_end


def compatible(a: FusionItem, b: FusionItem) -> bool:
    """Could these two reports be of one incident (ignoring how sure we are of the day)?"""
    if a.key == b.key or a.document_id == b.document_id:
        return False  # within a document, extraction already merged mentions
    if not (a.fusable and b.fusable) or a.block() != b.block():
        return False
    return places_agree(a, b) and actors_agree(a, b) and dates_compatible(a, b)


def affinity(a: FusionItem, b: FusionItem) -> int:
    """How specifically two compatible reports agree: the same named place counts most,
    then places within 25 km, then the same named target."""
    score = 0
    if a.place and a.place == b.place:
        score += 4
    elif (a.lat is not None and b.lat is not None and a.place_precision not in COARSE_PRECISIONS
          and b.place_precision not in COARSE_PRECISIONS):
        score += 2
    if a.actor2 and a.actor2 == b.actor2:
        score += 1
    return score


def same_incident(a: FusionItem, b: FusionItem) -> bool:
    """The pairwise link between two day-dated reports: same day and compatible."""
    return a.on_a_day and b.on_a_day and a.date_start == b.date_start and compatible(a, b)
