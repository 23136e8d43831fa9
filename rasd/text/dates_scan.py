"""Calendar dates written in a stretch of text, with what surrounds them.

A publication date looks different from a date in a sentence: it starts a line (maybe
after a place name, "نينوى، 15 كانون الثاني 2020"), follows a label ("Published:",
"تاريخ النشر :"), stands alone on its line with a weekday or a clock time, or follows
"today" and a weekday ("اليوم الأربعاء 22 يناير 2025"). `scan` finds every full date
(day, month, year) in the window and records those traits; `rasd.text.pubdate` weighs
them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from rasd.text.dates_lexicon import (
    DateLexicon,
    label_kind,
    lexicon,
    month_number,
    weekday_number,
)
from rasd.text.dates_url import valid_date
from rasd.text.normalize import Normalized, normalize

_PREFIX_WINDOW = 80  # characters looked at before a date on its line
_SUFFIX_WINDOW = 60
# "نينوى،", "BAGHDAD,", "Erbil -": a place name of up to three words before a comma or dash
_PLACE = re.compile(r"^[^\W\d_]+(?:[\s'’.][^\W\d_]+){0,2}$")
_PLACE_END = ",،-"
_STAMP_LINE = 60  # a line this short holding a date and a clock time is a time stamp
_YEAR = re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)")
_BEFORE_YEAR = 50  # the longest "weekday? day month/month " before a year, with room
_AFTER_YEAR = 25  # "-07-15t19:10" after a year that starts a numeric date
_LEADING_JUNK = " \t•*·-|>#"


@dataclass(frozen=True, slots=True)
class DateMention:
    """A full calendar date found in text; offsets are into the original text."""

    start: int
    end: int
    value: dt.date
    weekday: int | None  # the weekday written next to it, if any (0 = Monday)
    label: str | None  # "published" / "updated" when a label introduces it
    today: bool  # "today <weekday> <date>", "اليوم (27-12-2019)"
    iso: bool  # an ISO time stamp (2020-07-15T19:10)
    line_start: bool  # the date opens its line (after a label, weekday, time or place)
    standalone: bool  # nothing but weekday / time words share its line
    stamp: bool  # a short line with the date and a clock time ("في 18/09/2024 على الساعة 17:41")
    first_line: bool  # on the first non-empty line of the window

    @property
    def weekday_agrees(self) -> bool | None:
        return None if self.weekday is None else self.weekday == self.value.weekday()


def dominant_script(text: str) -> str | None:
    """The Unicode script name prefix (ARABIC, LATIN, ...) most letters of `text` use."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            script = name.split(" ", 1)[0] if name else ""
            if script:
                counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def _numeric_order(lex: DateLexicon, language: str | None, line: str, around: str) -> str:
    """DMY or MDY: the segment's language, else the script of the line, else of the text
    around it, names the language whose convention applies (DMY when none does)."""
    if language is None:
        script = dominant_script(line) or dominant_script(around)
        language = lex.scripts.get(script) if script else None
    return lex.order.get(language or "", "DMY")


def _resolve(
    lex: DateLexicon,
    match: re.Match[str],
    weekday: int | None,
    order: Callable[[], str],
) -> dt.date | None:
    """The date a match spells; for a/b/YYYY, read by value, weekday, then language."""
    if match["d1"]:
        return valid_date(int(match["y1"]), month_number(lex, match["m1"]), int(match["d1"]))
    if match["d2"]:
        return valid_date(int(match["y2"]), month_number(lex, match["m2"]), int(match["d2"]))
    if match["y3"]:
        return valid_date(int(match["y3"]), int(match["m3"]), int(match["d3"]))
    a, b, year = int(match["a4"]), int(match["b4"]), int(match["y4"])
    dmy, mdy = valid_date(year, b, a), valid_date(year, a, b)
    if dmy is None or mdy is None or dmy == mdy:
        return dmy or mdy
    if weekday is not None:
        fits = [d for d in (dmy, mdy) if d.weekday() == weekday]
        if len(fits) == 1:
            return fits[0]
    return mdy if order() == "MDY" else dmy


@dataclass(frozen=True, slots=True)
class Window:
    """A stretch of the original text, folded once for all the finders that read it."""

    offset: int  # where the stretch starts in the original text
    normalized: Normalized

    @property
    def folded(self) -> str:
        return self.normalized.text


