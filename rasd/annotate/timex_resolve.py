"""Resolve a tagged time expression against the publication date to {start, end, precision}.

Conventions (each result's `reason` says which one applied):
- A bare weekday is the most recent such day on or before the publication day — the same
  day when they coincide. "last"/"الماضي" means strictly before, "next"/"المقبل" strictly
  after, and a future-tense cue before it means on or after.
- A weekday with a relative word ("أمس الثلاثاء", "اليوم الأحد") is that day when both
  agree; when they disagree the weekday wins (a re-published text keeps its weekday).
  A part of the day does not move the day: "ليلة السبت" (traditionally the eve of
  Saturday) resolves to the Saturday, like "Saturday night" — at most a day off, and
  reports usually mean the small hours of the named day.
- "last month", "الشهر الماضي" are the previous calendar month (precision month); "last
  week" is the whole week before the publication's week, weeks starting on the language's
  first day of the week (Saturday for Arabic, Monday for English; precision week).
- A day and month without a year take the publication year, or the year before when that
  would put them more than 30 days after publication (the year after, for future tense).
  A month name alone is the most recent such month on or before the publication month
  (within the same 30-day grace), "أكتوبر الماضي" the most recent strictly before it.
- Publication date known only to the month or year (e.g. "2021-11"): expressions finer
  than that (weekdays, yesterday, last week, three days ago) resolve to the publication's
  own month or year at that precision — never to a guessed day. Month and year
  expressions ("last month", "October") still resolve exactly when the anchor allows.
- No publication date: only what the text itself fixes resolves (a full date, a month with
  its year, a year); everything relative resolves to None.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from rasd.annotate.timex_tagger import Timex, _valid
from rasd.document import PublicationDate

_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_GRACE = dt.timedelta(days=30)
_VAGUE_DAYS = 7  # "منذ أيام", "the past few days": within the last week
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Resolved:
    start: dt.date | None
    end: dt.date | None
    precision: str | None
    reason: str
    future: bool = False


@dataclass(frozen=True, slots=True)
class _Anchor:
    """The publication date as the range of days it may be."""

    value: dt.date
    precision: str  # day | week | month | year
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, pub: PublicationDate) -> "_Anchor":
        value = pub.value
        precision = str(pub.precision.value if hasattr(pub.precision, "value") else pub.precision)
        if precision == "year":
            return cls(value, precision, dt.date(value.year, 1, 1), dt.date(value.year, 12, 31))
        if precision == "month":
            start, end = _month_range(value.year, value.month)
            return cls(value, precision, start, end)
        if precision == "week":
            return cls(value, precision, value, value + dt.timedelta(days=6))
        return cls(value, "day", value, value)

    def describe(self) -> str:
        if self.precision == "day":
            return self.value.isoformat()
        if self.precision == "month":
            return f"{self.value.year:04d}-{self.value.month:02d}"
        if self.precision == "year":
            return f"{self.value.year:04d}"
        return f"week of {self.value.isoformat()}"


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _none(reason: str, future: bool = False) -> Resolved:
    return Resolved(None, None, None, reason, future)


def _coarse(anchor: _Anchor, what: str, future: bool) -> Resolved:
    """The publication's own period, for an expression finer than the publication date."""
    return Resolved(
        anchor.start, anchor.end, anchor.precision,
        f"{what}; publication date known only to the {anchor.precision} ({anchor.describe()}): "
        f"resolved to that {anchor.precision}", future,
    )


def _in_range(year: int) -> bool:
    return dt.MINYEAR < year < dt.MAXYEAR


def resolve(timex: Timex, pub: PublicationDate | None) -> Resolved:
    """Dates for `timex` as read against the publication date `pub` (None: unknown)."""
    future = timex.future or (timex.offset or 0) > 0 or timex.modifier == "next"
    if timex.invalid:
        return _none(f"rejected: {timex.invalid}", future)
    if timex.hijri:
        return _none("Hijri calendar year: not converted", future)
    if timex.anchored:
        return _none("counted from another event, not from the publication date", future)
    anchor = _Anchor.of(pub) if pub is not None else None
    result = _resolve(timex, anchor, future)
    if result.start is not None and anchor is not None and anchor.precision == "day" \
            and result.start > anchor.value and not result.future:
        result = Resolved(result.start, result.end, result.precision, result.reason, True)
    return result


def _resolve(t: Timex, anchor: _Anchor | None, future: bool) -> Resolved:
    if t.month is not None and t.day is not None:
        return _calendar_date(t, anchor, future)
    if t.month is not None:
        return _month(t, anchor, future)
    if t.year is not None:
        start, end = dt.date(t.year, 1, 1), dt.date(t.year, 12, 31)
        return Resolved(start, end, "year", "year as written", future)
    if t.day is not None and t.month_offset is not None:
        return _day_in_relative_month(t, anchor, future)
    if t.weekday is not None:
        return _weekday(t, anchor, future)
    if t.offset is not None:
        return _relative_day(t, anchor, future)
    if t.unit is not None:
        if t.span:
            return _duration(t, anchor, future)
        if t.ago:
            return _ago(t, anchor, future)
        return _period(t, anchor, future)
    return _none("nothing to resolve", future)


