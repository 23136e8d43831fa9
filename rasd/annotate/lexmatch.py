"""Match word lexicons (triggers, cues, weapons, casualty and speech words) against text.

Arabic attaches conjunctions, prepositions, the article, verb prefixes, inflection and
pronouns to the word itself (وباستهدافهم، فاستهدفوا، يستهدفون), so matching surface strings
would need every form listed. Instead each word of the text is *analysed*: the affixes that its
language pack lists in `inflection.tsv` are stripped in every possible way, and each analysis
is looked up in a dictionary of lexicon entries. Entries may be phrases of several words, with
`...` standing for a gap of up to `GAP` words (أطلق ... النار matches أطلقت قوات الأمن النار).

Everything works on the normalised text (`rasd.text.normalize`); callers map spans back to
the original. The cost is linear in the number of words: each word has a bounded number of
analyses, and analyses of a word form are cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Generic, NamedTuple, TypeVar

from rasd.annotate.memo import look_up_all
from rasd.annotate.tokens import normalized as shared_normalized
from rasd.lang import table
from rasd.text.normalize import normalize_term

P = TypeVar("P")

GAP = "..."
GAP_WORDS = 12  # most words a `...` may skip (stays inside the text range given)

# A word: letters and digits; hyphenated words stay whole ("sit-in", "Iran-backed"), and so do
# Arabic words written with a dot between letters to dodge filters (الجيـ.ـش).
_WORD = re.compile(r"[^\W_]+(?:(?:-|\.(?=[\u0620-\u064a]))[^\W_]+)*")


class Word(NamedTuple):
    start: int  # offsets in the normalised text
    end: int
    key: str  # the word as looked up (dots removed)


@lru_cache(maxsize=128)
def normalized_words(text: str) -> tuple[Any, tuple[Word, ...]]:
    """(Normalized, words) of a segment's text: the trigger finder and the extractor read the
    same segments, so the work is shared through this memo (small: it serves one document at
    a time, and repeated input must not look faster than fresh input). The normalised text
    itself comes from the memo that the place, time and number taggers share."""
    normalized = shared_normalized(text)
    return normalized, tuple(words(normalized.text))


@lru_cache(maxsize=128)
def original_offsets(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Start and end offsets, in `text` itself, of each word of `normalized_words(text)`."""
    normalized, found = normalized_words(text)
    return normalized.words_to_original([w.start for w in found], [w.end for w in found])


