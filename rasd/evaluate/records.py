"""Gold and predicted documents, read into one shape the scorer compares.

Gold lines follow spec/gold-format.md, prediction lines are `rasd extract --format jsonl`
output (spec/event-record.md). Both become `ScoredDocument`s holding `ScoredEvent`s, so the
pairing and scoring code never looks at raw JSON. A malformed gold or prediction line is an
`EvalInputError` naming the file and line: scoring against half a file would mislead.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGE_GROUPS = ("ar", "en", "other")


class EvalInputError(ValueError):
    """A gold or prediction file that cannot be scored (names the file and line)."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where an event happened, as far as scoring needs it."""

    name: str | None
    alt_names: tuple[str, ...] = ()
    country: str | None = None  # ISO3, upper case
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None

    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.name, *self.alt_names) if n)


@dataclass(frozen=True, slots=True)
class When:
    """An event date: a day range and the precision it is known at."""

    start: dt.date
    end: dt.date | None
    precision: str  # day | week | month | year

    @property
    def last(self) -> dt.date:
        return self.end if self.end and self.end >= self.start else self.start

    def iso(self) -> str:
        text = self.start.isoformat()
        if self.end and self.end != self.start:
            text += f"..{self.end.isoformat()}"
        return f"{text} ({self.precision})"


@dataclass(frozen=True, slots=True)
class ScoredEvent:
    """One gold or predicted event with the fields the scorer compares."""

    index: int  # position in its document's `events` list
    type: str
    mode: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    date: When | None = None
    date_knowable: bool = True  # gold only: False = the date is not scored
    place: Place | None = None
    actor1_sector: str | None = None
    actor2_sector: str | None = None
    actor1_name: str | None = None
    actor2_name: str | None = None
    fatalities: int | None = None
    injured: int | None = None
    background: bool = False
    evidence: str = ""
    incident: str | None = None  # predicted only: an incident id, when the input carries one


@dataclass(slots=True)
class ScoredDocument:
    """A document's events (gold or predicted) and its document-level facts."""

    id: str
    events: list[ScoredEvent] = field(default_factory=list)
    published: str | None = None  # "YYYY-MM-DD" | "YYYY-MM" | "YYYY" | None
    relevant: bool | None = None  # gold only
    lang: str | None = None  # gold: the `lang` field; predicted: the detected `language`
    error: str | None = None  # predicted only: why the pipeline failed on it

    @property
    def group(self) -> str:
        """Language group for the per-language split: ar, en or other."""
        return self.lang if self.lang in ("ar", "en") else "other"


# --- field parsing ---------------------------------------------------------------------