def _calendar_date(t: Timex, anchor: _Anchor | None, future: bool) -> Resolved:
    """A day and month (a range of days in one month), with or without the year."""
    assert t.month is not None and t.day is not None
    day_end = t.day_end or t.day
    label = "range of days" if t.day_end else "date"
    if t.year is not None:
        year, how = t.year, "written"
    elif anchor is None:
        return _none(f"{label} without a year and no publication date", future)
    else:
        year = anchor.end.year
        if _valid(year, t.month, t.day):  # 29 February outside a leap year
            if not _valid(year - 1, t.month, t.day):
                year -= 1
            else:
                return _none(f"rejected: {_valid(year, t.month, t.day)}", future)
        candidate = dt.date(year, t.month, t.day)
        if future and candidate < anchor.start:
            year, how = year + 1, "the year after publication (future tense, date already passed)"
        elif not future and candidate > anchor.end + _GRACE:
            year, how = year - 1, "the year before publication (else >30 days after it)"
        else:
            how = "from the publication date"
    problem = _valid(year, t.month, day_end) or _valid(year, t.month, t.day)
    if problem:
        return _none(f"rejected: {problem}", future)
    start, end = dt.date(year, t.month, t.day), dt.date(year, t.month, day_end)
    reason = f"{t.rule}: {label}, year {how}"
    if t.year is None and anchor is not None:
        reason += f" {anchor.describe()}"
    if t.weekday is not None and start.weekday() != t.weekday:
        reason += f"; written weekday {_WEEKDAYS[t.weekday]} does not match ({_WEEKDAYS[start.weekday()]})"
    if t.note:
        reason += f"; {t.note}"
    return Resolved(start, end, "day", reason, future)


def _month(t: Timex, anchor: _Anchor | None, future: bool) -> Resolved:
    assert t.month is not None
    if t.year is not None:
        start, end = _month_range(t.year, t.month)
        return Resolved(start, end, "month", f"{t.rule}: month and year as written", future)
    if anchor is None:
        return _none("month without a year and no publication date", future)
    year = anchor.value.year
    if anchor.precision == "year":
        if t.year_offset is not None:
            year += t.year_offset
        how = "publication year (publication known only to the year)"
    elif t.year_offset is not None:
        year += t.year_offset
        how = f"year {t.year_offset:+d} from publication"
    elif t.modifier == "last":
        year = year if t.month < anchor.value.month else year - 1
        how = "most recent such month before the publication month"
    elif t.modifier == "next":
        year = year if t.month > anchor.value.month else year + 1
        how = "first such month after the publication month"
    elif t.modifier == "this":
        how = "publication year"
    elif future:
        year = year if t.month >= anchor.value.month else year + 1
        how = "next such month (future tense)"
    elif dt.date(year, t.month, 1) > anchor.end + _GRACE:
        year -= 1
        how = "year before publication (would be >30 days after it)"
    else:
        how = "most recent such month on or before publication"
    start, end = _month_range(year, t.month)
    return Resolved(start, end, "month", f"{t.rule}: {how}", future)


def _day_in_relative_month(t: Timex, anchor: _Anchor | None, future: bool) -> Resolved:
    """"العاشر من الشهر الجاري", "the 10th of last month"."""
    assert t.day is not None and t.month_offset is not None
    if anchor is None:
        return _none("day of a relative month and no publication date", future)
    if anchor.precision == "year":
        return _coarse(anchor, "day of a relative month", future)
    year, month = _add_months(anchor.value.year, anchor.value.month, t.month_offset)
    problem = _valid(year, month, t.day)
    if problem:
        return _none(f"rejected: {problem}", future)
    day = dt.date(year, month, t.day)
    return Resolved(day, day, "day", f"{t.rule}: day {t.day} of month {t.month_offset:+d} from publication", future)


def _weekday(t: Timex, anchor: _Anchor | None, future: bool) -> Resolved:
    assert t.weekday is not None
    name = _WEEKDAYS[t.weekday]
    what = f"{t.rule}: {name}"
    if anchor is None:
        return _none(f"{what}: weekday and no publication date", future)
    if anchor.precision != "day":
        return _coarse(anchor, what, future)
    pub = anchor.value
    back = (pub.weekday() - t.weekday) % 7
    ahead = (t.weekday - pub.weekday()) % 7
    if t.offset is not None:
        day = pub + dt.timedelta(days=t.offset)
        if day.weekday() == t.weekday:
            return Resolved(day, day, "day", f"{what}: relative word {t.offset:+d} day(s), weekday agrees", future)
        what += f" (relative word {t.offset:+d} disagrees; the weekday wins)"
        future = t.offset > 0 and future
    if t.modifier == "last":
        day, how = pub - dt.timedelta(days=back or 7), "most recent before the publication day"
    elif t.modifier == "next":
        day, how = pub + dt.timedelta(days=ahead or 7), "first after the publication day"
    elif future:
        day, how = pub + dt.timedelta(days=ahead), "first on or after the publication day (future)"
    else:
        day = pub - dt.timedelta(days=back)
        how = "the publication day itself" if back == 0 else "most recent before the publication day"
    return Resolved(day, day, "day", f"{what}: {how} {pub.isoformat()}", future)


