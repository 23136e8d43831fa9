"""Dates that publishers write into URLs: `/2021/11/07/`, `/2021-11-06/`, `/20211107`,
`-20211108-` in a slug, `/2020-01-03-1.3742855`, `/2019-09-14---...`, `25052022` (day first, when the run cannot
be year first), or `/2021/11/` (month).

Numbers that are ids (`/article/10964081`, `article68652364`) fail the calendar check, and
only years from 1990 to 2100 are believed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import unquote

from rasd.document import DatePrecision

MIN_YEAR = 1990
MAX_YEAR = 2100

# \d is any decimal digit (Arabic-Indic too, as in uploaded file names); int() reads them all.
_YEAR = r"(?P<y>\d{4})"
_ALNUM_BEFORE = r"(?<![^\W_])"
# /2021/11/7/, /2021-11-06/, 2020-01-03-1.37, 2019-09-14---, _2021_11_07, /2018-10/23/
_SEPARATED = re.compile(
    rf"{_ALNUM_BEFORE}{_YEAR}(?:(?P<s>[/_-])(?P<m>\d{{1,2}})(?P=s)|[/-](?P<m2>\d{{1,2}})[/-])"
    rf"(?P<d>\d{{1,2}})(?!\d)"
)
# 20211107 as a whole run of digits (also 20220827_183845, an upload's time stamp)
_COMPACT = re.compile(rf"(?<!\d){_YEAR}(?P<m>\d\d)(?P<d>\d\d)(?!\d)")
# 25052022: the same run day first, tried when it is not year first (cdate=21012026)
_COMPACT_DMY = re.compile(r"(?<!\d)(?P<d>\d\d)(?P<m>\d\d)(?P<y>\d{4})(?!\d)")
# /2021/11/ : month only, between slashes (a slug's "-2022-3-" is not a date)
_MONTH = re.compile(rf"/{_YEAR}/(?P<m>\d{{1,2}})(?=/|$|[?#])")


@dataclass(frozen=True, slots=True)
class UrlDate:
    value: dt.date
    precision: DatePrecision
    start: int  # offsets into the URL as given
    end: int


def valid_date(year: int, month: int, day: int = 1) -> dt.date | None:
    """The date, or None when it does not exist or lies outside the years we believe."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def url_date(url: str) -> UrlDate | None:
    """The most specific date the URL spells, or None.

    Percent-encoded parts are decoded when the plain URL has no day (Arabic-Indic digits
    appear in uploaded file names). Offsets refer to the URL as given; a date found only
    after decoding is given the whole URL.
    """
    if not url:
        return None
    decoded = unquote(url, errors="replace") if "%" in url else None
    for precision in (DatePrecision.DAY, DatePrecision.MONTH):
        found = _find(url, precision)
        if found:
            return UrlDate(found[0], precision, found[1], found[2])
        if decoded is not None and (found := _find(decoded, precision)):
            return UrlDate(found[0], precision, 0, len(url))
    return None


def _find(url: str, precision: DatePrecision) -> tuple[dt.date, int, int] | None:
    if precision is DatePrecision.DAY:
        for pattern in (_SEPARATED, _COMPACT, _COMPACT_DMY):
            for match in pattern.finditer(url):
                month = match["m"] or match.groupdict().get("m2")
                value = valid_date(int(match["y"]), int(month), int(match["d"]))
                if value is not None:
                    return value, match.start(), match.end()
        return None
    for match in _MONTH.finditer(url):
        value = valid_date(int(match["y"]), int(match["m"]))
        if value is not None:
            return value, match.start(), match.end()
    return None
