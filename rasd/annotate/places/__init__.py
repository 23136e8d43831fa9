"""Places: an offline gazetteer and place recognition/disambiguation in Arabic and English.

`find_places(prepared)` returns every place mention of the document's body, post, quote
and caption segments (not boilerplate), in text order, each resolved to one gazetteer
entry with coordinates and the reason it was chosen. Nationality words (العراقي, Iraqi)
come back as country mentions with `demonym=True`.

The gazetteer (GeoNames data from PyPI packages + our supplement) is indexed once into
$RASD_CACHE (default ~/.cache/rasd) on first use or by `rasd gazetteer build`; `gazetteer()`
returns the loaded index, whose `lookup(name, country=None)` resolves a name directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rasd.annotate.places.gazetteer import Candidate, Gazetteer, gazetteer

if TYPE_CHECKING:
    from rasd.text import PreparedDocument

__all__ = ["Candidate", "Gazetteer", "PlaceMention", "find_places", "find_places_in_text", "gazetteer"]

SCANNED = frozenset({"body", "post", "quote", "caption"})


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int  # span of the ORIGINAL text
    end: int
    text: str
    name: str  # English canonical name
    geonameid: int | str | None  # GeoNames id, or the supplement's id ("rasd:green-zone")
    admin1: str | None  # English name of the province/governorate
    admin2: str | None
    country: str | None  # ISO 3166-1 alpha-3
    lat: float | None
    lon: float | None
    precision: str  # site | city | admin2 | admin1 | country
    population: int
    parent: str | None  # containing city/admin1 name for sites/neighbourhoods
    reason: str  # why this reading was chosen (rule/prior used)
    demonym: bool = False  # True when the mention is a nationality adjective implying a country


def _kind(segment) -> str:
    kind = getattr(segment, "kind", "body")
    return str(getattr(kind, "value", kind))


def find_places_in_text(text: str, spans: list[tuple[int, int]] | None = None) -> list[PlaceMention]:
    """Place mentions in `text` (or in the given (start, end) spans of it), in text order."""
    from rasd.annotate.places.lexicon import lexicon
    from rasd.annotate.places.recognize import find_matches, tokenize
    from rasd.annotate.places.resolve import resolve

    if spans is None:
        spans = [(0, len(text))]
    gaz = gazetteer()
    lex = lexicon()
    tokens = tokenize(text, spans)
    matches = find_matches(tokens, gaz, lex)
    out = []
    for reading in resolve(matches, tokens, text, gaz, lex):
        m, c = reading.match, reading.candidate
        out.append(
            PlaceMention(
                start=m.start, end=m.end, text=text[m.start : m.end], name=c.name,
                geonameid=c.geonameid, admin1=c.admin1, admin2=c.admin2, country=c.country,
                lat=c.lat, lon=c.lon, precision=c.precision, population=c.population,
                parent=c.parent, reason=reading.reason, demonym=m.demonym is not None,
            )
        )
    return out


def find_places(prepared: "PreparedDocument") -> list[PlaceMention]:
    """Place mentions of a prepared document's body/post/quote/caption segments, in text order."""
    text = prepared.document.text
    segments = getattr(prepared, "segments", None)
    if not segments:
        spans = [(0, len(text))]
    else:
        spans = sorted((s.start, s.end) for s in segments if _kind(s) in SCANNED)
    return find_places_in_text(text, spans)
