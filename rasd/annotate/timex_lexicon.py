"""The time words of one language, compiled once from its language pack.

Month and weekday names come from rasd/lang/<code>/calendar.tsv, everything else
(relative words, parts of the day, units, modifiers, cues) from time_words.tsv. Both are
merged into one phrase lexicon whose payloads say what each form is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rasd.annotate.number_words import NumberLexicon, number_lexicon
from rasd.annotate.tokens import PhraseLexicon, WordTable, term_tokens
from rasd.lang import table

_ORDERS = {"DMY", "MDY", "YMD"}
_ANCHOR_KINDS = ("month", "weekday", "relative_day", "part_today", "unit", "day_ordinal")


@dataclass(frozen=True, slots=True)
class TimeWord:
    """One form of the time lexicon. `number` is the value as an integer when it is one
    (month 1-12, weekday 0=Monday, day offset, ordinal day); `tag` is the raw value."""

    kind: str
    tag: str
    number: int | None = None
    weak: bool = False  # a calendar form that is also a common word (needs a cue or a number)


@dataclass(frozen=True, slots=True)
class TimeLexicon:
    language: str
    words: PhraseLexicon[TimeWord]
    date_order: str  # preferred order of numeric dates: DMY, MDY
    names_capitalised: bool  # month/weekday names are written with a capital (English)
    month_first: bool  # "January 15" is a way to write a date in this language
    week_start: int  # first day of the week, 0=Monday .. 6=Sunday
    numbers: NumberLexicon
    anchors: frozenset[str]  # a text needs a digit or one of these words to hold a time


def pack_language(name: str, language: str, fallback: str = "") -> str:
    """The language whose `name` table to use: the segment's, else the document's, else ""."""
    for code in (language, fallback):
        if code and table(code, name):
            return code
    return ""


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


@lru_cache(maxsize=None)
def time_lexicon(language: str) -> TimeLexicon:
    """The compiled time lexicon of `language` (empty when it has no pack)."""
    parts = WordTable.of(table(language, "time_words") if language else ())
    calendar = table(language, "calendar") if language else ()
    settings, prefixes = parts.settings, parts.prefixes
    weak = {term_tokens(form) for kind, _, form in parts.words if kind == "needs_cue"}
    entries = [(form, TimeWord(kind, value, _int(value))) for kind, value, form in parts.words if kind != "needs_cue"]
    for row in calendar:
        kind, value, form = row.get("kind", ""), row.get("value", ""), row.get("form", "")
        number = _int(value)
        if kind in ("month", "weekday") and form and number is not None:
            entries.append((form, TimeWord(kind, value, number, term_tokens(form) in weak)))
    order = settings.get("date_order", "DMY").upper()
    words = PhraseLexicon(entries, prefixes)
    return TimeLexicon(
        language=language,
        words=words,
        date_order=order if order in _ORDERS else "DMY",
        names_capitalised=settings.get("names_capitalised", "no").lower() == "yes",
        month_first=settings.get("month_first", "no").lower() == "yes",
        week_start=(_int(settings.get("week_start", "0")) or 0) % 7,
        numbers=number_lexicon(pack_language("numbers", language)),
        # every rule needs digits or one of these (see timex_tagger): month, weekday,
        # relative day, unit or ordinal day
        anchors=words.anchors(_ANCHOR_KINDS),
    )
