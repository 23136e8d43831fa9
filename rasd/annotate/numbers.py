"""Numbers in text, with the qualifiers that matter for casualty counts.

"at least 3" is 3 with qualifier `min`, "أكثر من 100" is 100 `min`, "نحو 50" is 50
`approx`, "three to five" / "بين 3 و5" is 3 `range` up to 5, "dozens" / "عشرات" has no value
and qualifier `vague`. Digits in any script and number words in each language pack are read
by `number_words`; which words are qualifiers is data (rasd/lang/<code>/numbers.tsv).

Not reported: numbers that are part of a time expression (dates, "منذ ثلاثة أيام"),
percentages, decimals without a scale word, ordinals ("15th"), times of day ("19:59") and
numbers glued to Latin letters (F-16, COVID-19, 5G). A digit string too long to be a count
is reported with value None and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rasd.annotate.number_words import (
    NumberLexicon,
    NumberRead,
    number_lexicon,
    read_number,
)
from rasd.annotate.timex_lexicon import pack_language
from rasd.annotate.timex_tagger import tag_text
from rasd.annotate.tokens import (
    NUM,
    WORD,
    LexiconView,
    Piece,
    Tokens,
    may_contain,
    normalized,
    pieces,
    tokens_of,
)

if TYPE_CHECKING:
    from rasd.text import PreparedDocument

_NO_KINDS: frozenset[str] = frozenset()
_LOOKBACK = 5  # tokens a qualifier or range opener may stand before its number ("ما لا يقل عن")
_QUALIFIER_GAP = 2  # words allowed between a number and "على الأقل" (the counted noun)
_CODE_JOINERS = {"-", ".", "/"}
_CLOCK = {":"}


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number (or vague count) in the original text."""

    start: int
    end: int
    text: str
    value: int | None  # None for vague counts ("dozens", "عشرات") and rejected numbers
    high: int | None  # upper bound of a range
    qualifier: str  # "exact" | "min" | "max" | "approx" | "range" | "vague"
    reason: str = ""  # how it was read (or why it was rejected)


def find_numbers(prepared: "PreparedDocument") -> list[NumberMention]:
    """Numbers in the document's body, post, quote and caption segments, in text order."""
    found: list[NumberMention] = []
    for piece in pieces(prepared):
        found.extend(_numbers_in(piece))
    return found


def parse_numbers(text: str, language: str) -> list[NumberMention]:
    """Numbers in a bare text of the given language (for tests and the Python API)."""
    return _numbers_in(Piece(0, text, language, language))


def _numbers_in(piece: Piece) -> list[NumberMention]:
    language = pack_language("numbers", piece.language, piece.fallback)
    lexicon = number_lexicon(language)
    if not may_contain(normalized(piece.text).text, lexicon.anchors):
        return []
    tokens = tokens_of(piece.text)
    if not tokens.texts:
        return []
    blocked = bytearray(len(tokens))  # tokens of time expressions: dates are not counts
    for timex in tag_text(piece.text, pack_language("time_words", piece.language, piece.fallback)):
        blocked[timex.first : timex.last + 1] = b"\x01" * (timex.last + 1 - timex.first)
    return _Scanner(tokens, lexicon, blocked, piece.start).run()


