"""Word tokens over normalised text, and phrase lexicons that match runs of them.

The time and number taggers work on tokens rather than on one big regular expression:
each token is looked up once in a dictionary built from the language data, so the cost is
linear in the text and does not grow with the size of the lexicon. Tokens are digit runs,
letter runs and single other characters; whether two tokens touch (no space between them)
is kept, because "15/1/2020", "2,750" and "twenty-one" are written without spaces.

Most sentences hold no time and no number: `may_contain` tests (in C, with a set
intersection) whether a text has a digit or an anchor word at all before it is tokenised.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Generic, TypeVar

from rasd.document import SegmentKind
from rasd.text.normalize import Normalized, normalize, normalize_term

if TYPE_CHECKING:
    from rasd.text import PreparedDocument

T = TypeVar("T")

_TOKEN = re.compile(r"(\d+)|([^\W\d_]+)|(\S)")
_KIND_OF_GROUP = (None, "n", "w", "p")
NUM, WORD, PUNCT = "n", "w", "p"
_SKIPPED_KINDS = {SegmentKind.BOILERPLATE}
_MIN_STEM = 2  # a peeled proclitic must leave at least this many letters


@dataclass(slots=True)
class Tokens:
    """Tokens of one piece of normalised text, as parallel lists (cheap to build and scan)."""

    norm: Normalized
    texts: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    n: int = 0  # number of tokens

    def __len__(self) -> int:
        return self.n

    def touching(self, i: int) -> bool:
        """True when token i follows token i-1 with no space between them."""
        return 0 < i < self.n and self.starts[i] == self.ends[i - 1]

    def original_span(self, first: int, last: int, shift: int = 0) -> tuple[int, int]:
        """Original-text span of tokens first..last (inclusive); `shift` skips a proclitic."""
        return self.norm.to_original(self.starts[first] + shift, self.ends[last])

    def original_text(self, i: int) -> str:
        start, end = self.norm.to_original(self.starts[i], self.ends[i])
        return self.norm.original[start:end]


_WORDS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")


def may_contain(norm_text: str, anchors: frozenset[str]) -> bool:
    """Cheap test (in C) that a normalised text has a digit or one of the `anchors` words;
    texts without any are not worth tokenising."""
    if _DIGIT.search(norm_text):
        return True
    words = _word_set(norm_text) if len(norm_text) <= CACHE_MAX_CHARS else _WORDS.findall(norm_text)
    return not anchors.isdisjoint(words)


@lru_cache(maxsize=64)
def _word_set(norm_text: str) -> frozenset[str]:
    """The words of a normalised piece (the time and number taggers test it in turn)."""
    return frozenset(_WORDS.findall(norm_text))


def tokenize(text: str | Normalized) -> Tokens:
    """Normalise `text` (unless it already is) and split it into tokens."""
    norm = text if isinstance(text, Normalized) else normalize(text)
    tokens = Tokens(norm)
    matches = list(_TOKEN.finditer(norm.text))
    kind_of = _KIND_OF_GROUP
    tokens.texts = [match.group() for match in matches]
    tokens.starts = [match.start() for match in matches]
    tokens.ends = [match.end() for match in matches]
    tokens.kinds = [kind_of[match.lastindex] for match in matches]  # type: ignore[index]
    tokens.n = len(matches)
    return tokens


CACHE_MAX_CHARS = 20_000  # longer pieces are not cached (bounded memory)
# The number tagger re-reads each segment the time tagger has just read (to leave dates
# out): remember about one document's worth of segments, no more, so nothing is kept
# from one document to the next.
_PIECES = 64


@lru_cache(maxsize=_PIECES)
def _normalized_cached(text: str) -> Normalized:
    return normalize(text)


@lru_cache(maxsize=_PIECES)
def _tokens_cached(text: str) -> Tokens:
    return tokenize(_normalized_cached(text))


def normalized(text: str) -> Normalized:
    """`normalize(text)`, memoised for the pieces that several taggers read in turn."""
    return _normalized_cached(text) if len(text) <= CACHE_MAX_CHARS else normalize(text)


def tokens_of(text: str) -> Tokens:
    """`tokenize(text)`, memoised like `normalized` (the time and number taggers share
    the tokens of each segment). Treat the result as read-only."""
    return _tokens_cached(text) if len(text) <= CACHE_MAX_CHARS else tokenize(normalized(text))


def term_tokens(term: str) -> tuple[str, ...]:
    """A lexicon form split the way text is: normalised, then tokenised."""
    return tuple(match.group() for match in _TOKEN.finditer(normalize_term(term)))


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """A lexicon phrase found at a token: tokens [start, end), its payloads, and how many
    characters of a proclitic precede the phrase inside its first token."""

    start: int
    end: int
    payloads: tuple[T, ...]
    shift: int = 0
    peeled: bool = False  # found only after peeling a proclitic


_Heads = tuple[tuple[int, bool, tuple[tuple[tuple[str, ...], tuple]]], ...]


@dataclass(frozen=True, slots=True)
class WordTable:
    """A `kind / value / form` lexicon table, split into its parts: `setting` rows (form =
    name, value = setting), `prefix` rows (clitics: form, value), and the word rows."""

    settings: dict[str, str]
    prefixes: list[tuple[str, str]]
    words: list[tuple[str, str, str]]  # (kind, value, form)

    @classmethod
    def of(cls, rows: Iterable[dict[str, str]]) -> "WordTable":
        settings: dict[str, str] = {}
        prefixes: list[tuple[str, str]] = []
        words: list[tuple[str, str, str]] = []
        for row in rows:
            kind, value, form = row.get("kind", ""), row.get("value", ""), row.get("form", "")
            if not kind or not form:
                continue
            if kind == "setting":
                settings[form] = value
            elif kind == "prefix":
                prefixes.append((form, value))
            else:
                words.append((kind, value, form))
        return cls(settings, prefixes, words)


class PhraseLexicon(Generic[T]):
    """Phrases (token sequences) mapped to payloads, with proclitics peeled off the first
    token ("والجمعة" finds "الجمعة", "للعام" finds "العام" when لل is written back as ال).

    What a word can start is memoised per word (a bounded cache), so a document costs one
    dictionary lookup per token once the common words have been seen."""

    def __init__(self, entries: Iterable[tuple[str, T]], prefixes: Sequence[tuple[str, str]] = ()):
        grouped: dict[tuple[str, ...], list[T]] = {}
        for form, payload in entries:
            words = term_tokens(form)
            if words:
                grouped.setdefault(words, []).append(payload)
        first: dict[str, list[tuple[tuple[str, ...], tuple[T, ...]]]] = {}
        for words, payloads in grouped.items():
            first.setdefault(words[0], []).append((words[1:], tuple(payloads)))
        self._first = {
            word: tuple(sorted(candidates, key=lambda item: -len(item[0])))  # longest first
            for word, candidates in first.items()
        }
        self._prefixes = tuple(
            (normalize_term(p), normalize_term(r)) for p, r in prefixes if normalize_term(p)
        )
        self._heads = lru_cache(maxsize=1 << 16)(self._heads_of)
        self.word_kinds = lru_cache(maxsize=1 << 16)(self._word_kinds)

    def __bool__(self) -> bool:
        return bool(self._first)

    def _variants(self, word: str) -> Iterator[tuple[str, int]]:
        """The word with one or two proclitics peeled (shift = characters skipped)."""
        for prefix, replace in self._prefixes:
            if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
                stem = replace + word[len(prefix) :]
                shift = max(0, len(prefix) - len(replace))
                yield stem, shift
                for prefix2, replace2 in self._prefixes:
                    if stem.startswith(prefix2) and len(stem) - len(prefix2) >= _MIN_STEM:
                        yield replace2 + stem[len(prefix2) :], shift + max(0, len(prefix2) - len(replace2))

    def _heads_of(self, word: str) -> _Heads:
        """The phrases that may start at a token reading `word`: (shift, peeled, candidates)."""
        heads = []
        candidates = self._first.get(word)
        if candidates:
            heads.append((0, False, candidates))
        seen = {word}
        for variant, shift in self._variants(word):
            if variant in seen:
                continue
            seen.add(variant)
            candidates = self._first.get(variant)
            if candidates:
                heads.append((shift, True, candidates))
        return tuple(heads)

    def anchors(self, kinds: Iterable[str]) -> frozenset[str]:
        """Words that any phrase of `kinds` contains (its longest token, with every
        proclitic form of it): a text without one of them has no such phrase."""
        wanted = set(kinds)
        words: set[str] = set()
        for first, candidates in self._first.items():
            for rest, payloads in candidates:
                if any(getattr(payload, "kind", None) in wanted for payload in payloads):
                    words.add(max((first, *rest), key=len))
        for word in list(words):
            for prefix, replace in self._prefixes:
                for stem in ([word] if not replace else []) + (
                    [word[len(replace) :]] if replace and word.startswith(replace) else []
                ):
                    once = prefix + stem
                    words.add(once)
                    for prefix2, replace2 in self._prefixes:
                        if not replace2:
                            words.add(prefix2 + once)
        return frozenset(words)

    def _word_kinds(self, word: str) -> frozenset[str]:
        """Kinds of the phrases that may start with `word` (whether or not the rest of the
        phrase follows): a cheap first test before matching."""
        return frozenset(
            getattr(payload, "kind", "")
            for _, _, candidates in self._heads(word)
            for _, payloads in candidates
            for payload in payloads
        )

    def match(self, tokens: Tokens, i: int) -> list[Match[T]]:
        """Every phrase that starts at token i, longest first (bare word before peeled)."""
        texts = tokens.texts
        if i >= len(texts):
            return []
        heads = self._heads(texts[i])
        if not heads:
            return []
        found: list[Match[T]] = []
        for shift, peeled, candidates in heads:
            for rest, payloads in candidates:
                end = i + 1 + len(rest)
                if not rest or (end <= len(texts) and tuple(texts[i + 1 : end]) == rest):
                    found.append(Match(i, end, payloads, shift, peeled))
        if len(found) > 1:
            found.sort(key=lambda m: (m.start - m.end, m.peeled))
        return found


class LexiconView(Generic[T]):
    """A lexicon's matches over one token list, computed at most once per token.

    Payloads must have a `.kind`; `first(i, kinds)` is the longest match at i of one of
    those kinds. Rules look at the same token many times, so this keeps the taggers at one
    lexicon lookup per token."""

    __slots__ = ("lexicon", "tokens", "_cache", "_kinds")

    def __init__(self, lexicon: PhraseLexicon[T], tokens: Tokens):
        self.lexicon = lexicon
        self.tokens = tokens
        self._cache: list[list[Match[T]] | None] = [None] * len(tokens)
        self._kinds: dict[int, frozenset[str]] = {}

    def kinds(self, i: int) -> frozenset[str]:
        """The kinds of every phrase that starts at token i."""
        found = self._kinds.get(i)
        if found is None:
            found = self._kinds[i] = frozenset(
                getattr(payload, "kind", "") for match in self.matches(i) for payload in match.payloads
            )
        return found

    def matches(self, i: int) -> list[Match[T]]:
        if not 0 <= i < len(self._cache):
            return []
        found = self._cache[i]
        if found is None:
            found = self._cache[i] = self.lexicon.match(self.tokens, i)
        return found

    def first(self, i: int, kinds: Collection[str], *, peel: bool = True) -> tuple[Match[T], T] | None:
        """The longest match at i with a payload whose kind is in `kinds` (a collection of
        kind names, not one string). Called very often: kept flat on purpose."""
        cache = self._cache
        if not 0 <= i < len(cache):
            return None
        found = cache[i]
        if found is None:
            found = cache[i] = self.lexicon.match(self.tokens, i)
        if not found:
            return None
        for match in found:
            if match.peeled and not peel:
                continue
            for payload in match.payloads:
                if payload.kind in kinds:  # type: ignore[attr-defined]
                    return match, payload
        return None


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a document to annotate: its offset in the document text and language."""

    start: int
    text: str
    language: str  # the segment's language
    fallback: str = ""  # the document's language, for segments in a language without a pack


def pieces(prepared: "PreparedDocument") -> list[Piece]:
    """The segments worth annotating (everything but boilerplate), or the whole text when
    the document has no segments."""
    text = prepared.document.text
    segments = getattr(prepared, "segments", None) or []
    language = prepared.language or ""
    if not segments:
        return [Piece(0, text, language, language)] if text else []
    return [
        Piece(seg.start, text[seg.start : seg.end], seg.language or language, language)
        for seg in segments
        if seg.kind not in _SKIPPED_KINDS and seg.end > seg.start
    ]