_new_tuple = tuple.__new__


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of `text[start:end]` with their offsets."""
    end = len(text) if end is None else end
    # tuple.__new__ directly: a NamedTuple's own __new__ is a Python call per word
    return [
        _new_tuple(Word, (m.start(), m.end(), t.replace(".", "") if "." in (t := m.group()) else t))
        for m in _WORD.finditer(text, start, end)
    ]


@dataclass(frozen=True, slots=True)
class _Affix:
    affix: str
    replace: str
    verbal: bool
    min_stem: int


@dataclass(frozen=True, slots=True)
class _Morphology:
    proclitics: tuple[_Affix, ...]
    prefixes: tuple[_Affix, ...]
    suffixes: tuple[_Affix, ...]


@lru_cache(maxsize=None)
def _morphology(language: str) -> _Morphology:
    kinds: dict[str, list[_Affix]] = {"proclitic": [], "prefix": [], "suffix": []}
    for row in table(language, "inflection"):
        kind = row.get("kind", "")
        if kind not in kinds:
            continue
        kinds[kind].append(
            _Affix(
                affix=normalize_term(row.get("affix", "")),
                replace=normalize_term(row.get("replace", "")),
                verbal=row.get("verbal", "0") == "1",
                min_stem=int(row.get("min") or 2),
            )
        )
    return _Morphology(*(tuple(kinds[k]) for k in ("proclitic", "prefix", "suffix")))


def _strip_suffixes(form: str, verbal: bool, suffixes: Sequence[_Affix], out: dict[str, bool]) -> None:
    for affix in suffixes:
        if not form.endswith(affix.affix):
            continue
        stem = form[: len(form) - len(affix.affix)] + affix.replace
        if len(stem) < affix.min_stem:
            continue
        is_verbal = verbal or affix.verbal
        if out.get(stem, True):  # keep the non-verbal reading when both exist
            out[stem] = is_verbal


@lru_cache(maxsize=200_000)
def analyses(language: str, word: str) -> tuple[tuple[str, bool], ...]:
    """Every (stem, verbal) reading of `word`: the word itself and its affix-stripped forms.

    `verbal` is True when the reading needs a verb-only affix (an imperfect prefix, a
    subject suffix), so a noun entry must not accept it.
    """
    morph = _morphology(language)
    readings: dict[str, bool] = {word: False}
    bases: list[tuple[str, bool]] = [(word, False)]
    for clitic in morph.proclitics:
        if word.startswith(clitic.affix) and len(word) - len(clitic.affix) >= clitic.min_stem:
            bases.append((word[len(clitic.affix) :], clitic.verbal))
    with_prefix: list[tuple[str, bool]] = list(bases)
    for base, verbal in bases:
        for prefix in morph.prefixes:
            if base.startswith(prefix.affix) and len(base) - len(prefix.affix) >= prefix.min_stem:
                with_prefix.append((prefix.replace + base[len(prefix.affix) :], True))
    for base, verbal in with_prefix:
        if readings.get(base, True):
            readings[base] = verbal
        once: dict[str, bool] = {}
        _strip_suffixes(base, verbal, morph.suffixes, once)
        for stem, stem_verbal in once.items():
            if readings.get(stem, True):
                readings[stem] = stem_verbal
            twice: dict[str, bool] = {}
            _strip_suffixes(stem, stem_verbal, morph.suffixes, twice)
            for stem2, verbal2 in twice.items():
                if readings.get(stem2, True):
                    readings[stem2] = verbal2
    return tuple(readings.items())


@lru_cache(maxsize=200_000)
def reading_map(language: str, word: str) -> dict[str, bool]:
    """`analyses` as a dict (stem -> verbal): the phrase matcher asks of many words whether
    they can be one given stem. Read-only: shared by every caller."""
    return dict(analyses(language, word))


@dataclass(frozen=True, slots=True)
class _Entry(Generic[P]):
    words: tuple[str, ...]
    payload: P
    nominal: bool  # a noun entry: verbal readings do not match it
    exact: bool  # match the written form only, no affix stripping


@dataclass(slots=True)
class Match(Generic[P]):
    """One lexicon entry found in the text (normalised offsets)."""

    start: int
    end: int
    payload: P
    spans: tuple[tuple[int, int], ...]  # the matched words (gaps excluded)
    first_word: int  # index of the first word in the word list given to `find`

    @property
    def size(self) -> int:
        return len(self.spans)


_MEMO_LIMIT = 100_000  # word forms remembered per lexicon before the memo starts afresh


@dataclass
class Lexicon(Generic[P]):
    """A compiled word lexicon for one language."""

    language: str
    _by_first: dict[str, list[_Entry[P]]] = field(default_factory=dict)
    # word -> the entries that may start at it: a memo, because running text repeats its words
    _starts: dict[str, tuple[_Entry[P], ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, language: str, entries: Iterable[tuple[str, P, bool, bool]]) -> "Lexicon[P]":
        """`entries`: (term, payload, nominal, exact). Terms are normalised here."""
        lexicon = cls(language)
        for term, payload, nominal, exact in entries:
            tokens = tuple(GAP if w == GAP else normalize_term(w) for w in term.replace("…", " ... ").split())
            tokens = tuple(t for t in tokens if t)
            if not tokens or tokens[0] == GAP:
                continue
            entry = _Entry(tokens, payload, nominal, exact)
            lexicon._by_first.setdefault(tokens[0], []).append(entry)
        return lexicon

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_first.values())

    def entries(self) -> list[_Entry[P]]:
        return [entry for group in self._by_first.values() for entry in group]

    @classmethod
    def retag(cls, language: str, tagged: list[tuple[_Entry[Any], str]], wrap: Any) -> "Lexicon[Any]":
        """A lexicon of the given entries (from other lexicons of the language) whose payloads
        become `wrap(tag, payload)`."""
        lexicon: Lexicon[Any] = cls(language)
        for entry, tag in tagged:
            new = _Entry(entry.words, wrap(tag, entry.payload), entry.nominal, entry.exact)
            lexicon._by_first.setdefault(entry.words[0], []).append(new)
        return lexicon

    def _entries_for(self, key: str) -> tuple[_Entry[P], ...]:
        """The entries whose first word is one of the readings of `key`."""
        chosen: list[_Entry[P]] = []
        seen: set[int] = set()
        by_first = self._by_first
        for form, verbal in analyses(self.language, key):
            for entry in by_first.get(form, ()):
                if id(entry) in seen:
                    continue
                if entry.exact and form != key:
                    continue
                if entry.nominal and verbal and form != key:
                    continue
                seen.add(id(entry))
                chosen.append(entry)
        return tuple(chosen)

    def find(self, text_words: Sequence[Word]) -> Iterator[Match[P]]:
        """Every match (overlaps included) over a sequence of words of one text."""
        language = self.language
        last = len(text_words) - 1
        # the entries that may start at each word; most words start none and are not visited
        at = look_up_all(self._starts, [word.key for word in text_words], self._entries_for, _MEMO_LIMIT)
        for index in [i for i, entries in enumerate(at) if entries]:
            word = text_words[index]
            for entry in at[index]:
                if len(entry.words) == 1:
                    yield Match(word.start, word.end, entry.payload, ((word.start, word.end),), index)
                    continue
                # Phrases often start with a common word (في، من، "in"): rule out the ones
                # whose second word is not the next word before trying the whole phrase.
                second = entry.words[1]
                if second != GAP and (index == last or not _fits(text_words[index + 1].key, second, entry, language)):
                    continue
                match = self._extend(entry, text_words, index)
                if match is not None:
                    yield match

    def _extend(self, entry: _Entry[P], text_words: Sequence[Word], index: int) -> Match[P] | None:
        """The match of a phrase entry whose first word is text_words[index], if its other
        words follow (each right after the previous, or within GAP_WORDS after a gap)."""
        matched = [index]
        position = index + 1
        last = len(text_words) - 1
        pending_gap = False
        language = self.language
        for wanted in entry.words[1:]:
            if wanted == GAP:
                pending_gap = True
                continue
            limit = min(position + GAP_WORDS if pending_gap else position, last)
            for candidate in range(position, limit + 1):
                if _fits(text_words[candidate].key, wanted, entry, language):
                    break
            else:
                return None
            matched.append(candidate)
            position = candidate + 1
            pending_gap = False
        spans = tuple((text_words[i].start, text_words[i].end) for i in matched)
        return Match(spans[0][0], spans[-1][1], entry.payload, spans, index)


def _fits(key: str, wanted: str, entry: _Entry[Any], language: str) -> bool:
    """Can a text word (its key) be the entry's word `wanted`: as written, or, unless the
    entry is exact, by one of its readings (a verbal reading does not fit a noun entry)?"""
    if key == wanted:
        return True
    if entry.exact:
        return False
    verbal = reading_map(language, key).get(wanted)
    return verbal is not None and not (entry.nominal and verbal)


def best_matches(matches: Iterable[Match[P]]) -> list[Match[P]]:
    """Non-overlapping matches, preferring more matched words, then the earlier start.

    Only matched words count as taken: a word inside a phrase's gap stays free.
    """
    ranked = sorted(matches, key=lambda m: (-m.size, m.start, m.end))
    taken: set[tuple[int, int]] = set()
    kept = []
    for match in ranked:
        if any(span in taken for span in match.spans):
            continue
        taken.update(match.spans)
        kept.append(match)
    kept.sort(key=lambda m: (m.start, m.end))
    return kept
