"""Numbers and count qualifiers in Arabic and English. Fixture phrases are written for
these tests."""

from __future__ import annotations

import time

import pytest

from rasd.annotate.numbers import NumberMention, find_numbers, parse_numbers
from rasd.document import Document, Segment, SegmentKind


def only(text: str, language: str) -> NumberMention:
    found = parse_numbers(text, language)
    assert len(found) == 1, [(m.text, m.value) for m in found]
    return found[0]


def reading(text: str, language: str):
    m = only(text, language)
    return m.value, m.high, m.qualifier


# -- digits ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, language, value, span",
    [
        ("قتل 6 أشخاص", "ar", 6, "6"),
        ("قتل ٦ أشخاص", "ar", 6, "٦"),  # Arabic-Indic
        ("قتل ۶ أشخاص", "ar", 6, "۶"),  # Persian
        ("أصيب ١٢٥ شخصا", "ar", 125, "١٢٥"),
        ("خزّن 2,750 طنا", "ar", 2750, "2,750"),
        ("خزّن 2.750 طنا", "ar", 2750, "2.750"),  # dot as thousands separator in Arabic
        ("أصيب ١٬٢٥٠ شخصا", "ar", 1250, "١٬٢٥٠"),  # Arabic thousands separator
        ("نزح 2.5 مليون شخص", "ar", 2_500_000, "2.5 مليون"),
        ("تشريد 300 ألف شخص", "ar", 300_000, "300 ألف"),
        ("stored 2,750 tons", "en", 2750, "2,750"),
        ("displaced 1.2 million people", "en", 1_200_000, "1.2 million"),
        ("killed 1,250,000 people", "en", 1_250_000, "1,250,000"),
        ("مقتل ١٥ شخصاً", "ar", 15, "١٥"),
    ],
)
def test_digits_in_every_script_with_separators_and_scales(text, language, value, span):
    m = only(text, language)
    assert (m.value, m.qualifier, m.text) == (value, "exact", span)
    assert text[m.start : m.end] == span


def test_a_dot_in_english_is_a_decimal_point():
    assert parse_numbers("the index lost 2.750 points", "en") == []  # 2.75: not a count


# -- Arabic number words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("ثلاثة جنود", 3), ("ثلاث نساء", 3), ("ثلاثين شخصا", 30), ("ثلاثون قتيلا", 30),
        ("واحد", 1), ("اثنان", 2), ("اثنين من الحراس", 2), ("اثنتين من بواباتها", 2),
        ("ستة عشر جنديا", 16), ("ست عشرة امرأة", 16), ("اثنا عشر شخصا", 12), ("اثني عشر جنديا", 12),
        ("إحدى عشرة سيدة", 11), ("تسعة عشر", 19), ("مئة شخص", 100), ("مائة وخمسون", 150),
        ("مئة وخمسون", 150), ("مائة و خمسون", 150), ("مائتين", 200), ("مئتا جندي", 200),
        ("ثلاثمائة", 300), ("ثلاث مئة", 300), ("خمسمئة", 500), ("خمسة وعشرين", 25),
        ("خمس وعشرون", 25), ("مائة وخمسة وعشرون", 125), ("ألف", 1000), ("ألفين", 2000),
        ("ألفان وخمسمائة", 2500), ("ثلاثة آلاف", 3000), ("عشرة آلاف", 10_000),
        ("مائة ألف", 100_000), ("مليون", 1_000_000), ("مليونين", 2_000_000),
        ("ثلاثة آلاف وخمسمائة وعشرين", 3520),
    ],
)
def test_arabic_number_words_with_gender_and_case_forms(text, value):
    m = only(f"وقال المصدر إن {text} سقطوا", "ar")
    assert m.value == value and m.qualifier == "exact"


def test_arabic_number_words_with_proclitics():
    # the span starts after the proclitic (ب، و، ل ...)
    m = only("استهدف بثلاثة صواريخ", "ar")
    assert (m.value, m.text) == (3, "ثلاثة")
    m = only("أسفر عن مقتل بأكثر من 100", "ar")
    assert (m.value, m.qualifier, m.text) == (100, "min", "أكثر من 100")
    m = only("تسبب بعشرات الإصابات", "ar")
    assert (m.value, m.qualifier, m.text) == (None, "vague", "عشرات")
    m = only("قتل جندي وخمسة مدنيين", "ar")
    assert (m.value, m.text) == (5, "خمسة")