def fold(text: str, start: int, end: int) -> Window:
    return Window(start, normalize(text[start:end]))


def _candidate_ranges(folded: str) -> list[tuple[int, int]]:
    """Merged stretches around each four-digit year: every date pattern holds one, so the
    full pattern only runs where a date can be (it is an alternation of all month names)."""
    ranges: list[tuple[int, int]] = []
    for match in _YEAR.finditer(folded):
        lo, hi = max(0, match.start() - _BEFORE_YEAR), match.end() + _AFTER_YEAR
        if ranges and lo <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], hi)
        else:
            ranges.append((lo, hi))
    return ranges


def scan(
    window: Window,
    *,
    language_at: Callable[[int], str | None] | None = None,
    labelled_only: bool = False,
) -> list[DateMention]:
    """Full dates in the window, in text order, with offsets into the original text.

    `language_at(offset)` names the language of the segment at an offset (it decides how
    an all-numeric date like 03/04/2021 is read); without it the line's script decides.
    With `labelled_only`, only dates introduced by a label ("Published:") are returned.
    """
    lex = lexicon()
    folded = window.folded
    start = window.offset
    first_line_end = _first_line_end(folded)
    mentions: list[DateMention] = []
    matches = (m for lo, hi in _candidate_ranges(folded) for m in lex.date.finditer(folded, lo, hi))
    for match in matches:
        m_start, m_end = match.span()
        line_begin = folded.rfind("\n", 0, m_start) + 1
        line_end = folded.find("\n", m_end)
        line_end = len(folded) if line_end < 0 else line_end
        before = folded[max(line_begin, m_start - _PREFIX_WINDOW) : m_start]
        after = folded[m_end : min(line_end, m_end + _SUFFIX_WINDOW)]
        pre = lex.prefix.search(before)
        post = lex.suffix.match(after) if line_end - m_end <= _SUFFIX_WINDOW else None
        label = label_kind(lex, pre["label"]) if pre and pre["label"] else None
        if labelled_only and label is None:
            continue
        weekday_text = (pre and (pre["wd"] or pre["wd2"])) or (post and (post["wd"] or post["wd2"]))
        weekday = weekday_number(lex, weekday_text) if weekday_text else None
        orig_start, orig_end = window.normalized.to_original(m_start, m_end)
        line = folded[line_begin:line_end]

        def order(offset: int = orig_start + start, line: str = line, at: int = m_start) -> str:
            language = language_at(offset) if language_at else None
            return _numeric_order(lex, language, line, folded[max(0, at - 300) : at + 300])

        value = _resolve(lex, match, weekday, order)
        if value is None:
            continue
        cut = pre.start() if pre else len(before)
        lead = before[:cut].lstrip(_LEADING_JUNK).rstrip()
        if lead and lead[-1] in _PLACE_END:  # "نينوى،" before the date
            lead, place_end = lead[:-1].rstrip(), True
        else:  # the comma may have been taken as a separator by the prefix pattern
            place_end = before[cut:].lstrip()[:1] in tuple(_PLACE_END)
        # "CITY DATE (AGENCY)" needs no comma after the city
        place_end = place_end or after.lstrip().startswith("(")
        is_place = bool(lead) and place_end and bool(_PLACE.match(lead))
        opens_line = len(before) == m_start - line_begin and (not lead or is_place)
        mentions.append(
            DateMention(
                start=orig_start + start,
                end=orig_end + start,
                value=value,
                weekday=weekday,
                label=label,
                today=bool(pre and pre["today"]),
                iso=bool(match["iso"]),
                line_start=opens_line,
                standalone=opens_line and not lead and post is not None,
                first_line=m_start < first_line_end,
                stamp=len(line.strip()) <= _STAMP_LINE and lex.time.search(line) is not None,
            )
        )
    return mentions


def _first_line_end(folded: str) -> int:
    """End offset of the first line that holds anything but spaces."""
    offset = 0
    for line in folded.split("\n"):
        if line.strip():
            return offset + len(line)
        offset += len(line) + 1
    return 0


def today_weekday(window: Window) -> int | None:
    """The weekday the writer calls "today" ("اليوم الجمعة") in the window, if any."""
    lex = lexicon()
    folded = window.folded
    if not any(word in folded for word in lex.today_words):
        return None
    match = lex.today_weekday.search(folded)
    return weekday_number(lex, match["wd"]) if match else None
