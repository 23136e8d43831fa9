"""When a predicted field is right, and which predicted event answers which gold event.

The rules are spec/gold-format.md's, word for word:

- date: the predicted start lies inside the gold range at the gold precision (same day; same
  month; same year; within 3 days for week); a gold date with `date_knowable: false` is not
  scored;
- country: equal ISO3 codes, scored where the gold has one;
- place: the same name or alternative name after normalisation (case, Arabic diacritics and
  letter forms, a leading al-/ال/the), or within 25 km of the gold coordinates;
- pairing: per document and type, greedily, best attribute agreement first — date counts
  most, then country, place, actor1 sector.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from rasd.evaluate.records import Place, ScoredEvent, When
from rasd.text.normalize import normalize_term

PLACE_KM = 25.0
WEEK_DAYS = 3

# Pairing weights: each outweighs all that follow put together, so agreement is compared
# lexicographically — date first, then country, place, actor1 sector.
_WEIGHTS = {"date": 8, "country": 4, "place": 2, "actor1_sector": 1}

# A leading article: English "the", Arabic "al-"/"al " in transliteration, Arabic ال.
_ARTICLE = re.compile(r"^(?:the\s+|al-\s*|al\s+|ال)")


# --- dates ---------------------------------------------------------------------------------


def date_right(predicted: When | None, gold: When) -> bool:
    """Does the predicted start lie inside the gold range at the gold precision?"""
    if predicted is None:
        return False
    day, first, last = predicted.start, gold.start, gold.last
    if gold.precision == "week":
        return first - dt.timedelta(days=WEEK_DAYS) <= day <= last + dt.timedelta(days=WEEK_DAYS)
    if gold.precision == "month":
        return (first.year, first.month) <= (day.year, day.month) <= (last.year, last.month)
    if gold.precision == "year":
        return first.year <= day.year <= last.year
    return first <= day <= last


def date_scored(gold: ScoredEvent) -> bool:
    """The gold date counts: the annotator could fix it from the text, header or URL."""
    return gold.date_knowable and gold.date is not None


# --- places --------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def place_key(name: str) -> str:
    """A place name folded for comparison: case, diacritics, letter forms, leading article."""
    key = normalize_term(name)
    while True:
        stripped = _ARTICLE.sub("", key, count=1).strip()
        if stripped == key or not stripped:
            return key
        key = stripped


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def near(a: Place, b: Place, km: float = PLACE_KM) -> bool:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return False
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= km  # type: ignore[arg-type]


def place_right(predicted: Place | None, gold: Place) -> bool:
    """Same name or alternative name after normalisation, or within 25 km of the gold."""
    if predicted is None:
        return False
    if predicted.name:
        key = place_key(predicted.name)
        if any(place_key(name) == key for name in gold.names()):
            return True
    return near(predicted, gold)


def same_place(a: Place | None, b: Place | None) -> bool:
    """Two gold places are one: a shared name or alternative name, or within 25 km."""
    if a is None or b is None:
        return False
    keys = {place_key(n) for n in a.names()}
    return any(place_key(n) in keys for n in b.names()) or near(a, b)


def country_right(predicted: Place | None, gold: Place) -> bool:
    return predicted is not None and predicted.country == gold.country


# --- one pair ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    """How a predicted event fares against the gold event it is paired with.

    Each check is True (right), False (wrong) or None (not scored: the gold gives nothing to
    check against, or its date is not knowable).
    """

    date: bool | None
    country: bool | None
    place: bool | None

    @property
    def strict(self) -> bool:
        return self.date is not False and self.country is not False

    @property
    def full(self) -> bool:
        return self.strict and self.place is not False


def verdict(predicted: ScoredEvent, gold: ScoredEvent) -> Verdict:
    date = date_right(predicted.date, gold.date) if date_scored(gold) else None  # type: ignore[arg-type]
    country = None
    place = None
    if gold.place is not None:
        if gold.place.country:
            country = country_right(predicted.place, gold.place)
        if gold.place.names() or gold.place.lat is not None:
            place = place_right(predicted.place, gold.place)
    return Verdict(date=date, country=country, place=place)


def agreement(predicted: ScoredEvent, gold: ScoredEvent) -> int:
    """How well two events of the same type agree, for choosing pairs (higher = better).

    The gold date counts here even when it is not knowable: it is still the annotator's
    best knowledge of when the event happened, and the best evidence of which is which.
    """
    score = 0
    if gold.date is not None and date_right(predicted.date, gold.date):
        score += _WEIGHTS["date"]
    if gold.place is not None:
        if gold.place.country and country_right(predicted.place, gold.place):
            score += _WEIGHTS["country"]
        if place_right(predicted.place, gold.place):
            score += _WEIGHTS["place"]
    if gold.actor1_sector and predicted.actor1_sector == gold.actor1_sector:
        score += _WEIGHTS["actor1_sector"]
    return score


def pair(
    predicted: list[ScoredEvent], gold: list[ScoredEvent]
) -> tuple[list[tuple[ScoredEvent, ScoredEvent]], list[ScoredEvent], list[ScoredEvent]]:
    """Greedy pairing of one document's events: (pairs, unpaired predicted, unpaired gold).

    Only events of the same type pair. Candidates are taken best agreement first; ties go to
    a non-background gold event, then to document order (gold first, then predicted), which
    makes the result deterministic.
    """
    candidates = [
        (-agreement(p, g), g.background, g.index, p.index, p, g)
        for p in predicted
        for g in gold
        if p.type == g.type
    ]
    candidates.sort(key=lambda c: c[:4])
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for *_, p, g in candidates:
        if p.index in used_p or g.index in used_g:
            continue
        used_p.add(p.index)
        used_g.add(g.index)
        pairs.append((p, g))
    pairs.sort(key=lambda pg: pg[1].index)
    return (
        pairs,
        [p for p in predicted if p.index not in used_p],
        [g for g in gold if g.index not in used_g],
    )
