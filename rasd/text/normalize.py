"""Normalisation for matching, with a map back to the original characters.

Lexicons and gazetteers are matched against a normalised copy of the text (Arabic
diacritics, tatweel and letter variants folded, digits in one script, Latin lower-cased),
but every match is reported as a span of the original text: `Normalized.to_original`
does that mapping. The stored text is never changed.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

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
    # Arabic presentation forms (ligatures and positional glyphs from PDFs and old pages,
    # e.g. U+FEFB LAM-ALEF) fold to the letters they stand for, then like any letter.
    base = dict(table)
    for code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)):
        char = chr(code)
        compat = unicodedata.normalize("NFKC", char)
        if compat != char:
            folded = compat.translate(base)
            table[code] = folded.strip() if folded.strip() else ""
    return table


@lru_cache(maxsize=1)
def _translation() -> list[int | str]:
    """`_table()` as a list indexed by code point over the Basic Multilingual Plane (where
    every folded character is): str.translate looks a character up in a list several
    times faster than in a dict. Characters above it raise IndexError, which translate
    takes as "unchanged", like a missing dict key."""
    table: list[int | str] = list(range(0x10000))
    for code, replacement in _table().items():
        table[code] = replacement
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

    def words_to_original(self, starts: list[int], ends: list[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """`to_original` of many non-empty spans at once, given as their starts and ends (a
        call per span would cost more than the mapping)."""
        if self._starts is None:
            return tuple(starts), tuple(ends)
        table = self._starts
        return (
            tuple([table[start] for start in starts]),
            tuple([end if (end := table[stop]) > (inner := table[stop - 1]) else inner + 1 for stop in ends]),
        )

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the normalised text that the original span [start, end) became
        (what normalising original[start:end] on its own gives, at character boundaries)."""
        if self._starts is None:
            return start, end
        return bisect_left(self._starts, start), bisect_left(self._starts, end)


# Below this length str.translate (with the list table) is as cheap as the vectorised path.
_VECTOR_MIN = 500
_UNICODE = 0x110000
_DELETED = 0xFFFFFFFF  # lookup-table marks: the character is deleted / expands to several
_EXPANDS = 0xFFFFFFFE


@lru_cache(maxsize=1)
def _lookup() -> np.ndarray:
    """The folding table as one array over all code points (4.4 MB): the replacement code
    point, or _DELETED / _EXPANDS."""
    import numpy as np

    lut = np.arange(_UNICODE, dtype=np.uint32)
    for code, replacement in _table().items():
        if len(replacement) == 1:
            lut[code] = ord(replacement)
        else:
            lut[code] = _EXPANDS if replacement else _DELETED
    return lut


def _vectorise(text: str) -> bool:
    """Use numpy for this text? Only a long one, and only once numpy is loaded (the
    language model or a later stage loads it in any batch): a process that reads a few
    texts would spend more importing numpy (~0.1 s) than it saves. Either way the result
    is the same."""
    return len(text) >= _VECTOR_MIN and "numpy" in sys.modules


def normalize(text: str) -> Normalized:
    """Fold `text` for matching; see the module docstring for what is folded."""
    if _vectorise(text):
        fast = _normalize_vectorised(text)
        if fast is not None:
            return fast
    table = _table()
    folded = text.translate(_translation())
    special = _not_one_to_one()
    if len(folded) == len(text) and not special.search(text):
        return Normalized(text, folded, None)
    # Offsets change only at deleted or expanded characters: copy whole runs of
    # one-to-one characters at once instead of walking every character in Python.
    starts: list[int] = []
    extend = starts.extend
    previous = 0
    for match in special.finditer(text):
        index = match.start()
        extend(range(previous, index))
        width = len(table[ord(text[index])])
        if width:
            extend([index] * width)
        previous = index + 1
    extend(range(previous, len(text)))
    starts.append(len(text))
    return Normalized(text, folded, tuple(starts))


def _normalize_vectorised(text: str) -> Normalized | None:
    """The same folding done with numpy on code points (several times faster than
    str.translate on long non-ASCII text); None when a character expands to several."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mapped = _lookup()[codes]
    special = mapped >= _EXPANDS
    if not special.any():
        return Normalized(text, mapped.tobytes().decode("utf-32-le", "surrogatepass"), None)
    if (mapped == _EXPANDS).any():
        return None
    keep = ~special
    folded = mapped[keep].tobytes().decode("utf-32-le", "surrogatepass")
    starts = np.flatnonzero(keep).tolist()
    starts.append(len(text))
    return Normalized(text, folded, tuple(starts))


def fold(text: str) -> str:
    """The normalised text alone, without the offset map (cheaper when no span is needed)."""
    if _vectorise(text):
        fast = _normalize_vectorised(text)
        if fast is not None:
            return fast.text
    return text.translate(_translation())


def normalize_term(term: str) -> str:
    """Normalise a lexicon entry the same way as the text it is matched against."""
    return " ".join(term.translate(_translation()).split())