# -- English number words --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("two", 2), ("eleven", 11), ("twenty", 20), ("twenty-one", 21), ("twenty one", 21),
        ("a dozen", 12), ("two dozen", 24), ("hundred and five", 105), ("a hundred and five", 105),
        ("one hundred twenty-five", 125), ("three thousand five hundred", 3500),
        ("a thousand", 1000), ("two million", 2_000_000), ("nine hundred and ninety-nine", 999),
    ],
)
def test_english_number_words(text, value):
    m = only(f"police said {text} people were hurt", "en")
    assert (m.value, m.qualifier, m.text) == (value, "exact", text)


# -- qualifiers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("at least 3", "en", (3, None, "min")),
        ("more than 100", "en", (100, None, "min")),
        ("over 40", "en", (40, None, "min")),
        ("no fewer than seven", "en", (7, None, "min")),
        ("up to 20", "en", (20, None, "max")),
        ("fewer than 10", "en", (10, None, "max")),
        ("about 50", "en", (50, None, "approx")),
        ("nearly 2,000", "en", (2000, None, "approx")),
        ("some 300", "en", (300, None, "approx")),
        ("three to five", "en", (3, 5, "range")),
        ("3-5", "en", (3, 5, "range")),
        ("3 to 5", "en", (3, 5, "range")),
        ("between 3 and 5", "en", (3, 5, "range")),
        ("two or three", "en", (2, 3, "range")),
        ("أكثر من 100", "ar", (100, None, "min")),
        ("ما لا يقل عن 20", "ar", (20, None, "min")),
        ("أقل من 10", "ar", (10, None, "max")),
        ("نحو 50", "ar", (50, None, "approx")),
        ("حوالي 50", "ar", (50, None, "approx")),
        ("قرابة 50", "ar", (50, None, "approx")),
        ("قرابة الـ50", "ar", (50, None, "approx")),
        ("زهاء ألف", "ar", (1000, None, "approx")),
        ("بين 3 و5", "ar", (3, 5, "range")),
        ("ثلاثة الى خمسة", "ar", (3, 5, "range")),
        ("من 3 إلى 5", "ar", (3, 5, "range")),
        ("3-5", "ar", (3, 5, "range")),
        ("ثلاثة أو أربعة", "ar", (3, 4, "range")),
    ],
)
def test_qualifiers_are_kept(text, language, expected):
    sentence = f"قتل {text} أشخاص" if language == "ar" else f"killing {text} people"
    m = only(sentence, language)
    assert (m.value, m.high, m.qualifier) == expected
    assert m.text == text


def test_qualifier_after_the_counted_noun():
    m = only("قتل 5 أشخاص على الأقل", "ar")
    assert (m.value, m.qualifier, m.text) == (5, "min", "5")
    m = only("وقال إن منزله تعرض لانفجار واحد على الأقل", "ar")
    assert (m.value, m.qualifier) == (1, "min")
    assert reading("50 people or more", "en") == (50, None, "min")


@pytest.mark.parametrize(
    "text, language",
    [
        ("dozens", "en"), ("hundreds", "en"), ("thousands", "en"), ("scores", "en"),
        ("tens of thousands", "en"), ("a number of", "en"), ("several", "en"),
        ("عشرات", "ar"), ("العشرات", "ar"), ("مئات", "ar"), ("المئات", "ar"),
        ("آلاف", "ar"), ("عشرات الآلاف", "ar"), ("عدد من", "ar"), ("عددًا من", "ar"), ("عدة", "ar"),
    ],
)
def test_vague_counts_have_no_value(text, language):
    sentence = f"أصيب {text} المدنيين" if language == "ar" else f"{text} of people were hurt"
    m = only(sentence, language)
    assert (m.value, m.high, m.qualifier) == (None, None, "vague")
    assert m.text == text


