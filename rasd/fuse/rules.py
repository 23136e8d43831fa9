"""When do two event reports describe the same real-world incident?

The decision is pairwise and symmetric, so that incidents — the connected components of
"same incident" links — do not depend on the order in which documents arrive.
Blocking keys (type family, country, date) keep the number of pairs small; the decision
then looks at dates, places, actors and mode.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
        )

    @property
    def family(self) -> str:
        return TYPE_FAMILY.get(self.type, self.type)

    @property
    def fusable(self) -> bool:
        """Only dated, located, non-background reports are fused."""
        return not self.background and self.date_start is not None and self.country is not None

    def block(self) -> tuple[str, str]:
        assert self.country is not None
        return self.family, self.country


def _span(item: FusionItem) -> tuple[dt.date, dt.date]:
    assert item.date_start is not None
    return item.date_start, item.date_end or item.date_start


def dates_agree(a: FusionItem, b: FusionItem) -> bool:
    """Same day when both are day-precise; overlapping ranges otherwise."""
    if a.date_precision == "day" and b.date_precision == "day":
        return a.date_start == b.date_start
    (a0, a1), (b0, b1) = _span(a), _span(b)
    return a0 <= b1 and b0 <= a1


def places_agree(a: FusionItem, b: FusionItem) -> bool:
    if a.country != b.country:
        return False
    coarse_a = a.place_precision in COARSE_PRECISIONS or a.lat is None
    coarse_b = b.place_precision in COARSE_PRECISIONS or b.lat is None
    if not coarse_a and not coarse_b:
        assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
        return distance_km(a.lat, a.lon, b.lat, b.lon) <= PLACE_KM
    # containment: a coarse place agrees with anything inside it
    if a.place_precision == "country" or b.place_precision == "country":
        return True
    if a.admin1 and b.admin1:
        return a.admin1 == b.admin1
    return True


def actors_agree(a: FusionItem, b: FusionItem) -> bool:
    """Known sectors of the target must not contradict each other."""
    if a.family != "violence" and a.actor1 and b.actor1 and a.actor1 != b.actor1:
        return False  # verbal events: a condemnation by the US is not one by the UN
    return not (a.actor2_sector and b.actor2_sector and a.actor2_sector != b.actor2_sector
                and a.family not in ("violence", "protest"))


def modes_agree(a: FusionItem, b: FusionItem) -> bool:
    if a.type != b.type:
        return True  # ASSAULT vs FIGHT modes are not comparable
    return a.mode is None or b.mode is None or a.mode == b.mode or a.type in ("PROTEST",)


def same_incident(a: FusionItem, b: FusionItem) -> bool:
    """Symmetric decision: do these two reports describe one incident?"""
    if a.key == b.key or a.document_id == b.document_id:
        return False  # within a document, extraction already merged mentions
    if not (a.fusable and b.fusable) or a.block() != b.block():
        return False
    return dates_agree(a, b) and places_agree(a, b) and actors_agree(a, b) and modes_agree(a, b)
