"""Reading one number at a token: digits in any script, or number words of a language.

Shared by the number tagger (counts of killed and injured) and the time tagger ("منذ ثلاثة
أيام", "two days ago"). Number words are data (rasd/lang/<code>/numbers.tsv); this module
only knows how words combine: units and tens add (خمسة وعشرون, twenty-one), "hundred"
multiplies what precedes it, scales (ألف, million) close a group, dual scale words
(ألفين) count themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rasd.annotate.tokens import NUM, WORD, LexiconView, PhraseLexicon, Tokens, WordTable
from rasd.lang import table

MAX_DIGITS = 15  # longer digit strings are not counts (and int() of 5,000 digits raises)
_THOUSANDS_SEPARATORS = {",", "\u066c"}  # "2,750", Arabic thousands separator
_DECIMAL_SEPARATORS = {".", "\u066b"}  # "2.5", Arabic decimal separator
NUMERIC_KINDS = frozenset(
    {"unit", "ten", "hundred", "hundreds", "scale", "scale_dual", "dozen", "article"}
)
_MULTIPLIERS = frozenset({"hundred", "scale", "scale_dual", "dozen"})


@dataclass(frozen=True, slots=True)
class NumWord:
    """One lexicon entry of numbers.tsv."""

    kind: str
    value: int | None  # the number for numeric kinds
    tag: str  # the value column for other kinds (min/max/approx, "open")


@dataclass(frozen=True, slots=True)
class NumberLexicon:
    language: str
    words: PhraseLexicon[NumWord]
    dot_thousands: bool  # "2.750" is 2750 in this language
    anchors: frozenset[str]  # a text needs a digit or one of these words to hold a number


@dataclass(frozen=True, slots=True)
class NumberRead:
    """A number read at tokens [start, end); `shift` skips a proclitic in the first token."""

    start: int
    end: int
    value: int | None
    reason: str
    countable: bool = True  # False for decimals and similar: consumed but not a count
    shift: int = 0


@lru_cache(maxsize=None)
def number_lexicon(language: str) -> NumberLexicon:
    """The number words of `language` (an empty lexicon when it has no numbers table)."""
    parts = WordTable.of(table(language, "numbers") if language else ())
    entries = [
        (form, NumWord(kind, int(value) if kind in NUMERIC_KINDS and value.lstrip("-").isdigit() else None, value))
        for kind, value, form in parts.words
    ]
    settings = parts.settings
    words = PhraseLexicon(entries, parts.prefixes)
    return NumberLexicon(
        language,
        words,
        settings.get("dot_thousands", "no").lower() == "yes",
        words.anchors(NUMERIC_KINDS - {"article"} | {"vague"}),
    )


def read_number(words: LexiconView[NumWord], i: int, lexicon: NumberLexicon) -> NumberRead | None:
    """The number that starts at token i, if any: digits (with separators and a scale word)
    or a run of number words. `words` is the number lexicon's view of the tokens."""
    tokens = words.tokens
    kind = tokens.kinds[i]
    if kind == NUM:
        return _read_digits(words, i, lexicon)
    if kind == WORD and lexicon.words:
        return _read_words(words, i)
    return None


def _joined(tokens: Tokens, j: int) -> bool:
    """Token j is a separator touching a digit token on both sides."""
    return (
        j + 1 < tokens.n
        and tokens.touching(j)
        and tokens.touching(j + 1)
        and tokens.kinds[j + 1] == NUM
    )


def _scale_after(words: LexiconView[NumWord], j: int) -> tuple[int, int] | None:
    """(multiplier, end) when a scale or hundred word follows at token j ("300 ألف")."""
    tokens = words.tokens
    if j >= tokens.n or tokens.kinds[j] != WORD:
        return None
    found = words.first(j, ("scale", "hundred"), peel=False)
    if found is None:
        return None
    match, word = found
    return (word.value or 1), match.end


