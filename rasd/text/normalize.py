"""Normalisation for matching, with a map back to the original characters.

Lexicons and gazetteers are matched against a normalised copy of the text (Arabic
diacritics, tatweel and letter variants folded, digits in one script, Latin lower-cased),
but every match is reported as a span of the original text: `Normalized.to_original`
does that mapping. The stored text is never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Arabic marks removed for matching: harakat, tanween, shadda, sukun, superscript alef,
# Quranic annotation signs, and tatweel.
_DELETE = (
    "\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0656\u0657"
    "\u0658\u0659\u065a\u065b\u065c\u065d\u065e\u065f\u0670"
    "\u06d6\u06d7\u06d8\u06d9\u06da\u06db\u06dc\u06df\u06e0\u06e1\u06e2\u06e3\u06e4"
    "\u06e7\u06e8\u06ea\u06eb\u06ec\u06ed"
    "\u0640"  # tatweel
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"
)

_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ی": "ي",  # Persian yeh
    "ې": "ي",
    "ة": "ه",
    "ۀ": "ه",
    "ک": "ك",  # Persian keheh
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "–": "-",
    "—": "-",
    "‐": "-",
}


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table: dict[int, str] = {ord(c): "" for c in _DELETE}
    table.update({ord(k): v for k, v in _LETTERS.items()})
    for zero, first in ((0x0660, "0"), (0x06F0, "0")):  # Arabic-Indic, Persian digits
        for i in range(10):
            table[zero + i] = chr(ord(first) + i)
    for code in range(0x0041, 0x2000):  # Latin, Greek, Cyrillic: lower case
        char = chr(code)
        if code in table:
            continue
        lower = char.lower()
        if lower != char:
            table[code] = lower
    return table


@lru_cache(maxsize=1)
def _not_one_to_one() -> re.Pattern[str]:
    chars = [chr(c) for c, r in _table().items() if len(r) != 1]
    return re.compile("[" + re.escape("".join(chars)) + "]")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised copy of `original` and the map from its offsets to the original's."""

    original: str
    text: str
    _starts: tuple[int, ...] | None  # None: offsets are the identity

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text to the span of original characters it came from.

        The end extends over characters that normalisation deleted right after the match
        (a final diacritic stays with its letter).
        """
        if self._starts is None:
            return start, end
        starts = self._starts
        orig_start = starts[start]
        if end <= start:
            return orig_start, orig_start
        orig_end = starts[end]
        if orig_end <= starts[end - 1]:  # the match ends inside a one-to-many expansion
            orig_end = starts[end - 1] + 1
        return orig_start, orig_end


def normalize(text: str) -> Normalized:
    """Fold `text` for matching; see the module docstring for what is folded."""
    table = _table()
    folded = text.translate(table)
    if len(folded) == len(text) and not _not_one_to_one().search(text):
        return Normalized(text, folded, None)
    starts: list[int] = []
    for index, char in enumerate(text):
        replacement = table.get(ord(char))
        width = 1 if replacement is None else len(replacement)
        starts.extend([index] * width)
    starts.append(len(text))
    return Normalized(text, folded, tuple(starts))


def normalize_term(term: str) -> str:
    """Normalise a lexicon entry the same way as the text it is matched against."""
    return " ".join(term.translate(_table()).split())