class _Scanner:
    """One left-to-right pass over the tokens of a piece of text."""

    def __init__(self, tokens: Tokens, lexicon: NumberLexicon, blocked: bytearray, offset: int):
        self.tokens = tokens
        self.n = tokens.n
        self.lexicon = lexicon
        self.words = LexiconView(lexicon.words, tokens)
        self.blocked = blocked
        self.offset = offset
        self.found: list[NumberMention] = []

    def run(self) -> list[NumberMention]:
        """Try each step in a window before every anchor token (digits, a number word or a
        vague count word: every mention has one); qualifiers and "بين/between" come at
        most a few tokens before it."""
        texts, kinds, anchors, blocked = self.tokens.texts, self.tokens.kinds, self.lexicon.anchors, self.blocked
        candidates = [
            i for i, (word, kind) in enumerate(zip(texts, kinds))
            if (kind == NUM or word in anchors) and not blocked[i]
        ]
        free = 0
        for anchor in candidates:
            if anchor < free:
                continue
            i = max(free, anchor - _LOOKBACK)
            while i <= anchor:
                i = self._step(i) if not blocked[i] else i + 1
            free = i
        return self.found

    # -- helpers -------------------------------------------------------------------------

    def _lookup(self, i: int, kinds: tuple[str, ...]):
        if i >= self.n or self.blocked[i]:
            return None
        return self.words.first(i, kinds)

    def _number(self, i: int) -> NumberRead | None:
        if i >= self.n or self.blocked[i]:
            return None
        read = read_number(self.words, i, self.lexicon)
        if read is None or any(self.blocked[read.start : read.end]):
            return None
        return read

    def _not_a_count(self, read: NumberRead) -> str:
        """Why a digit number is not a count (code, clock time, ordinal), or ""."""
        tokens = self.tokens
        texts, kinds = tokens.texts, tokens.kinds
        i, end = read.start, read.end
        if kinds[i] != NUM:
            return ""
        if tokens.touching(i):
            before = texts[i - 1]
            if kinds[i - 1] == WORD and before.isascii():
                return "glued to letters (a code or model name)"
            if before in _CLOCK or (before in _CODE_JOINERS and i > 1 and tokens.touching(i - 1)
                                    and kinds[i - 2] == WORD and texts[i - 2].isascii()):
                return "part of a code or clock time"
            if before == "#":
                return "a hashtag or rank"
        if end < self.n and tokens.touching(end) and kinds[end - 1] == NUM:
            after = texts[end]
            if kinds[end] == WORD and after.isascii():
                return "glued to letters (ordinal, unit or code)"
            if after in _CLOCK and end + 1 < self.n and kinds[end + 1] == NUM:
                return "clock time"
        return ""

    def _percent_at(self, j: int) -> int:
        found = self._lookup(j, ("percent",))
        return found[0].end if found else 0

    def _qualifier_after(self, j: int) -> tuple[str, int, bool] | None:
        """A following "على الأقل" / "or more": (qualifier, end, adjacent)."""
        tokens = self.tokens
        for gap in range(_QUALIFIER_GAP + 1):
            k = j + gap
            if k >= self.n:
                return None
            found = self._lookup(k, ("qualifier_after",))
            if found:
                return found[1].tag, found[0].end, gap == 0
            if tokens.kinds[k] != WORD or self._number(k) is not None:
                return None
        return None

    def _range_tail(self, j: int, opened: bool) -> tuple[NumberRead, int] | None:
        """"to 5" / "و5" after a first number: (second number, end)."""
        found = self._lookup(j, ("range_to",))
        if found is None:
            return None
        match, word = found
        if word.tag == "open" and not opened:
            return None
        second = self._number(match.end)
        if second is None or second.value is None or not second.countable:
            return None
        return second, second.end

    def _emit(self, first: int, shift: int, last_end: int, value: int | None, high: int | None,
              qualifier: str, reason: str) -> None:
        start, end = self.tokens.original_span(first, last_end - 1, shift)
        text = self.tokens.norm.original[start:end]
        self.found.append(
            NumberMention(start + self.offset, end + self.offset, text, value, high, qualifier, reason)
        )

    # -- one step ------------------------------------------------------------------------

    def _step(self, i: int) -> int:
        kinds = self.words.kinds(i) if self.tokens.kinds[i] == WORD else _NO_KINDS
        if kinds:
            if "not_number" in kinds:
                skip = self._lookup(i, ("not_number",))
                if skip:
                    return skip[0].end
            if "vague" in kinds:
                match, _ = self._lookup(i, ("vague",)) or (None, None)
                if match is not None:
                    # "آلاف" after a number was consumed with it; here it stands alone
                    self._emit(i, match.shift, match.end, None, None, "vague", "vague count word")
                    return match.end
            if "qualifier_before" in kinds:
                match, word = self._lookup(i, ("qualifier_before",)) or (None, None)
                if match is not None:
                    end = self._counted(match.end, first=i, shift=match.shift, qualifier=word.tag)
                    if end:
                        return end
            if "range_open" in kinds:
                end = self._opened_range(i)
                if end:
                    return end
        return self._counted(i, first=i, shift=None, qualifier="") or i + 1

    def _opened_range(self, i: int) -> int:
        """"بين 3 و5", "between 3 and 5", "من 3 إلى 5": the end token, or 0."""
        opener = self._lookup(i, ("range_open",))
        if opener is None:
            return 0
        match, _ = opener
        first = self._number(match.end)
        if first is None or first.value is None or not first.countable or self._not_a_count(first):
            return 0
        tail = self._range_tail(first.end, opened=True)
        if not tail or tail[0].value <= first.value:
            return 0
        second, end = tail
        self._emit(i, match.shift, end, first.value, second.value, "range",
                   f"range: {first.reason} to {second.reason}")
        return end

    def _counted(self, j: int, *, first: int, shift: int | None, qualifier: str) -> int:
        """Read a number (or range) at j and emit it; the end token, or 0 when none."""
        read = self._number(j)
        if read is None:
            return 0
        start_shift = read.shift if shift is None else shift
        why_not = self._not_a_count(read)
        if why_not:
            return read.end if shift is None else 0
        if not read.countable:
            return read.end if shift is None else 0
        percent_end = self._percent_at(read.end)
        if percent_end:
            return percent_end if shift is None else 0
        if read.value is None:  # too many digits
            self._emit(first, start_shift, read.end, None, None, qualifier or "exact", read.reason)
            return read.end
        tail = self._range_tail(read.end, opened=False)
        if tail and tail[0].value > read.value:
            second, end = tail
            self._emit(first, start_shift, end, read.value, second.value, "range",
                       f"range: {read.reason} to {second.reason}")
            return end
        end = read.end
        reason = read.reason
        if qualifier:
            reason = f"{reason}, qualifier before"
        else:
            after = self._qualifier_after(read.end)
            if after:
                qualifier, after_end, adjacent = after
                reason = f"{reason}, qualifier after"
                if adjacent:
                    end = after_end
        self._emit(first, start_shift, end, read.value, None, qualifier or "exact", reason)
        return end
