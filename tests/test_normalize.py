"""Normalisation for matching (rasd.text.normalize) and its map back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.text.normalize import _VECTOR_MIN, fold, normalize, normalize_term


@pytest.mark.parametrize(
    ("original", "folded"),
    [
        ("قُتِلَ", "قتل"),  # harakat
        ("ثلاثةٌ", "ثلاثه"),  # tanween, ta marbuta
        ("شدّة", "شده"),  # shadda
        ("مقـــتل", "مقتل"),  # tatweel
        ("هٰذا", "هذا"),  # superscript alef
        ("أحمد إبراهيم آمنة ٱلله", "احمد ابراهيم امنه الله"),  # alef with hamza, madda, wasla
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("مدرسة", "مدرسه"),  # ta marbuta
        ("١٢٣٤٥٦٧٨٩٠", "1234567890"),  # Arabic-Indic digits
        ("۱۲۳۴۵۶۷۸۹۰", "1234567890"),  # Persian digits
        ("کرکوک یک", "كركوك يك"),  # Persian keheh and yeh
        ("Baghdad BAGHDAD", "baghdad baghdad"),  # Latin case
        ("al\u2011Kadhimi’s", "al\u2011kadhimi's"),  # typographic apostrophe
        ("Green\u00a0Zone", "green zone"),  # no-break space
        ("ﻻ ﺑﺄﺱ", "لا باس"),  # presentation forms (lam-alef ligature, positional letters)
        ("a\u200bb", "ab"),  # zero-width space
    ],
)
def test_folds(original: str, folded: str) -> None:
    assert normalize(original).text == folded
    assert fold(original) == folded


def test_hamza_seats_on_waw_and_ya_are_kept() -> None:
    # folding ؤ and ئ would merge different words (مسؤول/مسول); only alef forms fold
    assert normalize("مسؤول رئيس").text == "مسؤول رئيس"


def test_term_is_folded_like_text_and_spaces_collapse() -> None:
    assert normalize_term("  رئيسُ   الوزراءِ ") == "رئيس الوزراء"
    assert normalize_term("Prime  Minister") == "prime minister"


def test_match_maps_back_to_original_with_its_diacritics() -> None:
    text = "قصفت الطائراتُ بَغْدادَ أمسِ"
    n = normalize(text)
    start = n.text.index("بغداد")
    a, b = n.to_original(start, start + len("بغداد"))
    assert text[a:b] == "بَغْدادَ"  # the final fatha stays with its letter


def test_identity_when_nothing_changes() -> None:
    n = normalize("plain ascii text 123")
    assert n.text == "plain ascii text 123"
    assert n.to_original(6, 11) == (6, 11)
    assert n.from_original(6, 11) == (6, 11)


def test_expansion_maps_to_its_one_character() -> None:
    text = "ﻻ تقتل"  # the ligature becomes two letters
    n = normalize(text)
    assert n.text.startswith("لا ")
    assert n.to_original(0, 2) == (0, 1)
    assert n.to_original(1, 2) == (0, 1)  # half of an expansion still points at its character


def test_long_text_uses_the_same_folding() -> None:
    text = "وقال المتحدثُ باسم الوزارة في بيانٍ إن ١٢ شخصاً قُتلوا. " * 20
    assert len(text) > _VECTOR_MIN
    n = normalize(text)
    assert n.text == "".join(normalize(c).text for c in text)
    a, b = n.from_original(0, len("وقال المتحدثُ"))
    assert n.text[a:b] == "وقال المتحدث"


def test_lone_surrogates_and_astral_characters_do_not_break_it() -> None:
    text = ("abc\ud800déf 🇮🇶 𝐀 ") * 40
    n = normalize(text)
    assert n.text == "".join(normalize(c).text for c in text)


_ALPHABET = st.sampled_from(
    list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةٱپچژگکی")
    + list("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640\u200b\u200f\ufeff")
    + list("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789")
    + list("abcXYZÉéİß ’‘–—\u00a0.,،؛؟!\n")
    + ["ﻻ", "ﷲ", "ﺑ", "ﱞ"]
)
_TEXTS = st.lists(_ALPHABET, max_size=300).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.data())
def test_every_normalised_span_maps_to_original_characters_that_normalise_to_it(text: str, data) -> None:
    n = normalize(text)
    assert n.original == text
    assert n.text == "".join(normalize(c).text for c in text)  # folding is per character
    start = data.draw(st.integers(0, len(n.text)))
    end = data.draw(st.integers(start, len(n.text)))
    a, b = n.to_original(start, end)
    assert 0 <= a <= b <= len(text)
    if start == end:
        assert a == b
        return
    again = normalize(text[a:b]).text
    assert n.text[start:end] in again  # the original characters cover the span...
    x, y = n.from_original(a, b)
    assert n.text[x:y] == again  # ...and are exactly what their own normalisation gives
    assert x <= start and end <= y


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_vectorised_and_plain_paths_agree_on_any_text(text: str) -> None:
    n = normalize(text * 3)  # long enough for the vectorised path
    assert n.text == "".join(normalize(c).text for c in text * 3)
    if n.text:
        i = len(n.text) // 2
        a, b = n.to_original(i, i + 1)
        assert n.text[i] in normalize((text * 3)[a:b]).text


@settings(max_examples=200, deadline=None)
@given(_TEXTS, st.data())
def test_many_spans_at_once_map_like_one_at_a_time(text: str, data) -> None:
    n = normalize(text)
    if not n.text:
        return
    spans = data.draw(st.lists(
        st.integers(0, len(n.text) - 1).flatmap(lambda a: st.tuples(st.just(a), st.integers(a + 1, len(n.text)))),
        max_size=20,
    ))
    starts, ends = n.words_to_original([a for a, _ in spans], [b for _, b in spans])
    assert list(zip(starts, ends)) == [n.to_original(a, b) for a, b in spans]
