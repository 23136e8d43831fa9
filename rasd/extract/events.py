"""From clusters of mentions to event records: defaults, coding, evidence, confidence.

- an attack with no named doer is by an "unidentified armed group" (REB), a strike by
  unnamed warplanes by an air force (MIL); a protest's doers are protesters (CVL), an arrest's
  the security forces (POL) — as the annotation guide asks;
- a condemnation of an attack targets the attack's perpetrator;
- an event without its own date takes the document's news day; a core event without its own
  place takes the document's main place;
- ACLED and CAMEO codes come from `rasd.taxonomy` (PLOVER type + mode + who was targeted);
- every filled field records its rule and spans (`provenance`), and the event its evidence.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasd.event import Actor, Event, EventDate, Evidence, Location, Provenance
from rasd.extract.confidence import confidence
from rasd.extract.merge import Cluster
from rasd.extract.mention import Role
from rasd.taxonomy import code, modes

CORE = frozenset({"ASSAULT", "FIGHT", "PROTEST", "COERCE"})
PLACED_TYPES = CORE | {"MOBILIZE"}
_AIR_WEAPONS = frozenset({"aircraft", "helicopter"})
MAX_SPANS = 25  # trigger spans listed per event (an event told a thousand times lists the first)


def default_actor1(cluster: Cluster, country: str | None) -> Role | None:
    kind = cluster.type
    if kind == "ASSAULT":
        if cluster.weapon in _AIR_WEAPONS:
            return Role(Actor("", "unidentified air force", "MIL", None), "default doer of an air strike",
                        sector_known=False)
        return Role(Actor("", "unidentified armed group", "REB", None), "default doer of an attack",
                    sector_known=False)
    if kind == "FIGHT":
        return Role(Actor("", "unidentified armed group", "REB", None), "default side of a clash",
                    sector_known=False)
    if kind == "PROTEST":
        return Role(Actor("", "protesters", "CVL", country), "default doers of a protest", sector_known=False)
    if kind in ("COERCE", "MOBILIZE"):
        return Role(Actor("", "security forces", "POL", country), "default doers of coercion",
                    sector_known=False)
    return None


def _date(time: Any) -> EventDate | None:
    if time is None or getattr(time, "start_date", None) is None:
        return None
    precision = getattr(time, "precision", None) or "day"
    end = getattr(time, "end_date", None)
    end_text = end.isoformat() if end is not None and end != time.start_date and precision == "day" else None
    return EventDate(time.start_date.isoformat(), end_text, precision)


def _location(place: Any) -> Location | None:
    if place is None:
        return None
    precision = place.precision if place.precision in ("site", "city", "admin1", "admin2", "country") else "city"
    return Location(
        name=place.name,
        geonameid=place.geonameid,
        admin1=place.admin1,
        country=place.country,
        lat=place.lat,
        lon=place.lon,
        precision=precision,
    )


def _evidence(text: str, start: int, end: int, name: str) -> Evidence:
    return Evidence(start, end, text[start:end], name)


def _post_day(cluster: Cluster) -> dt.date | None:
    """The earliest date of an embedded post that tells of the event: it happened by then."""
    days = []
    for m in cluster.mentions:
        post = m.sentence.post
        value = getattr(post, "date", None) if post is not None else None
        if value:
            try:
                days.append(dt.date.fromisoformat(str(value)[:10]))
            except ValueError:
                continue
    return min(days) if days else None


def _valid_mode(kind: str, mode: str | None) -> str | None:
    if mode is None:
        return None
    allowed = modes(kind)
    if mode in allowed:
        return mode
    return "other" if "other" in allowed else None


def to_event(cluster: Cluster, text: str, day: dt.date | None, day_rule: str, published: Any,
             main_place: Any, main_place_rule: str) -> Event:
    first = cluster.first
    provenance: dict[str, Provenance] = {}
    evidence: list[Evidence] = [
        _evidence(text, first.sentence.start, first.sentence.end, "sentence")
    ]
    shown = cluster.mentions[:MAX_SPANS]
    for m in shown:
        evidence.append(_evidence(text, m.trigger.start, m.trigger.end, "trigger"))
    provenance["type"] = Provenance(
        f"trigger '{first.trigger.entry}' ({first.trigger.form}) in {first.trigger.language} lexicon"
        + (f"; {len(cluster.mentions)} mentions" if len(cluster.mentions) > MAX_SPANS else ""),
        [(m.trigger.start, m.trigger.end) for m in shown],
    )

    place = cluster.place
    if place is not None:
        provenance["location"] = Provenance(cluster.place_rule or "place of the event", [(place.start, place.end)])
        evidence.append(_evidence(text, place.start, place.end, "location"))
    elif main_place is not None and not cluster.background:
        place = main_place
        provenance["location"] = Provenance(main_place_rule, [(place.start, place.end)])
    location = _location(place)
    country = location.country if location else None

    date = _date(cluster.time)
    if date is not None:
        provenance["date"] = Provenance(cluster.time_rule or "time of the event", [(cluster.time.start, cluster.time.end)])
        evidence.append(_evidence(text, cluster.time.start, cluster.time.end, "date"))
    elif (post_day := _post_day(cluster)) is not None and (day is None or post_day <= day):
        date = EventDate(post_day.isoformat(), None, "day")
        provenance["date"] = Provenance("no date of its own: the date of the post that reports it", [])
    elif day is not None:
        date = EventDate(day.isoformat(), None, "day")
        provenance["date"] = Provenance(f"no date of its own: the news day ({day_rule})", [])
    elif published is not None:
        precision = str(getattr(published, "precision", "month")).split(".")[-1].lower()
        date = EventDate(published.value.isoformat(), None, precision if precision in ("month", "year", "week") else "month")
        provenance["date"] = Provenance("no date of its own: the publication date", [])

    actor1 = cluster.actor1 or default_actor1(cluster, country)
    actor2 = cluster.actor2
    for name, role in (("actor1", actor1), ("actor2", actor2)):
        if role is not None:
            provenance[name] = Provenance(role.rule, list(role.spans))
            for start, end in role.spans:
                evidence.append(_evidence(text, start, end, name))

    mode = _valid_mode(cluster.type, cluster.mode)
    if mode:
        provenance["mode"] = Provenance(cluster.mode_rule or "trigger mode", [])
    if cluster.weapon:
        provenance["weapon"] = Provenance("weapon in the trigger's clause", [cluster.weapon_span] if cluster.weapon_span else [])
    for name, count in (("fatalities", cluster.fatalities), ("injured", cluster.injured)):
        if count is not None:
            provenance[name] = Provenance(count.rule, list(count.spans))
            for start, end in count.spans:
                evidence.append(_evidence(text, start, end, name))
    if cluster.background:
        provenance["background"] = Provenance(cluster.background, [])

    fatalities = cluster.fatalities.value if cluster.fatalities else None
    coding = code(
        cluster.type,
        mode,
        target_sector=actor2.actor.sector if actor2 else None,
        actor_sector=actor1.actor.sector if actor1 else None,
        intervention=cluster.intervention,
        fatalities=fatalities,
    )
    event = Event(
        type=cluster.type,
        mode=mode,
        acled_event_type=coding.acled_event_type,
        acled_sub_event_type=coding.acled_sub_event_type,
        cameo=coding.cameo,
        date=date,
        location=location,
        actor1=actor1.actor if actor1 else None,
        actor2=actor2.actor if actor2 else None,
        fatalities=fatalities,
        injured=cluster.injured.value if cluster.injured else None,
        weapon=cluster.weapon,
        background=bool(cluster.background),
        evidence=_dedupe(evidence),
        language=first.trigger.language or None,
        provenance=provenance,
    )
    event.confidence = confidence(cluster, actor1)
    return event


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[int, int, str | None]] = set()
    kept = []
    for item in evidence:
        key = (item.start, item.end, item.field)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept
