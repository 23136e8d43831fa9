"""Time expressions: where a text says when, and the calendar dates that means.

`find_times` tags each annotatable segment with the grammar of `timex_tagger` (driven by
the language pack's calendar.tsv and time_words.tsv) and resolves every expression
against the document's publication date with `timex_resolve`, whose docstring states
the conventions (same-day weekdays, "last month" is a month, coarse publication dates,
no publication date). No general date-search library runs over the text: the tagger is
linear in the text and costs microseconds per sentence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rasd.annotate.timex_lexicon import pack_language
from rasd.annotate.timex_resolve import resolve
from rasd.annotate.timex_tagger import Timex, tag_text
from rasd.annotate.tokens import Piece, pieces, tokens_of
from rasd.document import PublicationDate

if TYPE_CHECKING:
    from rasd.text import PreparedDocument


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression in the original text and the range of dates it resolves to."""

    start: int
    end: int
    text: str  # span of the ORIGINAL text
    start_date: dt.date | None  # resolved range, None when unresolvable
    end_date: dt.date | None
    precision: str | None  # "day" | "week" | "month" | "year" | None (several units, or unresolved)
    kind: str  # "absolute" | "relative" | "weekday" | "part_of_day" | "duration" | "range"
    reason: str  # rule that matched + how it was resolved
    future: bool = False  # "next Friday", "غدا", future tense


def find_times(prepared: "PreparedDocument") -> list[TimeMention]:
    """Time expressions in the document's annotatable segments, resolved against
    `prepared.published` (None: relative expressions stay unresolved)."""
    published = getattr(prepared, "published", None)
    found: list[TimeMention] = []
    for piece in pieces(prepared):
        found.extend(_times_in(piece, published))
    return found


def resolve_text(text: str, language: str, published: PublicationDate | None) -> list[TimeMention]:
    """Time expressions in a bare text of the given language (for tests and the Python API)."""
    return _times_in(Piece(0, text, language, language), published)


def _times_in(piece: Piece, published: PublicationDate | None) -> list[TimeMention]:
    language = pack_language("time_words", piece.language, piece.fallback)
    timexes = tag_text(piece.text, language)
    if not timexes:
        return []
    tokens = tokens_of(piece.text)
    mentions = []
    for timex in timexes:
        start, end = tokens.original_span(timex.first, timex.last, timex.shift)
        mentions.append(_mention(timex, piece, start, end, published))
    return mentions


def _mention(timex: Timex, piece: Piece, start: int, end: int, published: PublicationDate | None) -> TimeMention:
    resolved = resolve(timex, published)
    return TimeMention(
        start=piece.start + start,
        end=piece.start + end,
        text=piece.text[start:end],
        start_date=resolved.start,
        end_date=resolved.end,
        precision=resolved.precision,
        kind=timex.kind,
        reason=resolved.reason,
        future=resolved.future,
    )
