"""Filtering stored events and incidents: one implementation for the CLI, the API and exports.

A `Filter` becomes a SQL WHERE clause that works the same on SQLite and PostgreSQL.
`--near` is a bounding box in SQL refined by the great-circle distance in Python; `--text`
matches Arabic-normalised evidence (diacritics and letter variants folded).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from rasd.geo import distance_km
from rasd.store.schema import EventRow, IncidentRow
from rasd.text.normalize import normalize_term

MAX_LIMIT = 10_000
EARTH_KM_PER_DEGREE = 111.2


class FilterError(ValueError):
    """A filter value that makes no sense (negative km, since after until, ...)."""


@dataclass(frozen=True, slots=True)
class Near:
    lat: float
    lon: float
    km: float

    def __post_init__(self) -> None:
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise FilterError(f"near: {self.lat},{self.lon} is not a latitude,longitude")
        if not (0 < self.km <= 20_000):
            raise FilterError(f"km must be between 0 and 20000, not {self.km}")

    @classmethod
    def parse(cls, text: str, km: float) -> "Near":
        try:
            lat, lon = (float(part) for part in text.split(","))
        except ValueError as error:
            raise FilterError(f"near must be LAT,LON, not {text!r}") from error
        return cls(lat, lon, km)

    def contains(self, lat: float | None, lon: float | None) -> bool:
        if lat is None or lon is None:
            return False
        return distance_km(self.lat, self.lon, lat, lon) <= self.km


@dataclass(frozen=True, slots=True)
class Filter:
    countries: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    acled_event_types: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    text: str | None = None
    near: Near | None = None
    min_fatalities: int | None = None
    languages: tuple[str, ...] = ()
    updated_since: dt.datetime | None = None
    include_background: bool = False
    document_id: str | None = None
    incident_id: str | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise FilterError(f"since ({self.since}) is after until ({self.until})")
        if self.min_fatalities is not None and self.min_fatalities < 0:
            raise FilterError("min_fatalities must not be negative")


@dataclass(frozen=True, slots=True)
class Page:
    limit: int = 100
    after: str | None = None  # cursor: the last id of the previous page

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise FilterError(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit}")


@dataclass(slots=True)
class Result:
    rows: list = field(default_factory=list)
    next_cursor: str | None = None


def _bounding_box(columns, near: Near):  # type: ignore[no-untyped-def]
    lat_col, lon_col = columns
    dlat = near.km / EARTH_KM_PER_DEGREE
    dlon = near.km / (EARTH_KM_PER_DEGREE * max(0.01, math.cos(math.radians(near.lat))))
    clauses = [lat_col.between(near.lat - dlat, near.lat + dlat)]
    if dlon < 180:
        low, high = near.lon - dlon, near.lon + dlon
        if low >= -180 and high <= 180:
            clauses.append(lon_col.between(low, high))
    return clauses


def _text_clause(text: str):  # type: ignore[no-untyped-def]
    needle = normalize_term(text)
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return EventRow.search_text.like(f"%{escaped}%", escape="\\")


def _shared_clauses(model, flt: Filter) -> list:  # type: ignore[no-untyped-def]
    """Clauses on the columns that events and incidents both have (same names)."""
    clauses = []
    if flt.countries:
        clauses.append(model.country.in_(flt.countries))
    if flt.types:
        clauses.append(model.type.in_(flt.types))
    if flt.acled_event_types:
        clauses.append(model.acled_event_type.in_(flt.acled_event_types))
    if flt.since:
        clauses.append(model.date_start >= flt.since)
    if flt.until:
        clauses.append(model.date_start <= flt.until)
    if flt.near:
        clauses.extend(_bounding_box((model.lat, model.lon), flt.near))
    if flt.min_fatalities is not None:
        clauses.append(model.fatalities >= flt.min_fatalities)
    if flt.updated_since:
        clauses.append(model.updated_at >= flt.updated_since)
    return clauses


def events_query(flt: Filter) -> Select:
    query = select(EventRow).where(*_shared_clauses(EventRow, flt))
    if not flt.include_background:
        query = query.where(EventRow.background.is_(False))
    if flt.text:
        query = query.where(_text_clause(flt.text))
    if flt.languages:
        query = query.where(EventRow.language.in_(flt.languages))
    if flt.document_id:
        query = query.where(EventRow.document_id == flt.document_id)
    if flt.incident_id:
        query = query.where(EventRow.incident_id == flt.incident_id)
    return query


def incidents_query(flt: Filter) -> Select:
    query = select(IncidentRow).where(*_shared_clauses(IncidentRow, flt))
    member = select(EventRow.id).where(EventRow.incident_id == IncidentRow.id)
    if flt.text:
        query = query.where(exists(member.where(_text_clause(flt.text))))
    if flt.languages:
        query = query.where(exists(member.where(EventRow.language.in_(flt.languages))))
    return query


def _paged(session: Session, query: Select, id_column, page: Page, near: Near | None) -> Result:  # type: ignore[no-untyped-def]
    """One page in id order. With `near`, the SQL bounding box is refined in Python, reading
    the rows a window at a time until the page is full or the rows run out."""
    rows: list = []
    after = page.after
    window = page.limit if near is None else 4 * page.limit
    while True:
        windowed = query.order_by(id_column).limit(window)
        if after:
            windowed = windowed.where(id_column > after)
        batch = list(session.scalars(windowed))
        for row in batch:
            after = row.id
            if near is None or near.contains(row.lat, row.lon):
                rows.append(row)
                if len(rows) == page.limit:
                    return Result(rows, after)
        if len(batch) < window:
            return Result(rows, None)


def find_events(session: Session, flt: Filter, page: Page = Page()) -> Result:
    return _paged(session, events_query(flt), EventRow.id, page, flt.near)


def find_incidents(session: Session, flt: Filter, page: Page = Page()) -> Result:
    return _paged(session, incidents_query(flt), IncidentRow.id, page, flt.near)


def iter_all(session: Session, flt: Filter, incidents: bool = False) -> Iterator:
    """Every matching row, page by page (for exports)."""
    page = Page(limit=1000)
    finder = find_incidents if incidents else find_events
    while True:
        result = finder(session, flt, page)
        yield from result.rows
        if result.next_cursor is None:
            return
        page = Page(limit=1000, after=result.next_cursor)


def parse_date(value: str | None, name: str, *, end: bool = False) -> dt.date | None:
    """YYYY, YYYY-MM or YYYY-MM-DD: the first day of that period, or its last with `end`."""
    if not value:
        return None
    parts: Sequence[str] = value.split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            return dt.date(numbers[0], 12, 31) if end else dt.date(numbers[0], 1, 1)
        if len(numbers) == 2:
            first = dt.date(numbers[0], numbers[1], 1)
            if not end:
                return first
            following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return following - dt.timedelta(days=1)
        if len(numbers) == 3:
            return dt.date(*numbers)
    except ValueError:
        pass
    raise FilterError(f"{name}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
