"""Find time expressions in tokens: what the text says, before any resolution.

A small grammar over token classes from the language pack (months, weekdays, relative
words, parts of the day, units, modifiers, cues). Every expression contains an anchor — a
digit run, or a month, weekday, relative-day, unit or ordinal-day word — so rules are only
tried in a short window before each anchor; at each position they are tried in a fixed
order, each looks ahead a bounded number of tokens, and a match consumes its tokens. The
tagger is therefore linear in the text and never looks at most tokens. The result is a
`Timex` that records the parts the text fixes (day, month, year, weekday, offset, unit...);
`timex_resolve` turns it into dates.

Rules (at one position, the first that matches wins):
  numeric      15/1/2020, 2020-01-15, 15-1-2020, 2021-11, 11/2021
  range        from 5 to 7 November, بين 5 و7 نوفمبر, November 5-7
  date         15 كانون الثاني 2020, January 15, 2020, 15th of January, Jan. 15,
               العاشر من أكتوبر/تشرين الأول, 31-مارس-2022, العاشر من الشهر الجاري
  day          صباح الأحد, فجر اليوم الأحد, مساء أمس الثلاثاء, early on Sunday, Sunday
               morning, last Friday, الجمعة المقبلة, أمس, yesterday, overnight, and a
               weekday followed by a full date ("الخميس 30 يونيو 2022": the date wins)
  month        في أكتوبر الماضي, October 2019, شهر آذار, أكتوبر من العام الماضي
  year         عام 2019, in 2019
  unit         الشهر الماضي, last week, قبل يومين, منذ ثلاثة أيام, two days ago,
               the past three days, الأيام الماضية
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rasd.annotate.number_words import read_number
from rasd.annotate.timex_lexicon import TimeLexicon, TimeWord, time_lexicon
from rasd.annotate.tokens import (
    CACHE_MAX_CHARS,
    NUM,
    PUNCT,
    WORD,
    LexiconView,
    Match,
    Tokens,
    may_contain,
    normalized,
    tokens_of,
)

FUTURE_WINDOW = 8  # tokens before a time expression searched for a future-tense cue
LOOKBACK = 6  # tokens an expression may start before its first anchor word ("the early hours of Sunday")
LOOKBACK_DIGITS = 3  # ... before its first digits ("the past 24 hours", "بين 5 و7")
YEAR_MIN, YEAR_MAX = 1000, 2999
_SENTENCE_BREAKS = {".", "!", "?", "؟", "؛", ";", "\n"}
_DATE_SEPARATORS = {"/", "-", "."}
_SOFT_PUNCT = {",", "،", "-", "(", ":"}
_DIGITS = frozenset({"#"})
_NUMBER_WORD = frozenset({"*"})
_NOTHING: frozenset[str] = frozenset()
_PARTS = {"morning", "noon", "afternoon", "evening", "night", "dawn"}


@dataclass(slots=True)
class Timex:
    """A time expression as written: tokens [first, last], and the parts the text fixes."""

    first: int
    last: int
    rule: str
    kind: str  # absolute | relative | weekday | part_of_day | duration | range
    shift: int = 0  # proclitic characters to skip in the first token
    year: int | None = None
    month: int | None = None
    day: int | None = None
    day_end: int | None = None  # last day of a range within one month
    weekday: int | None = None
    offset: int | None = None  # relative day offset (أمس = -1)
    unit: str | None = None  # day | week | month | year | hour
    count: int | None = None  # how many units; None = unspecified ("منذ أيام")
    ago: bool = False  # "N units ago"
    span: bool = False  # "the past N units": a duration up to the publication
    modifier: str | None = None  # last | next | this
    year_offset: int | None = None  # "أكتوبر من العام الماضي" = -1
    month_offset: int | None = None  # "العاشر من الشهر الماضي" = -1
    week_start: int = 0  # the language's first day of the week, for "last week"
    part: str | None = None
    future: bool = False
    anchored: bool = False  # counted from another event ("قبل يومين من الانتخابات")
    hijri: bool = False
    invalid: str = ""  # why the written date cannot be a date
    note: str = ""  # reading notes for the reason (order ambiguity, conflicts)


def tag_tokens(tokens: Tokens, language: str) -> list[Timex]:
    """Time expressions in `tokens` (of one segment) for a language pack code."""
    if not len(tokens):
        return []
    return _Tagger(tokens, time_lexicon(language)).run()


def tag_text(text: str, language: str) -> tuple[Timex, ...]:
    """Time expressions in one segment's text (memoised: the number tagger asks again to
    leave dates out). Texts with no digit and no month, weekday, relative or unit word
    are not even tokenised. Treat the result as read-only."""
    if len(text) > CACHE_MAX_CHARS:
        return _tag_text(text, language)
    return _tag_text_cached(text, language)


def _tag_text(text: str, language: str) -> tuple[Timex, ...]:
    lexicon = time_lexicon(language)
    if not may_contain(normalized(text).text, lexicon.anchors):
        return ()
    return tuple(_Tagger(tokens_of(text), lexicon).run())


_tag_text_cached = lru_cache(maxsize=64)(_tag_text)


class _Tagger:
    def __init__(self, tokens: Tokens, lexicon: TimeLexicon):
        self.t = tokens
        self.texts = tokens.texts
        self.kinds = tokens.kinds
        self.n = len(tokens)
        self.lex = lexicon
        self.has_words = bool(lexicon.words)
        self.words = LexiconView(lexicon.words, tokens)
        self._numbers: LexiconView | None = None
        # each rule with the token kinds it can start on ("#": digits, "*": a number word)
        self.rules = (
            (self.numeric, {"#"}),
            (self.range, {"#", "range_open", "month"}),
            (self.date, {"#", "day_ordinal", "month"}),
            (self.day, {"part_of_day", "day_cue", "relative_day", "part_today", "modifier_before", "weekday"}),
            (self.month, {"month_cue", "modifier_before", "month"}),
            (self.year, {"year_cue"}),
            (self.unit, {"#", "*", "ago_before", "modifier_before", "unit", "count"}),
        )

    # -- lookups -------------------------------------------------------------------------

    def at(self, i: int, *kinds: str) -> tuple[Match, TimeWord] | None:
        if i >= self.n or self.kinds[i] == NUM or not self.has_words:
            return None
        if self.kinds[i] == PUNCT and self.texts[i] != "-":
            return None
        return self.words.first(i, kinds)

    def capitalised(self, match: Match) -> bool:
        if not self.lex.names_capitalised:
            return True
        original = self.t.original_text(match.start)
        return bool(original) and original[match.shift : match.shift + 1].isupper()

    def calendar(self, i: int, kind: str) -> tuple[Match, TimeWord] | None:
        """A month or weekday name at i, respecting capitalisation rules."""
        found = self.at(i, kind)
        if found and self.capitalised(found[0]):
            return found
        return None

    def skip(self, j: int, allowed=_SOFT_PUNCT) -> int:
        while j < self.n and self.kinds[j] == PUNCT and self.texts[j] in allowed:
            j += 1
        return j

    # -- the scan ------------------------------------------------------------------------

    def run(self) -> list[Timex]:
        """Try the rules in a window before each anchor token (a digit run or an anchor
        word: every expression contains one), so most tokens are never looked at."""
        texts, kinds, anchors = self.texts, self.kinds, self.lex.anchors
        candidates = [i for i, (word, kind) in enumerate(zip(texts, kinds)) if kind == NUM or word in anchors]
        found: list[Timex] = []
        free = 0  # tokens before this one are consumed or already tried
        for anchor in candidates:
            if anchor < free:
                continue
            i = max(free, anchor - (LOOKBACK_DIGITS if kinds[anchor] == NUM else LOOKBACK))
            while i <= anchor:
                timex, i = self._try(i)
                if timex is not None:
                    timex.future = self._future_before(timex.first)
                    found.append(timex)
            free = i
        return found

    def _try(self, i: int) -> tuple[Timex | None, int]:
        """The expression starting at token i and the next token to try."""
        starts = self._starts(i)
        if not starts:
            return None, i + 1
        if "not_time" in starts:
            skip = self.at(i, "not_time")
            if skip:
                return None, skip[0].end
        for rule, kinds in self.rules:
            if not starts.isdisjoint(kinds):
                timex = rule(i)
                if timex is not None:
                    return timex, timex.last + 1
        return None, i + 1

    def _future_before(self, first: int) -> bool:
        """A future-tense cue in the few tokens before, within the sentence."""
        for k in range(first - 1, max(-1, first - 1 - FUTURE_WINDOW), -1):
            if self.kinds[k] == PUNCT and self.texts[k] in _SENTENCE_BREAKS:
                return False
            if self.kinds[k] == WORD and self.at(k, "future"):
                return True
        return False

    def _starts(self, i: int) -> frozenset[str]:
        """What token i can start: "#" for digits, lexicon kinds, "*" for a number word."""
        kind = self.kinds[i]
        if kind == NUM:
            return _DIGITS
        if kind != WORD:
            return _NOTHING
        word = self.texts[i]
        if word == "ال":
            return _DIGITS  # "الـ24 ساعة الماضية"
        starts = self.lex.words.word_kinds(word) if self.has_words else _NOTHING
        if self.lex.numbers.words.word_kinds(word):
            starts = starts | _NUMBER_WORD
        return starts

    def _number_view(self) -> LexiconView:
        if self._numbers is None:
            self._numbers = LexiconView(self.lex.numbers.words, self.t)
        return self._numbers

    # -- numeric dates -------------------------------------------------------------------

    def _sep(self, j: int) -> str | None:
        """The separator at j when it touches digit tokens on both sides."""
        if (
            j + 1 < self.n
            and self.texts[j] in _DATE_SEPARATORS
            and self.t.touching(j)
            and self.t.touching(j + 1)
            and self.kinds[j + 1] == NUM
        ):
            return self.texts[j]
        return None

    def numeric(self, i: int) -> Timex | None:
        if self.kinds[i] != NUM:
            return None
        if self.t.touching(i) and self.kinds[i - 1] != WORD and self.texts[i - 1] not in "([":
            return None  # inside a longer run of digits and separators
        sep = self._sep(i + 1)
        if sep is None:
            return None
        a, b = self.texts[i], self.texts[i + 2]
        sep2 = self._sep(i + 3)
        if sep2 is None:
            return self._month_year(i, a, b, sep)
        if sep2 != sep or self._sep(i + 5) is not None:
            return None  # 1.2.3.4, 1/2-3: not a date
        c = self.texts[i + 4]
        if i + 5 < self.n and self.t.touching(i + 5) and self.kinds[i + 5] == NUM:
            return None
        timex = Timex(i, i + 4, "numeric", "absolute")
        if len(a) == 4:
            orders = ["YMD"]
        elif len(c) == 4 or (len(c) == 2 and sep == "/"):
            preferred = self.lex.date_order if self.lex.date_order != "YMD" else "DMY"
            orders = [preferred, "MDY" if preferred == "DMY" else "DMY"]
        else:
            return None
        if max(len(a), len(b), len(c)) > 4:
            return None
        readings = []
        for order in orders:
            values = dict(zip(order, (int(a), int(b), int(c))))
            if order != "YMD" and len(c) == 2:
                values["Y"] += 2000 if values["Y"] < 70 else 1900
            readings.append((order, values["Y"], values["M"], values["D"]))
        valid = [r for r in readings if _valid(r[1], r[2], r[3]) == ""]
        if not valid:
            order, y, m, d = readings[0]
            timex.year, timex.month, timex.day = y, m, d
            timex.invalid = _valid(y, m, d)
            return timex
        order, timex.year, timex.month, timex.day = valid[0]
        if len(valid) > 1 and (valid[0][1:] != valid[1][1:]):
            timex.note = f"day/month order ambiguous, read as {order} (language default)"
        elif order != orders[0]:
            timex.note = f"read as {order}: impossible as {orders[0]}"
        return timex

    def _month_year(self, i: int, a: str, b: str, sep: str) -> Timex | None:
        """2021-11 or 11/2021: a month."""
        if sep == ".":
            return None
        end = i + 2
        if end + 1 < self.n and self.t.touching(end + 1) and self.kinds[end + 1] in (NUM, WORD):
            return None
        if len(a) == 4 and len(b) == 2:
            year, month = int(a), int(b)
        elif len(b) == 4 and len(a) <= 2 and sep == "/":
            year, month = int(b), int(a)
        else:
            return None
        if not 1 <= month <= 12 or not YEAR_MIN <= year <= YEAR_MAX:
            return None  # "2025-2026" is a season, not a month
        return Timex(i, end, "numeric-month", "absolute", year=year, month=month)

    # -- pieces of written dates ----------------------------------------------------------

    def day_number(self, i: int, *, digits_only: bool = False) -> tuple[int, int] | None:
        """(day, end) for a day of the month at i: 1-31 in digits (with "st/th") or an
        ordinal word (العاشر, tenth)."""
        if i >= self.n:
            return None
        if self.kinds[i] == NUM:
            text = self.texts[i]
            if len(text) > 2 or not 1 <= int(text) <= 31:
                return None
            j = i + 1
            if j < self.n and self.t.touching(j):
                if self.texts[j] == ":" or self.kinds[j] == NUM:
                    return None  # a clock time, or part of a longer number
                suffix = self.at(j, "ordinal_suffix")
                if suffix:
                    j = suffix[0].end
            return int(text), j
        if digits_only:
            return None
        found = self.at(i, "day_ordinal")
        if found and found[1].number:
            return found[1].number, found[0].end
        return None

    def month_name(self, i: int) -> tuple[int, int, bool, int] | None:
        """(month, end, weak, shift) for a month name, with a doubled form after it:
        "أكتوبر/تشرين الأول", "يونيو (حزيران)", and "Jan." with its period."""
        found = self.calendar(i, "month")
        if not found:
            return None
        match, word = found
        end = match.end
        if end < self.n and self.texts[end] in ("/", "(", "-", "\\"):
            second = self.calendar(end + 1, "month")
            if second and second[1].number == word.number:
                end = second[0].end
                if end < self.n and self.texts[end] == ")":
                    end += 1
        else:
            second = self.calendar(end, "month")  # "مايو أيار": the same month twice
            if second and second[1].number == word.number and not second[0].peeled:
                end = second[0].end
        if end < self.n and self.texts[end] == "." and self.t.touching(end) and len(self.texts[i]) <= 4:
            end += 1
        return word.number, end, word.weak, match.shift

    def year_after(self, j: int) -> tuple[int, int, bool] | None:
        """(year, end, hijri) for a 4-digit year at j, after an optional comma, "of"/"من"
        or year word ("أكتوبر من عام 2019")."""
        k = self.skip(j, {",", "،", "-", "/"})
        connector = self.at(k, "of")
        if connector:
            k = connector[0].end
        cue = self.at(k, "year_cue")
        if cue and cue[0].end < self.n and self.kinds[cue[0].end] == NUM:
            k = cue[0].end
        if k >= self.n or self.kinds[k] != NUM or len(self.texts[k]) != 4:
            return None
        if k + 1 < self.n and self.t.touching(k + 1) and self.kinds[k + 1] == NUM:
            return None
        end = k + 1
        hijri = False
        era = self.at(end, "era")
        if era:
            hijri = era[1].tag == "hijri"
            end = era[0].end
        return int(self.texts[k]), end, hijri

    def relative_period(self, j: int, unit: str) -> tuple[int, int] | None:
        """(offset, end) for "الشهر الماضي" / "last month" at j (unit = month or year)."""
        found = self.at(j, "unit")
        if found and _unit(found[1].tag) == (unit, None):
            modifier = self.at(found[0].end, "modifier_after")
            if modifier:
                return _OFFSETS[modifier[1].tag], modifier[0].end
        modifier = self.at(j, "modifier_before")
        if modifier:
            found = self.at(modifier[0].end, "unit")
            if found and _unit(found[1].tag) == (unit, None):
                return _OFFSETS[modifier[1].tag], found[0].end
        return None

    def _add_year(self, timex: Timex, j: int) -> None:
        """Extend `timex` over a year written after position j, if there is one."""
        year = self.year_after(j)
        if year:
            timex.year, end, timex.hijri = year
            timex.last = end - 1
            if not YEAR_MIN <= timex.year <= YEAR_MAX:
                timex.invalid = f"year {timex.year} outside {YEAR_MIN}-{YEAR_MAX}"
            elif timex.day and timex.month:
                timex.invalid = _valid(timex.year, timex.month, timex.day_end or timex.day)

    # -- rules ---------------------------------------------------------------------------

    def range(self, i: int) -> Timex | None:
        """"from 5 to 7 November", "بين 5 و7 نوفمبر", "5-7 November", "November 5-7"."""
        j = i
        shift = 0
        opener = self.at(i, "range_open")
        if opener:
            j, shift = opener[0].end, opener[0].shift
        first = self.day_number(j, digits_only=True)
        if first:
            to = self.at(first[1], "range_to")
            second = self.day_number(to[0].end, digits_only=True) if to else None
            if not second or first[0] >= second[0]:
                return None
            k = second[1]
            connector = self.at(k, "of")
            month = self.month_name(connector[0].end if connector else k)
            if not month:
                return None
            timex = Timex(i, month[1] - 1, "range", "range", shift=shift, month=month[0],
                          day=first[0], day_end=second[0])
            self._add_year(timex, month[1])
            return timex
        if opener or not self.lex.month_first:
            return None
        month = self.month_name(i)
        if not month:
            return None
        first = self.day_number(month[1], digits_only=True)
        to = self.at(first[1], "range_to") if first else None
        second = self.day_number(to[0].end, digits_only=True) if to else None
        if not second or first[0] >= second[0]:
            return None
        timex = Timex(i, second[1] - 1, "range", "range", shift=month[3], month=month[0],
                      day=first[0], day_end=second[0])
        self._add_year(timex, second[1])
        return timex

    def date(self, i: int) -> Timex | None:
        """A day with its month: "15 January 2020", "January 15", "العاشر من أكتوبر",
        "العاشر من الشهر الجاري"."""
        day = self.day_number(i)
        if day:
            value, k = day
            if (k < self.n and self.texts[k] in ("-", "/", ".") and self.t.touching(k)
                    and self.kinds[i] == NUM):
                k += 1  # "31-مارس-2022"
            connector = self.at(k, "of")
            if connector:
                k = connector[0].end
            month = self.month_name(k)
            if month:
                timex = Timex(i, month[1] - 1, "date", "absolute", month=month[0], day=value)
                self._add_year(timex, month[1])
                return timex
            if connector:
                period = self.relative_period(k, "month")
                if period:
                    return Timex(i, period[1] - 1, "date-in-relative-month", "relative",
                                 day=value, month_offset=period[0])
            return None
        if not self.lex.month_first:
            return None
        month = self.month_name(i)
        if not month:
            return None
        day = self.day_number(month[1], digits_only=True)
        if not day:
            return None
        end = day[1]
        if self.at(end, "unit"):
            return None  # "March 3 days": not a date
        timex = Timex(i, end - 1, "date", "absolute", shift=month[3], month=month[0], day=day[0])
        self._add_year(timex, end)
        return timex

    def day(self, i: int) -> Timex | None:
        """Weekdays and relative day words, with parts of the day around them."""
        part = self.at(i, "part_of_day")
        if part:
            timex = self._day(i, part)
            if timex is not None:
                return timex
        return self._day(i, None)

    def _day(self, i: int, part_found) -> Timex | None:
        j = i
        shifts: list[int] = []
        part = None
        if part_found:
            part, j = part_found[1].tag, part_found[0].end
            shifts.append(part_found[0].shift)
            connector = self.at(j, "of")
            if connector:
                j = connector[0].end
        cue = self.at(j, "day_cue")
        if cue:
            j = cue[0].end
            shifts.append(cue[0].shift)
        relative = self.at(j, "relative_day", "part_today")
        modifier = None
        if relative:
            if self.at(j, "not_time"):
                return None  # "صباح اليوم التالي"
            shifts.append(relative[0].shift)
            j = relative[0].end
        else:
            before = self.at(j, "modifier_before")
            if before and self.calendar(before[0].end, "weekday"):
                modifier = before[1].tag
                shifts.append(before[0].shift)
                j = before[0].end
        weekday = self.calendar(j, "weekday")
        trailing = None
        if weekday:
            shifts.append(weekday[0].shift)
            if weekday[1].weak and weekday[0].peeled:
                return None  # "يوم واحد" is not "يوم و+أحد"
            if weekday[1].weak and not (part_found or cue or relative):
                trailing = self._trailing_date(weekday[0].end)
                if trailing is None:
                    weekday = None  # "أحد" alone is "one"
        if weekday is None and relative is None:
            return None
        timex = Timex(i, j - 1, "day", "weekday", shift=shifts[0], part=part, modifier=modifier)
        if relative:
            timex.offset = relative[1].number or 0
            timex.kind = "part_of_day" if relative[1].kind == "part_today" else "relative"
            timex.rule = relative[1].kind
        if weekday:
            match, word = weekday
            timex.weekday, timex.kind, timex.last = word.number, "weekday", match.end - 1
            after = self.at(match.end, "modifier_after")
            if after:
                timex.modifier = after[1].tag
                timex.last = after[0].end - 1
        k = timex.last + 1
        trailing_part = self.at(k, "part_of_day")
        if trailing_part and trailing_part[1].tag in _PARTS:
            timex.part = trailing_part[1].tag
            timex.last = trailing_part[0].end - 1
            k = timex.last + 1
        if timex.weekday is not None:
            trailing = trailing or self._trailing_date(k)
            if trailing is not None:
                trailing.first, trailing.shift, trailing.rule = timex.first, timex.shift, "weekday+date"
                trailing.weekday, trailing.part = timex.weekday, timex.part
                return trailing
        if part and timex.kind == "weekday":
            timex.rule = "part+weekday"
        return timex

    def _trailing_date(self, k: int) -> Timex | None:
        """A full date right after a weekday: "الخميس 30 يونيو 2022", "Friday, July 1",
        "Tuesday (September 17, 2024)"."""
        start = k
        k = self.skip(k, {",", "،", "-", "(", "|"})
        if k >= self.n:
            return None
        timex = self.numeric(k) or self.date(k)
        if timex is not None and "(" in self.texts[start:k]:
            end = timex.last + 1
            if end < self.n and self.texts[end] == ")":
                timex.last = end
        return timex

    def month(self, i: int) -> Timex | None:
        """A month without a day: "في أكتوبر الماضي", "October 2019", "last October"."""
        j = i
        shifts: list[int] = []
        cue = self.at(j, "month_cue")
        if cue:
            j = cue[0].end
            shifts.append(cue[0].shift)
        modifier = None
        before = self.at(j, "modifier_before")
        if before and self.calendar(before[0].end, "month"):
            modifier = before[1].tag
            shifts.append(before[0].shift)
            j = before[0].end
        month = self.month_name(j)
        if not month:
            return None
        value, end, weak, month_shift = month
        shifts.append(month_shift)
        timex = Timex(i, end - 1, "month", "absolute", shift=shifts[0], month=value, modifier=modifier)
        after = self.at(end, "modifier_after")
        if after:
            timex.modifier = after[1].tag
            timex.last = after[0].end - 1
            end = after[0].end
        self._add_year(timex, end)
        if timex.year is None:
            connector = self.at(end, "of")
            period = self.relative_period(connector[0].end if connector else end, "year")
            if period:
                timex.year_offset = period[0]
                timex.last = period[1] - 1
        if weak and timex.year is None and modifier is None and not self._after_preposition(i):
            return None  # "may", "March", "جوان" alone are other words; "in May" is the month
        return timex

    def _after_preposition(self, i: int) -> bool:
        """Token i follows a time preposition ("in", "since", "منذ"; the year_cue words)."""
        return i > 0 and self.at(i - 1, "year_cue") is not None

    def year(self, i: int) -> Timex | None:
        """"عام 2019", "in 2019": a 4-digit number after a year word."""
        cue = self.at(i, "year_cue")
        if not cue:
            return None
        k = cue[0].end
        if k >= self.n or self.kinds[k] != NUM or len(self.texts[k]) != 4:
            return None
        if k + 1 < self.n and self.t.touching(k + 1) and self.kinds[k + 1] == NUM:
            return None
        timex = Timex(k, k, "year", "absolute", year=int(self.texts[k]))
        era = self.at(k + 1, "era")
        if era:
            timex.hijri = era[1].tag == "hijri"
            timex.last = era[0].end - 1
        if not YEAR_MIN <= timex.year <= YEAR_MAX:
            timex.invalid = f"year {timex.year} outside {YEAR_MIN}-{YEAR_MAX}"
        return timex

    def count(self, j: int) -> tuple[int | None, int] | None:
        """(count, end) before a unit: digits, number words, "a"; count None for "بضعة"."""
        if j >= self.n:
            return None
        found = self.at(j, "count")
        if found:
            return found[1].number, found[0].end
        if self.kinds[j] == NUM:
            return (int(self.texts[j]), j + 1) if len(self.texts[j]) <= 4 else None
        read = read_number(self._number_view(), j, self.lex.numbers)
        if read is None or read.value is None:
            return None
        return read.value, read.end

    def _unit_with_count(self, j: int) -> tuple[str, int | None, bool, str | None, int, int] | None:
        """(unit, count, counted, own, end, shift) for "[count] unit" at j."""
        counted = False
        count = None
        shift = 0
        if self.at(j, "unit") is None:
            found_count = self.count(j)
            if found_count is None:
                return None
            count, j = found_count
            counted = True
        found = self.at(j, "unit")
        if not found:
            return None
        unit, own = _unit(found[1].tag)
        if not counted:
            shift = found[0].shift
            if own not in (None, "n"):
                count = int(own)  # a dual form counts itself
        return unit, count, counted, own, found[0].end, shift

    def unit(self, i: int) -> Timex | None:
        """Units of time: relative periods, "N units ago", "the past N units"."""
        ago = self.at(i, "ago_before")
        if ago:
            return self._ago_before(i, ago)
        j = i
        modifier = None
        shift = None
        before = self.at(i, "modifier_before")
        if before:
            modifier, j, shift = before[1].tag, before[0].end, before[0].shift
        elif self.texts[i] == "ال" and i + 1 < self.n and self.kinds[i + 1] == NUM:
            j, shift = i + 1, 0  # "الـ24 ساعة الماضية"
        found = self._unit_with_count(j)
        if found is None:
            return None
        unit, count, counted, own, end, unit_shift = found
        shift = unit_shift if shift is None else shift
        if not counted and own == "n":
            after_count = self.count(end)  # "الأيام الثلاثة الماضية"
            if after_count and self.at(after_count[1], "modifier_after"):
                count, end = after_count
                counted = True
        if modifier is None:
            after = self.at(end, "modifier_after")
            if after:
                modifier, end = after[1].tag, after[0].end
        if modifier is None:
            ago_after = self.at(end, "ago_after")
            if ago_after and (counted or own):
                return Timex(i, ago_after[0].end - 1, "ago", "relative", shift=shift, unit=unit,
                             count=count, ago=True)
            return None
        if counted or own == "n" or (count or 1) > 1:
            return Timex(i, end - 1, "past-units", "duration", shift=shift, unit=unit, count=count,
                         span=True, modifier=modifier)
        return Timex(i, end - 1, "period", "relative", shift=shift, unit=unit, count=1, modifier=modifier,
                     week_start=self.lex.week_start)

    def _ago_before(self, i: int, ago) -> Timex | None:
        """"قبل يومين", "منذ ثلاثة أيام", "منذ أيام", "قبل أسبوع"."""
        found = self._unit_with_count(ago[0].end)
        if found is None:
            return None
        unit, count, counted, own, end, _ = found
        if not counted and own is None:
            count = 1
        if end < self.n and (
            self.kinds[end] == NUM
            or self.at(end, "modifier_after", "weekday", "month", "relative_day")
        ):
            return None  # "منذ عام 2003", "قبل يوم الجمعة", "منذ الأسبوع الماضي"
        timex = Timex(i, end - 1, "ago", "relative", shift=ago[0].shift, unit=unit, count=count, ago=True)
        if self.at(end, "anchor_after"):
            timex.anchored = True  # "قبل يومين من الانتخابات": counted from another event
        return timex


_OFFSETS = {"last": -1, "next": 1, "this": 0}


def _unit(tag: str) -> tuple[str, str | None]:
    """"day:2" -> ("day", "2"); "day:n" -> ("day", "n"); "week" -> ("week", None)."""
    unit, _, own = tag.partition(":")
    return unit, (own or None)


def _valid(year: int, month: int, day: int) -> str:
    """Why (year, month, day) is not a date, or ""."""
    import calendar

    if not YEAR_MIN <= year <= YEAR_MAX:
        return f"year {year} outside {YEAR_MIN}-{YEAR_MAX}"
    if not 1 <= month <= 12:
        return f"month {month} out of range"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"day {day} not in {year}-{month:02d}"
    return ""