def _relative_day(t: Timex, anchor: _Anchor | None, future: bool) -> Resolved:
    assert t.offset is not None
    what = f"{t.rule}: {t.offset:+d} day(s) from publication"
    if anchor is None:
        return _none(f"{what}, and no publication date", future)
    if anchor.precision != "day":
        return _coarse(anchor, what, future)
    day = anchor.value + dt.timedelta(days=t.offset)
    return Resolved(day, day, "day", f"{what} {anchor.value.isoformat()}", future)


def _unit_ok(anchor: _Anchor, unit: str) -> bool:
    """The publication date is at least as precise as `unit` (hours count as days)."""
    return _RANK[anchor.precision] <= _RANK.get(unit, 0)


def _period(t: Timex, anchor: _Anchor | None, future: bool) -> Resolved:
    """"last week", "الشهر الماضي", "this year", "next month"."""
    assert t.unit is not None and t.modifier is not None
    offset = {"last": -1, "next": 1}.get(t.modifier, 0)
    what = f"{t.rule}: {t.modifier} {t.unit}"
    if anchor is None:
        return _none(f"{what}, and no publication date", future)
    if not _unit_ok(anchor, t.unit):
        return _coarse(anchor, what, future)
    pub = anchor.value
    if t.unit == "year":
        year = pub.year + offset
        return Resolved(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", what, future)
    if t.unit == "month":
        start, end = _month_range(*_add_months(pub.year, pub.month, offset))
        return Resolved(start, end, "month", what, future)
    if t.unit == "week":
        first = pub - dt.timedelta(days=(pub.weekday() - t.week_start) % 7) + dt.timedelta(weeks=offset)
        return Resolved(first, first + dt.timedelta(days=6), "week",
                        f"{what} ({_WEEKDAYS[t.week_start]} to {_WEEKDAYS[(t.week_start + 6) % 7]})", future)
    day = pub + dt.timedelta(days=offset if t.unit == "day" else 0)
    return Resolved(day, day, "day", what, future)


def _ago(t: Timex, anchor: _Anchor | None, future: bool) -> Resolved:
    """"قبل يومين", "three weeks ago", "منذ أيام"."""
    assert t.unit is not None
    count = t.count
    what = f"{t.rule}: {count if count is not None else 'some'} {t.unit}(s) ago"
    if anchor is None:
        return _none(f"{what}, and no publication date", future)
    if not _unit_ok(anchor, t.unit):
        return _coarse(anchor, what, future)
    pub = anchor.value
    if count is None:
        if t.unit == "hour":
            return Resolved(pub, pub, "day", f"{what}: the publication day", future)
        if t.unit == "day":
            return Resolved(pub - dt.timedelta(days=_VAGUE_DAYS), pub - dt.timedelta(days=1), "week",
                            f"{what}: within the week before publication", future)
        return _none(f"{what}: too vague to date", future)
    if t.unit in ("hour", "day"):
        days = count // 24 if t.unit == "hour" else count
        if days > 36500:
            return _none(f"rejected: {what} is out of range", future)
        day = pub - dt.timedelta(days=days)
        return Resolved(day, day, "day", what, future)
    if t.unit == "week":
        if count > 5000:
            return _none(f"rejected: {what} is out of range", future)
        day = pub - dt.timedelta(weeks=count)
        return Resolved(day - dt.timedelta(days=3), day + dt.timedelta(days=3), "week", what, future)
    if t.unit == "month":
        year, month = _add_months(pub.year, pub.month, -count)
        if not _in_range(year):
            return _none(f"rejected: {what} is out of range", future)
        start, end = _month_range(year, month)
        return Resolved(start, end, "month", what, future)
    year = pub.year - count
    if not _in_range(year):
        return _none(f"rejected: {what} is out of range", future)
    return Resolved(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", what, future)


def _duration(t: Timex, anchor: _Anchor | None, future: bool) -> Resolved:
    """"the past three days", "الأيام الماضية", "the next two weeks": a stretch of time
    that ends (or starts) at publication; precision None because it spans several units."""
    assert t.unit is not None
    what = f"{t.rule}: {t.modifier} {t.count if t.count is not None else 'few'} {t.unit}(s)"
    if anchor is None:
        return _none(f"{what}, and no publication date", future)
    if anchor.precision != "day":
        return _coarse(anchor, what, future)
    pub = anchor.value
    count = t.count
    if count is None:
        if t.unit not in ("hour", "day"):
            return _none(f"{what}: too vague to date", future)
        length = dt.timedelta(days=1 if t.unit == "hour" else _VAGUE_DAYS)
    else:
        per = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30.44, "year": 365.25}[t.unit]
        days = count * per
        if days > 36500:
            return _none(f"rejected: {what} is out of range", future)
        length = dt.timedelta(days=max(1, round(days)))
    if t.modifier == "next":
        return Resolved(pub, pub + length, None, what, True)
    return Resolved(pub - length, pub, None, what, future)