def _read_digits(words: LexiconView[NumWord], i: int, lexicon: NumberLexicon) -> NumberRead:
    tokens = words.tokens
    texts = tokens.texts
    digits = texts[i]
    j = i + 1
    if len(digits) > MAX_DIGITS:
        while j < tokens.n and tokens.kinds[j] == NUM and tokens.touching(j):
            j += 1
        return NumberRead(i, j, None, f"rejected: {len(digits)} digits is not a count")
    groups: list[str] = []
    group_sep = ""
    if len(digits) <= 3:
        k = j
        while k < tokens.n and _joined(tokens, k) and len(texts[k + 1]) == 3:
            sep = texts[k]
            if not (sep in _THOUSANDS_SEPARATORS or (sep == "." and lexicon.dot_thousands)):
                break
            if group_sep and sep != group_sep:
                break
            group_sep = sep
            groups.append(texts[k + 1])
            k += 2
        if groups and group_sep == "." and len(groups) == 1 and _scale_after(words, k):
            groups = []  # "1.500 مليون" is 1.5 million, not 1500 million
        elif groups:
            j = k
    whole = digits + "".join(groups)
    fraction = ""
    if j < tokens.n and texts[j] in _DECIMAL_SEPARATORS and _joined(tokens, j) and not groups:
        fraction = texts[j + 1]
        j += 2
    if len(whole) > MAX_DIGITS:
        return NumberRead(i, j, None, f"rejected: {len(whole)} digits is not a count")
    scale = _scale_after(words, j)
    if scale:
        multiplier, j = scale
        if fraction:
            value = round((int(whole) + int(fraction[:9]) / 10 ** len(fraction[:9])) * multiplier)
            return NumberRead(i, j, value, "digits with a decimal and a scale word")
        return NumberRead(i, j, int(whole) * multiplier, "digits with a scale word")
    if fraction:
        return NumberRead(i, j, None, "decimal number: not a count", countable=False)
    reason = "digits" if not groups else "digits with thousands separators"
    return NumberRead(i, j, int(whole), reason)


def _conjunction(words: LexiconView[NumWord], j: int) -> int:
    """How many tokens at j join two number words: 1 for "and", "و" or a touching hyphen."""
    tokens = words.tokens
    if j >= tokens.n:
        return 0
    text = tokens.texts[j]
    if text == "-" and tokens.touching(j) and j + 1 < tokens.n and tokens.touching(j + 1):
        return 1
    if tokens.kinds[j] == WORD:
        found = words.first(j, ("and",), peel=False)
        if found is not None:
            return 1
        if text == "و":  # a detached Arabic conjunction: "مائة و خمسون"
            return 1
    return 0


def _read_words(words: LexiconView[NumWord], i: int) -> NumberRead | None:
    tokens = words.tokens
    total = 0
    current = 0
    last_scale = 10**18
    used = 0
    shift = 0
    j = i
    end = i
    while j < tokens.n:
        step = 0
        if used:
            step = _conjunction(words, j)
        found = words.first(j + step, NUMERIC_KINDS)
        if found is None:
            break
        match, word = found
        if used == 0:
            shift = match.shift
        elif match.shift and tokens.texts[j + step][:1] != "و":
            break  # inside a number only the conjunction و may be glued on
        value = word.value or 0
        lower = current % 100
        kind = word.kind
        if kind == "article":
            following = words.first(match.end, _MULTIPLIERS, peel=False)
            if used or following is None:
                break
            current = 1
        elif kind == "unit":
            if value >= 10 or value == 0:
                if lower:
                    break
            elif not (lower == 0 or (lower >= 20 and lower % 10 == 0)):
                break
            current += value
        elif kind == "ten":
            if lower >= 10:
                break
            current += value
        elif kind == "hundred":
            if current == 0:
                current = value
            elif 1 <= current <= 9:
                current *= value
            else:
                break
        elif kind == "hundreds":
            if current:
                break
            current = value
        elif kind == "dozen":
            if current >= 100:
                break
            current = (current or 1) * value
        elif kind == "scale":
            if value >= last_scale:
                break
            total += (current or 1) * value
            current = 0
            last_scale = value
        elif kind == "scale_dual":
            if current or value // 2 >= last_scale:
                break
            total += value
            last_scale = value // 2
        used += 1
        j = match.end
        end = j
    if not used:
        return None
    return NumberRead(i, end, total + current, "number words", shift=shift)
