"""Time expressions: tagging and resolution against the publication date.

Fixture sentences are written for these tests. Expected dates are worked out by hand
from a calendar (2021-11-07 was a Sunday, 2021-11-05 a Friday, 2024-01-01 a Monday).
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from rasd.annotate.times import TimeMention, find_times, resolve_text
from rasd.document import DatePrecision, Document, PublicationDate, Segment, SegmentKind
from rasd.lang import table

D = dt.date
SUN = D(2021, 11, 7)  # a Sunday
FRI = D(2021, 11, 5)  # a Friday
THU = D(2021, 11, 4)
NEW_YEAR = D(2024, 1, 1)  # a Monday


def day(value: dt.date) -> PublicationDate:
    return PublicationDate(value, DatePrecision.DAY, "input")


def month(year: int, number: int) -> PublicationDate:
    return PublicationDate(D(year, number, 1), DatePrecision.MONTH, "header")


def only(text: str, language: str, published: PublicationDate | None) -> TimeMention:
    found = resolve_text(text, language, published)
    assert len(found) == 1, [m.text for m in found]
    return found[0]


def resolved(text: str, language: str, published: PublicationDate | None):
    m = only(text, language, published)
    return m.start_date, m.end_date, m.precision


# -- month names ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_month_name_in_the_calendar_is_read_with_a_day_and_year(language):
    rows = [r for r in table(language, "calendar") if r["kind"] == "month"]
    assert len({r["value"] for r in rows}) == 12
    for row in rows:
        form = row["form"] if language == "ar" else row["form"].capitalize()
        text = f"في 15 {form} 2020 وقع" if language == "ar" else f"It happened on 15 {form} 2020 there"
        m = only(text, language, None)
        assert m.start_date == D(2020, int(row["value"]), 15), (form, m)
        assert m.precision == "day"


@pytest.mark.parametrize(
    "form, number",
    [
        ("كانون الثاني", 1), ("شباط", 2), ("آذار", 3), ("نيسان", 4), ("أيار", 5), ("حزيران", 6),
        ("تموز", 7), ("آب", 8), ("أيلول", 9), ("تشرين الأول", 10), ("تشرين الثاني", 11),
        ("كانون الأول", 12), ("يناير", 1), ("فبراير", 2), ("مارس", 3), ("أبريل", 4), ("مايو", 5),
        ("يونيو", 6), ("يوليو", 7), ("أغسطس", 8), ("سبتمبر", 9), ("أكتوبر", 10), ("نوفمبر", 11),
        ("ديسمبر", 12),
    ],
)
def test_levantine_and_egyptian_month_names(form, number):
    assert resolved(f"جرت الانتخابات في {form} 2019 الماضي", "ar", None)[:2] == (
        D(2019, number, 1),
        D(2019, number + 1, 1) - dt.timedelta(days=1) if number < 12 else D(2019, 12, 31),
    )


def test_doubled_month_names_without_a_separator():
    m = only("الذي تولى منصبه في مايو أيار، بدأ", "ar", day(SUN))
    assert (m.text, m.start_date, m.precision) == ("مايو أيار", D(2021, 5, 1), "month")


@pytest.mark.parametrize(
    "text", ["العاشر من أكتوبر/تشرين الأول", "العاشر من تشرين الأول/أكتوبر", "10 أكتوبر (تشرين الأول)"]
)
def test_doubled_month_names_are_one_mention(text):
    m = only(f"انتخابات {text} المبكرة", "ar", day(SUN))
    assert m.text == text
    assert (m.start_date, m.precision) == (D(2021, 10, 10), "day")


def test_english_month_and_weekday_names_must_be_capitalised_and_may_is_not_a_month():
    assert resolve_text("Theresa May said the march would go ahead on sunday", "en", day(SUN)) == []
    m = only("the vote on 3 May was annulled", "en", day(SUN))
    assert m.start_date == D(2021, 5, 3)
    m = only("protests began in March and", "en", day(SUN))
    assert (m.text, m.start_date, m.precision) == ("March", D(2021, 3, 1), "month")
    assert resolve_text("the March on Washington may go ahead", "en", day(SUN)) == []


# -- ordinal day words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("الأول من نوفمبر", D(2021, 11, 1)),
        ("الثاني من نوفمبر", D(2021, 11, 2)),
        ("العاشر من أكتوبر", D(2021, 10, 10)),
        ("الثاني عشر من أكتوبر", D(2021, 10, 12)),
        ("العشرين من أكتوبر", D(2021, 10, 20)),
        ("الحادي والعشرين من أكتوبر", D(2021, 10, 21)),
        ("التاسع والعشرين من أيلول", D(2021, 9, 29)),
        ("الثلاثين من أيلول", D(2021, 9, 30)),
        ("الحادي والثلاثين من تشرين الأول", D(2021, 10, 31)),
    ],
)
def test_arabic_ordinal_day_words(text, expected):
    m = only(f"وذلك في {text} حسب البيان", "ar", day(SUN))
    assert m.text == text
    assert (m.start_date, m.precision) == (expected, "day")


def test_english_ordinal_days_and_a_day_of_the_current_month():
    assert resolved("on the tenth of October", "en", day(SUN))[0] == D(2021, 10, 10)
    assert resolved("on the 15th of January", "en", day(SUN))[0] == D(2021, 1, 15)
    assert resolved("في الخامس من الشهر الجاري", "ar", day(SUN))[0] == D(2021, 11, 5)
    assert resolved("في العاشر من الشهر الماضي", "ar", day(SUN))[0] == D(2021, 10, 10)


# -- weekdays --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "published, expected",
    [
        (SUN, FRI),  # two days before
        (FRI, FRI),  # the same weekday: the publication day itself
        (THU, D(2021, 10, 29)),  # the day after: a week before
        (NEW_YEAR, D(2023, 12, 29)),  # across the year boundary
    ],
)
@pytest.mark.parametrize("text, language", [("اندلعت الاشتباكات الجمعة في", "ar"), ("clashes on Friday in", "en")])
def test_bare_weekday_is_the_most_recent_on_or_before_publication(text, language, published, expected):
    m = only(text, language, day(published))
    assert (m.start_date, m.end_date, m.precision, m.kind) == (expected, expected, "day", "weekday")
    assert not m.future


@pytest.mark.parametrize(
    "text, language, published, expected, future",
    [
        ("يوم الجمعة المقبل", "ar", FRI, D(2021, 11, 12), True),
        ("الجمعة المقبلة", "ar", SUN, D(2021, 11, 12), True),
        ("next Friday", "en", SUN, D(2021, 11, 12), True),
        ("الجمعة الماضية", "ar", FRI, D(2021, 10, 29), False),
        ("last Friday", "en", SUN, FRI, False),
        ("ستعقد الجلسة يوم الأحد", "ar", SUN, SUN, True),  # future tense, same day
        ("ستعقد الجلسة يوم الأحد", "ar", THU, SUN, True),
        ("the talks will resume on Sunday", "en", THU, SUN, True),
    ],
)
def test_next_last_and_future_tense_move_the_weekday(text, language, published, expected, future):
    m = only(text, language, day(published))
    assert m.start_date == expected
    assert m.future is future


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("في ساعة مبكرة من صباح الأحد", "ar", "صباح الأحد"),
        ("تعرض لمحاولة اغتيال فجر اليوم الأحد", "ar", "فجر اليوم الأحد"),
        ("وقع الهجوم ليلة الأحد", "ar", "ليلة الأحد"),
        ("مساء الأحد", "ar", "مساء الأحد"),
        ("عصر اليوم الأحد", "ar", "عصر اليوم الأحد"),
        ("killed early on Sunday in", "en", "early on Sunday"),
        ("attacked on Sunday morning", "en", "on Sunday morning"),
        ("early Sunday morning", "en", "early Sunday morning"),
    ],
)
def test_parts_of_the_day_with_a_weekday(text, language, expected):
    m = only(text, language, day(SUN))
    assert m.text == expected
    assert (m.start_date, m.precision) == (SUN, "day")


def test_weekday_with_a_relative_word_and_with_a_written_date():
    assert resolved("أعلن مساء أمس الثلاثاء", "ar", day(D(2021, 11, 3)))[0] == D(2021, 11, 2)
    # relative word and weekday disagree: the weekday wins (re-published text)
    m = only("قال اليوم الجمعة", "ar", day(SUN))
    assert m.start_date == FRI and "weekday wins" in m.reason
    m = only("الخميس 30 يونيو/حزيران 2022، قالت", "ar", day(SUN))
    assert (m.start_date, m.kind) == (D(2022, 6, 30), "absolute")
    m = only("exploded Tuesday (September 17, 2024), the minister said", "en", day(SUN))
    assert m.text == "Tuesday (September 17, 2024)" and m.start_date == D(2024, 9, 17)


def test_weekday_words_that_are_common_words_need_a_cue():
    assert resolve_text("قتل أحد عناصر الأمن", "ar", day(SUN)) == []  # أحد = one of
    assert resolve_text("وقال جمعة العبيدي", "ar", day(SUN)) == []  # a name
    assert resolved("وقع يوم أحد دام", "ar", day(SUN))[0] == SUN
    assert resolve_text("استمر القتال يوم واحد فقط", "ar", day(SUN)) == []  # واحد is not و+أحد


# -- relative expressions ------------------------------------------------------------------


RELATIVE = [
    # text, language, publication, start, end, precision
    ("أمس", "ar", SUN, D(2021, 11, 6), D(2021, 11, 6), "day"),
    ("أمس", "ar", NEW_YEAR, D(2023, 12, 31), D(2023, 12, 31), "day"),
    ("البارحة", "ar", SUN, D(2021, 11, 6), D(2021, 11, 6), "day"),
    ("بالأمس", "ar", SUN, D(2021, 11, 6), D(2021, 11, 6), "day"),
    ("اليوم", "ar", SUN, SUN, SUN, "day"),
    ("الليلة الماضية", "ar", SUN, D(2021, 11, 6), D(2021, 11, 6), "day"),
    ("أول أمس", "ar", NEW_YEAR, D(2023, 12, 30), D(2023, 12, 30), "day"),
    ("غدا", "ar", SUN, D(2021, 11, 8), D(2021, 11, 8), "day"),
    ("قبل يومين", "ar", SUN, FRI, FRI, "day"),
    ("منذ ثلاثة أيام", "ar", SUN, THU, THU, "day"),
    ("منذ 3 أيام", "ar", NEW_YEAR, D(2023, 12, 29), D(2023, 12, 29), "day"),
    ("قبل أسبوعين", "ar", SUN, D(2021, 10, 21), D(2021, 10, 27), "week"),
    ("الأسبوع الماضي", "ar", SUN, D(2021, 10, 30), D(2021, 11, 5), "week"),  # weeks from Saturday
    ("الشهر الماضي", "ar", SUN, D(2021, 10, 1), D(2021, 10, 31), "month"),
    ("الشهر الماضي", "ar", NEW_YEAR, D(2023, 12, 1), D(2023, 12, 31), "month"),
    ("العام الماضي", "ar", SUN, D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("السنة الماضية", "ar", NEW_YEAR, D(2023, 1, 1), D(2023, 12, 31), "year"),
    ("الشهر الجاري", "ar", SUN, D(2021, 11, 1), D(2021, 11, 30), "month"),
    ("yesterday", "en", SUN, D(2021, 11, 6), D(2021, 11, 6), "day"),
    ("today", "en", FRI, FRI, FRI, "day"),
    ("last night", "en", NEW_YEAR, D(2023, 12, 31), D(2023, 12, 31), "day"),
    ("tomorrow", "en", SUN, D(2021, 11, 8), D(2021, 11, 8), "day"),
    ("two days ago", "en", SUN, FRI, FRI, "day"),
    ("3 days ago", "en", SUN, THU, THU, "day"),
    ("last week", "en", SUN, D(2021, 10, 25), D(2021, 10, 31), "week"),  # weeks from Monday
    ("last month", "en", NEW_YEAR, D(2023, 12, 1), D(2023, 12, 31), "month"),
    ("last year", "en", SUN, D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("overnight", "en", SUN, SUN, SUN, "day"),
]


@pytest.mark.parametrize("text, language, published, start, end, precision", RELATIVE)
def test_relative_expressions(text, language, published, start, end, precision):
    sentence = f"وقع ذلك {text} في المدينة" if language == "ar" else f"It happened {text} in the city"
    m = only(sentence, language, day(published))
    assert (m.start_date, m.end_date, m.precision) == (start, end, precision), m.reason
    assert m.future is (start > published)


@pytest.mark.parametrize("text, language, published, start, end, precision", RELATIVE)
def test_relative_expressions_without_a_publication_date_stay_unresolved(
    text, language, published, start, end, precision
):
    m = only(text, language, None)
    assert (m.start_date, m.end_date, m.precision) == (None, None, None)
    assert "no publication date" in m.reason


def test_relative_to_another_event_is_not_resolved_against_publication():
    m = only("اعتقل قبل يومين من الانتخابات", "ar", day(SUN))
    assert m.start_date is None and "another event" in m.reason


def test_words_that_look_like_time_but_are_not():
    assert resolve_text("في اليوم التالي للهجوم", "ar", day(SUN)) == []
    assert resolve_text("the following day they left", "en", day(SUN)) == []


def test_durations_up_to_publication():
    m = only("خلال الأيام الثلاثة الماضية", "ar", day(SUN))
    assert (m.start_date, m.end_date, m.precision, m.kind) == (THU, SUN, None, "duration")
    m = only("in the past three days", "en", day(SUN))
    assert (m.start_date, m.end_date) == (THU, SUN)


# -- publication known only to the month ---------------------------------------------------


def test_month_precision_publication():
    pub = month(2021, 11)
    for text in ("الجمعة", "أمس", "صباح الأحد", "الأسبوع الماضي", "قبل يومين"):
        m = only(f"وقع {text} في بغداد", "ar", pub)
        # a weekday can't be fixed to a day: the publication month, never a guessed day
        assert (m.start_date, m.end_date, m.precision) == (D(2021, 11, 1), D(2021, 11, 30), "month"), text
        assert "known only to the month" in m.reason
    assert resolved("الشهر الماضي", "ar", pub) == (D(2021, 10, 1), D(2021, 10, 31), "month")
    assert resolved("في أكتوبر", "ar", pub) == (D(2021, 10, 1), D(2021, 10, 31), "month")
    assert resolved("العاشر من أكتوبر", "ar", pub)[0] == D(2021, 10, 10)
    year_only = PublicationDate(D(2021, 1, 1), DatePrecision.YEAR, "url")
    assert resolved("الجمعة", "ar", year_only) == (D(2021, 1, 1), D(2021, 12, 31), "year")
    assert resolved("العام الماضي", "ar", year_only) == (D(2020, 1, 1), D(2020, 12, 31), "year")


# -- absolute dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("15/1/2020", "ar", D(2020, 1, 15)),
        ("2020-01-15", "ar", D(2020, 1, 15)),
        ("15-1-2020", "ar", D(2020, 1, 15)),
        ("١٥/١/٢٠٢٠", "ar", D(2020, 1, 15)),  # Arabic-Indic digits
        ("۱۵/۱/۲۰۲۰", "ar", D(2020, 1, 15)),  # Persian digits
        ("2020/08/04", "ar", D(2020, 8, 4)),
        ("31-مارس-2022", "ar", D(2022, 3, 31)),
        ("15 كانون الثاني 2020", "ar", D(2020, 1, 15)),
        ("10 أيار 2017", "ar", D(2017, 5, 10)),
        ("January 15, 2020", "en", D(2020, 1, 15)),
        ("15 January 2020", "en", D(2020, 1, 15)),
        ("15th of January 2020", "en", D(2020, 1, 15)),
        ("Jan. 15, 2020", "en", D(2020, 1, 15)),
        ("09/17/2024", "en", D(2024, 9, 17)),  # impossible as DMY
        ("15/1/2020", "en", D(2020, 1, 15)),  # impossible as MDY
        ("2020-07-15T19:10:39+00:00", "en", D(2020, 7, 15)),
    ],
)
def test_absolute_dates_need_no_publication_date(text, language, expected):
    m = only(f"« {text} »", language, None)
    assert m.text == text.partition("T")[0]
    assert (m.start_date, m.end_date, m.precision, m.kind) == (expected, expected, "day", "absolute")


def test_day_and_month_without_a_year():
    assert resolved("15 كانون الثاني", "ar", day(D(2021, 1, 20)))[0] == D(2021, 1, 15)
    # 25 December 2021 would be >30 days after publication: the year before
    assert resolved("25 ديسمبر", "ar", day(D(2021, 1, 5)))[0] == D(2020, 12, 25)
    assert resolved("Jan. 15", "en", day(D(2021, 12, 20)))[0] == D(2021, 1, 15)
    m = only("15 January", "en", None)
    assert m.start_date is None and "without a year" in m.reason


def test_months_and_years():
    assert resolved("في أكتوبر الماضي", "ar", day(SUN)) == (D(2021, 10, 1), D(2021, 10, 31), "month")
    assert resolved("في أكتوبر الماضي", "ar", day(D(2021, 10, 15)))[0] == D(2020, 10, 1)
    assert resolved("in October 2019", "en", None) == (D(2019, 10, 1), D(2019, 10, 31), "month")
    assert resolved("في شهر آذار من العام الماضي", "ar", day(SUN))[0] == D(2020, 3, 1)
    assert resolved("عام 2019", "ar", None) == (D(2019, 1, 1), D(2019, 12, 31), "year")
    assert resolved("في العام 2019", "ar", None)[0] == D(2019, 1, 1)
    assert resolved("in 2019", "en", None) == (D(2019, 1, 1), D(2019, 12, 31), "year")
    assert resolved("2021-11", "en", None) == (D(2021, 11, 1), D(2021, 11, 30), "month")


@pytest.mark.parametrize(
    "text, language",
    [
        ("from 5 to 7 November", "en"),
        ("November 5-7", "en"),
        ("between 5 and 7 November", "en"),
        ("بين 5 و7 نوفمبر", "ar"),
        ("من 5 إلى 7 تشرين الثاني", "ar"),
    ],
)
def test_ranges_of_days(text, language):
    m = only(f"« {text} »", language, day(D(2021, 11, 20)))
    assert m.text == text
    assert (m.start_date, m.end_date, m.kind) == (D(2021, 11, 5), D(2021, 11, 7), "range")


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, reason",
    [
        ("32/13/2021", "rejected"),
        ("31/02/2021", "rejected"),
        ("في عام 0001", "rejected"),
        ("15/1/0001", "rejected"),
        ("30 شباط 2021", "rejected"),
    ],
)
def test_absurd_dates_are_reported_with_a_reason(text, reason):
    m = only(text, "ar", day(SUN))
    assert m.start_date is None and m.end_date is None and m.precision is None
    assert reason in m.reason


def test_hijri_years_are_reported_not_converted():
    m = only("في عام 1443 هـ", "ar", day(SUN))
    assert m.start_date is None and "Hijri" in m.reason


def test_garbage_does_not_raise():
    for text in ["", " ", "\n\n", "////", "1/2/3/4/5", "-" * 1000, "منذ " * 50, "9" * 500, "قبل 99999 يوم",
                 "قبل 9999 سنة", "منذ 9999 شهر", "the past 9999 years", "\u0600\u200f\ufeff", "كانون", "الأول"]:
        resolve_text(text, "ar", day(SUN))
        resolve_text(text, "en", day(SUN))
        resolve_text(text, "xx", None)


def _seconds(text: str) -> float:
    """Time to tag and resolve `text` (uncached: the tagger itself, not the segment memo)."""
    from rasd.annotate.timex_resolve import resolve
    from rasd.annotate.timex_tagger import tag_tokens
    from rasd.annotate.tokens import tokenize

    best = float("inf")
    for _ in range(3):  # best of three: the machine is shared
        started = time.perf_counter()
        for timex in tag_tokens(tokenize(text), "ar"):
            resolve(timex, day(SUN))
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize(
    "unit", ["الجمعة ", "1/", "من ", "قبل يومين ", "العاشر من ", "word ", "5 ", "١٥/١/٢٠٢٠ "]
)
def test_time_tagging_is_linear_in_the_text(unit):
    small, large = unit * 500, unit * 5_000
    # 10x the text may not cost much more than 10x the time (quadratic would be 100x)
    assert _seconds(large) < 30 * max(_seconds(small), 0.01)


def test_a_text_of_100k_tokens_goes_through_the_public_apis():
    from rasd.annotate.numbers import parse_numbers

    sentence = (
        "وقال المسؤول في بيان إن قوات الأمن انتشرت في شوارع المدينة بعد أن قتل 5 أشخاص "
        "يوم الجمعة الماضي وإن الحياة عادت إلى طبيعتها في معظم الأحياء. "
    )  # 25 tokens
    text = sentence * 4_000  # 100,000 tokens, one piece
    found = resolve_text(text, "ar", day(SUN))
    assert len(found) == 4_000 and {m.start_date for m in found} == {FRI}
    numbers = parse_numbers(text, "ar")
    assert len(numbers) == 4_000 and {m.value for m in numbers} == {5}


# -- the prepared-document API and the shared example ----------------------------------------


def test_find_times_reads_body_segments_and_skips_boilerplate():
    from rasd.text import PreparedDocument

    text = "Published 1 March 2020. Clashes broke out on Friday."
    document = Document(text)
    segments = [
        Segment(0, 23, SegmentKind.BOILERPLATE, "en", 0),
        Segment(24, len(text), SegmentKind.BODY, "en", 0),
    ]
    found = find_times(PreparedDocument(document, segments, day(SUN), "en"))
    assert [(m.text, m.start_date) for m in found] == [("on Friday", FRI)]
    assert text[found[0].start : found[0].end] == "on Friday"


def test_acceptance_examples_in_the_kadhimi_report(shared_dir):
    text = (shared_dir / "examples" / "kadhimi-drone.txt").read_text(encoding="utf-8")
    found = {m.text: m for m in resolve_text(text, "ar", day(SUN))}
    assert (found["صباح الأحد"].start_date, found["صباح الأحد"].precision) == (SUN, "day")
    assert (found["الجمعة"].start_date, found["الجمعة"].precision) == (FRI, "day")
    october = found["العاشر من أكتوبر/تشرين الأول"]
    assert (october.start_date, october.precision) == (D(2021, 10, 10), "day")
    last_month = found["الشهر الماضي"]
    assert (last_month.start_date, last_month.end_date, last_month.precision) == (
        D(2021, 10, 1), D(2021, 10, 31), "month",
    )
    for m in found.values():
        assert text[m.start : m.end] == m.text