# -- what is not a count -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, language",
    [
        ("on 15 January 2020", "en"), ("on 15/1/2020", "en"), ("in 2019", "en"), ("40%", "en"),
        ("40 percent", "en"), ("an F-16 jet", "en"), ("COVID-19", "en"), ("at 19:30", "en"),
        ("the 15th", "en"), ("5G networks", "en"), ("no one was hurt", "en"), ("a 2.5 rise", "en"),
        ("في 15 كانون الثاني 2020", "ar"), ("عام 2019", "ar"), ("منذ ثلاثة أيام", "ar"),
        ("40 في المئة", "ar"), ("بنسبة 40%", "ar"), ("يوم الجمعة", "ar"),
    ],
)
def test_dates_percentages_codes_and_clock_times_are_not_counts(text, language):
    assert parse_numbers(text, language) == []


def test_counts_next_to_dates_are_still_found():
    found = parse_numbers("في 15/1/2020 قتل 3 أشخاص", "ar")
    assert [(m.text, m.value) for m in found] == [("3", 3)]


# -- bad input ---------------------------------------------------------------------------------


def test_hundreds_of_digits_are_rejected_with_a_reason():
    m = only("قتل " + "9" * 500 + " شخص", "ar")
    assert m.value is None and "rejected" in m.reason and "500 digits" in m.reason
    m = only("1,000,000,000,000,000,000 people", "en")  # 22 digits with separators
    assert m.value is None and "rejected" in m.reason


def test_garbage_does_not_raise():
    for text in ["", " ", "--", ",,,", "1,", ",1", "1.", ".1", "1..2", "and and", "و و و", "a a a",
                 "hundred hundred", "ألف ألف ألف", "thousand million", "between", "بين 5 و", "٫٬",
                 "9" * 5000, "1" + ",000" * 2000, "twenty-" * 300, "مائة و" * 300]:
        parse_numbers(text, "ar")
        parse_numbers(text, "en")
        parse_numbers(text, "xx")


def _seconds(text: str, language: str) -> float:
    """Best of three runs (the machine is shared), each on a new text: nothing memoised."""
    best = float("inf")
    for _ in range(3):
        fresh = f"{time.perf_counter_ns()} {text}"
        started = time.perf_counter()
        parse_numbers(fresh, language)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize(
    "unit, language",
    [("5 ", "ar"), ("1,", "en"), ("ثلاثة ", "ar"), ("و", "ar"), ("twenty-", "en"), ("أكثر من ", "ar"),
     ("بين 3 و", "ar"), ("word ", "en")],
)
def test_number_reading_is_linear_in_the_text(unit, language):
    small, large = unit * 500, unit * 5_000
    # 10x the text may not cost much more than 10x the time (quadratic would be 100x)
    assert _seconds(large, language) < 30 * max(_seconds(small, language), 0.01)


# -- the prepared-document API and the shared example ----------------------------------------


def test_find_numbers_reads_segments_in_their_language():
    from rasd.text import PreparedDocument

    text = "قتل ثلاثة جنود. Two soldiers were killed. Share 5 times"
    document = Document(text)
    segments = [
        Segment(0, 15, SegmentKind.BODY, "ar", 0),
        Segment(16, 41, SegmentKind.QUOTE, "en", 0),
        Segment(42, len(text), SegmentKind.BOILERPLATE, "en", 1),
    ]
    found = find_numbers(PreparedDocument(document, segments, None, "ar"))
    assert [(m.text, m.value) for m in found] == [("ثلاثة", 3), ("Two", 2)]
    assert all(text[m.start : m.end] == m.text for m in found)


def test_acceptance_example_in_the_kadhimi_report(shared_dir):
    text = (shared_dir / "examples" / "kadhimi-drone.txt").read_text(encoding="utf-8")
    found = parse_numbers(text, "ar")
    six = [m for m in found if m.value == 6]
    assert len(six) == 1 and six[0].qualifier == "exact"
    assert text[six[0].end :].startswith(" من أفراد")
    assert any(m.qualifier == "vague" and m.text == "عددًا من" for m in found)
