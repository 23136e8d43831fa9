"""Compiled date vocabulary of every language pack, for finding calendar dates fast.

Month and weekday names come from `rasd/lang/<code>/calendar.tsv`, the words around a
page's own date (labels such as "Published", the word for "today", ordinal suffixes,
am/pm words, how an all-numeric date is ordered) from `rasd/lang/<code>/dateline.tsv`.
The patterns are built once per process and run on text folded by
`rasd.text.normalize` (Latin lower case, Arabic letter variants folded, ASCII digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasd.lang import all_tables
from rasd.text.normalize import normalize_term

# A letter (not a digit or underscore): names must not run into a longer word.
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"


def _alternation(forms: set[str]) -> str:
    """Longest first, so that "march" wins over "mar"; inner spaces match any run of spaces."""
    ordered = sorted(forms, key=lambda f: (-len(f), f))
    return "|".join(r"\s+".join(re.escape(part) for part in form.split()) for form in ordered)


def _key(matched: str) -> str:
    return " ".join(matched.split())


@dataclass(frozen=True, slots=True)
class DateLexicon:
    """Everything the date finders need, compiled."""

    months: dict[str, int]  # normalised form -> 1..12
    weekdays: dict[str, int]  # normalised form -> 0 (Monday) .. 6 (Sunday)
    labels: dict[str, str]  # normalised form -> "published" | "updated"
    order: dict[str, str]  # language -> "DMY" | "MDY"
    scripts: dict[str, str]  # Unicode script name prefix (ARABIC, LATIN) -> language
    date: re.Pattern[str]  # one calendar date, named or numeric
    prefix: re.Pattern[str]  # what may stand between a line start and a date
    suffix: re.Pattern[str]  # what may follow a date on a standalone date line
    today_weekday: re.Pattern[str]  # "today Wednesday": the day of writing
    today_words: tuple[str, ...]  # cheap test before running `today_weekday`
    label_hint: re.Pattern[str]  # any label, on unfolded text: a cheap test before folding
    time: re.Pattern[str]


def _rows(kind: str, name: str) -> list[tuple[str, str, str]]:
    out = []
    for language, rows in all_tables(name).items():
        for row in rows:
            if row.get("kind") == kind:
                out.append((language, row.get("value", ""), row.get("form", "")))
    return out


@lru_cache(maxsize=1)
def lexicon() -> DateLexicon:
    """Build (once) the compiled date vocabulary of all installed language packs."""
    months = {normalize_term(f): int(v) for _, v, f in _rows("month", "calendar") if f}
    weekdays = {normalize_term(f): int(v) for _, v, f in _rows("weekday", "calendar") if f}
    labels = {normalize_term(f): v for _, v, f in _rows("label", "dateline") if f}
    today = {normalize_term(f) for _, _, f in _rows("today", "dateline") if f}
    ordinals = {normalize_term(f) for _, _, f in _rows("ordinal", "dateline") if f}
    ofs = {normalize_term(f) for _, _, f in _rows("of", "dateline") if f}
    ampm = {normalize_term(f) for _, _, f in _rows("ampm", "dateline") if f}
    order = {lang: v.upper() for lang, v, _ in _rows("order", "dateline")}
    scripts = {v.upper(): lang for lang, v, _ in _rows("script", "dateline")}

    month = f"{_NOT_LETTER_BEFORE}(?:{_alternation(set(months))}){_NOT_LETTER_AFTER}"
    weekday = f"{_NOT_LETTER_BEFORE}(?:{_alternation(set(weekdays))}){_NOT_LETTER_AFTER}"
    ordinal = f"(?:{_alternation(ordinals)})?" if ordinals else ""
    of = rf"(?:\s*{_NOT_LETTER_BEFORE}(?:{_alternation(ofs)}){_NOT_LETTER_AFTER})?" if ofs else ""
    # "يونيو/حزيران" or "يونيو (حزيران)": one month given in two calendars
    month_pair = rf"\.?(?:\s*[/(]\s*{month}\s*\)?)?"
    sep = r"[\s\-./,،]{0,3}"
    date = (
        # 7 November 2021 / 31-مارس-2022 / 30 يونيو/حزيران 2022 / 7th of November 2021
        rf"(?<![\d.])(?P<d1>\d{{1,2}}){ordinal}{of}{sep}(?P<m1>{month}){month_pair}{sep}"
        rf"(?P<y1>\d{{4}})(?!\d)"
        # November 7, 2021 / Friday July 01 2022 / Nov. 7 2021
        rf"|(?P<m2>{month}){month_pair}[\s\-.]{{0,3}}(?P<d2>\d{{1,2}}){ordinal}(?!\d)"
        rf"[\s,،.\-]{{0,3}}(?P<y2>\d{{4}})(?!\d)"
        # 2020/08/04, 2020-07-15T19:10:39
        rf"|(?<![\d/.\-])(?P<y3>\d{{4}})(?P<s3>[-/.])(?P<m3>\d{{1,2}})(?P=s3)(?P<d3>\d{{1,2}})(?!\d)"
        rf"(?P<iso>t\d{{2}}:\d{{2}})?"
        # 28-6-2026, 09/17/2024 (day-month or month-day: decided by the caller)
        rf"|(?<![\d/.\-])(?P<a4>\d{{1,2}})(?P<s4>[-/.])(?P<b4>\d{{1,2}})(?P=s4)(?P<y4>\d{{4}})(?![\d])"
    )
    ampm_alt = rf"(?:\s*(?:{_alternation(ampm)}){_NOT_LETTER_AFTER})?" if ampm else ""
    time = rf"(?<!\d)\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?!\d){ampm_alt}"
    label = rf"{_NOT_LETTER_BEFORE}(?P<label>{_alternation(set(labels))}){_NOT_LETTER_AFTER}"
    today_alt = rf"{_NOT_LETTER_BEFORE}(?:{_alternation(today)}){_NOT_LETTER_AFTER}"
    # Possessive (*+) separators: adjacent optional parts must not backtrack into each other.
    gap = r"[\s,،\-|()]*+"
    prefix = (
        rf"(?:{label})?[\s:\-|•*·]*+(?:(?P<today>{today_alt})[\s,،]*+)?(?P<wd>{weekday})?{gap}"
        rf"(?:{time}{gap})?(?:(?P<wd2>{weekday}){gap})?$"
    )
    suffix = (
        rf"^{gap}(?P<wd>{weekday})?{gap}(?:{time}(?:\s+[a-z]{{2,4}})?)?[\s,،.\-|()]*+"
        rf"(?:(?P<wd2>{weekday})[\s,،.\-|()]*+)?$"
    )
    today_weekday = rf"{today_alt}[\s,،(]*+(?P<wd>{weekday})"
    return DateLexicon(
        months=months,
        weekdays=weekdays,
        labels=labels,
        order=order,
        scripts=scripts,
        date=re.compile(date),
        prefix=re.compile(prefix),
        suffix=re.compile(suffix),
        today_weekday=re.compile(today_weekday),
        today_words=tuple(sorted(today)),
        label_hint=re.compile(
            _alternation(set(labels) | {f.lower() for _, _, f in _rows("label", "dateline") if f}),
            re.IGNORECASE,
        ),
        time=re.compile(time),
    )


def month_number(lex: DateLexicon, matched: str) -> int:
    return lex.months[_key(matched)]


def weekday_number(lex: DateLexicon, matched: str) -> int:
    return lex.weekdays[_key(matched)]


def label_kind(lex: DateLexicon, matched: str) -> str:
    return lex.labels[_key(matched)]