def parse_day(value: Any) -> tuple[dt.date, str] | None:
    """A date string at day, month or year precision -> (first day, precision); else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text), "day"
        if len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:7]), 1), "month"
        if len(text) == 4:
            return dt.date(int(text), 1, 1), "year"
    except ValueError:
        return None
    return None


def _when(value: Any) -> When | None:
    if not isinstance(value, dict):
        return None
    start = parse_day(value.get("start"))
    if start is None:
        return None
    end = parse_day(value.get("end"))
    precision = value.get("precision") or start[1]
    if precision not in ("day", "week", "month", "year"):
        precision = start[1]
    return When(start[0], end[0] if end else None, str(precision))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _upper(value: Any) -> str | None:
    text = _text(value)
    return text.upper() if text else None


def _place(value: Any) -> Place | None:
    if not isinstance(value, dict):
        return None
    alt = value.get("alt_names") or ()
    return Place(
        name=_text(value.get("name")),
        alt_names=tuple(a for a in (_text(x) for x in alt) if a) if isinstance(alt, list) else (),
        country=_upper(value.get("country")),
        lat=_number(value.get("lat")),
        lon=_number(value.get("lon")),
        precision=_text(value.get("precision")),
    )


def _actor(value: Any) -> tuple[str | None, str | None]:
    if not isinstance(value, dict):
        return None, None
    return _upper(value.get("sector")), _text(value.get("name")) or _text(value.get("text"))


def _evidence(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = [e.get("text", "") if isinstance(e, dict) else str(e) for e in value]
        return " … ".join(p for p in parts if p)
    return ""


def event_from_record(record: dict[str, Any], index: int) -> ScoredEvent:
    """A gold event or a predicted event record (either shape of the ACLED fields)."""
    acled = record.get("acled")
    if isinstance(acled, dict):
        acled_type, acled_sub = _text(acled.get("event_type")), _text(acled.get("sub_event_type"))
    else:
        acled_type = _text(record.get("acled_event_type"))
        acled_sub = _text(record.get("acled_sub_event_type"))
    actor1_sector, actor1_name = _actor(record.get("actor1"))
    actor2_sector, actor2_name = _actor(record.get("actor2"))
    mode = _text(record.get("mode"))
    incident = record.get("incident")
    return ScoredEvent(
        index=index,
        type=_upper(record.get("type")) or "",
        mode=mode.lower() if mode else None,
        acled_event_type=acled_type,
        acled_sub_event_type=acled_sub,
        date=_when(record.get("date")),
        date_knowable=record.get("date_knowable", True) is not False,
        place=_place(record.get("location")),
        actor1_sector=actor1_sector,
        actor2_sector=actor2_sector,
        actor1_name=actor1_name,
        actor2_name=actor2_name,
        fatalities=_count(record.get("fatalities")),
        injured=_count(record.get("injured")),
        background=record.get("background") is True,
        evidence=_evidence(record.get("evidence")),
        incident=str(incident) if incident not in (None, "") else None,
    )


# --- whole lines -------------------------------------------------------------------------


def _events(record: dict[str, Any], where: str) -> list[ScoredEvent]:
    events = record.get("events") or []
    if not isinstance(events, list):
        raise EvalInputError(f"{where}: `events` must be a list")
    out = []
    for index, event in enumerate(events):
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise EvalInputError(f"{where}: event {index} has no `type`")
        out.append(event_from_record(event, index))
    return out


def gold_from_record(record: dict[str, Any], where: str = "<gold>") -> ScoredDocument:
    """One gold line (spec/gold-format.md)."""
    if not isinstance(record, dict) or not isinstance(record.get("id"), str | int):
        raise EvalInputError(f"{where}: a gold line needs an `id`")
    events = _events(record, where)
    relevant = record.get("relevant")
    if not isinstance(relevant, bool):  # the spec requires it; infer rather than fail
        relevant = any(not e.background for e in events)
    published = record.get("published")
    return ScoredDocument(
        id=str(record["id"]),
        events=events,
        published=published if isinstance(published, str) and published else None,
        relevant=relevant,
        lang=_text(record.get("lang")),
    )


def prediction_from_record(record: dict[str, Any], where: str = "<predictions>") -> ScoredDocument:
    """One `rasd extract --format jsonl` line (spec/event-record.md)."""
    if not isinstance(record, dict) or not isinstance(record.get("id"), str | int):
        raise EvalInputError(f"{where}: a prediction line needs an `id`")
    error = record.get("error")
    published = record.get("published")
    return ScoredDocument(
        id=str(record["id"]),
        events=[] if error else _events(record, where),
        published=published if isinstance(published, str) and published else None,
        lang=_text(record.get("language")),
        error=str(error) if error else None,
    )


def _json_lines(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise EvalInputError(f"{path}: cannot read: {error.strerror or error}") from error
    with handle:
        try:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                where = f"{path}:line {number}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise EvalInputError(f"{where}: not JSON ({error.msg})") from error
                yield where, record
        except UnicodeDecodeError as error:
            raise EvalInputError(f"{path}: not UTF-8 ({error.reason})") from error


def _unique(documents: Iterable[ScoredDocument], path: Path) -> list[ScoredDocument]:
    seen: set[str] = set()
    out = []
    for document in documents:
        if document.id in seen:
            raise EvalInputError(f"{path}: document id {document.id!r} appears twice")
        seen.add(document.id)
        out.append(document)
    return out


def load_gold(path: str | Path) -> list[ScoredDocument]:
    """Every document of a gold JSON Lines file, in file order."""
    path = Path(path)
    return _unique((gold_from_record(r, w) for w, r in _json_lines(path)), path)


def load_predictions(path: str | Path) -> list[ScoredDocument]:
    """Every document of a predictions JSON Lines file (`rasd extract --format jsonl`)."""
    path = Path(path)
    return _unique((prediction_from_record(r, w) for w, r in _json_lines(path)), path)


def gold_as_prediction_record(record: dict[str, Any]) -> dict[str, Any]:
    """A gold line rewritten as the prediction line a perfect extractor would print.

    Used to check the scorer itself (the gold scored against itself must give 1.0).
    """
    events = []
    for event in record.get("events") or []:
        acled = event.get("acled") or {}
        location = event.get("location")
        events.append(
            {
                "type": event.get("type"),
                "mode": event.get("mode"),
                "acled_event_type": acled.get("event_type"),
                "acled_sub_event_type": acled.get("sub_event_type"),
                "cameo": None,
                "date": event.get("date"),
                "location": None
                if location is None
                else {k: v for k, v in location.items() if k != "alt_names"} | {"geonameid": None},
                "actor1": _gold_actor(event.get("actor1")),
                "actor2": _gold_actor(event.get("actor2")),
                "fatalities": event.get("fatalities"),
                "injured": event.get("injured"),
                "weapon": None,
                "background": bool(event.get("background")),
                "evidence": [{"start": 0, "end": 0, "text": event.get("evidence") or ""}],
                "confidence": 1.0,
            }
        )
    return {
        "id": record.get("id"),
        "url": None,
        "published": record.get("published"),
        "language": record.get("lang"),
        "events": events,
        "quotes": [],
        "error": None,
    }


def _gold_actor(actor: Any) -> dict[str, Any] | None:
    if not isinstance(actor, dict):
        return None
    return {"text": actor.get("name"), **actor}
