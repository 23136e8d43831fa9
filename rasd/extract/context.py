"""One document's sentences with everything found in them, indexed by word position.

Extraction reasons about word order (what comes after the verb, what follows "بين"), so each
scanned segment (body, post, quote) becomes a `Sentence`: its words with original offsets,
and the annotations (actors, places, times, numbers, triggers) and lexicon matches (cues,
weapons, casualty words, speech verbs) that fall inside it, each placed at its word index.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from rasd.annotate.lexmatch import Lexicon, Word, normalized_words, original_offsets
from rasd.annotate.triggers import SCANNED_KINDS
from rasd.extract import lexicons

if TYPE_CHECKING:
    from rasd.annotate import Annotations
    from rasd.text import PreparedDocument

P = TypeVar("P")

# Paired quotation marks (the straight double quote pairs with itself).
_QUOTE_PAIRS = {"“": "”", "«": "»", '"': '"', "„": "“"}
_QUOTE_OPEN = re.compile('[“«"„]')
_QUOTE_MAX = 1500  # a quotation longer than this is a stray mark, not a quote
# Clause-breaking punctuation, in normalised text (Arabic and Latin).
_BREAK = re.compile(r"[.;:!?؛؟\n]")
_COMMA = re.compile(r"[,،]")


@dataclass(slots=True)
class Found(Generic[P]):
    """A lexicon match inside a sentence: its entry and the words it covers."""

    payload: P
    first: int  # word index of the first matched word
    last: int  # word index of the last matched word
    start: int  # original offsets
    end: int


@dataclass(slots=True)
class Placed(Generic[P]):
    """An annotation (actor, place, time, number, trigger) with its word positions."""

    item: P
    first: int
    last: int


@dataclass(slots=True)
class Sentence:
    index: int  # position among the scanned sentences
    segment: int  # index into prepared.segments
    start: int
    end: int
    kind: str
    language: str
    paragraph: int
    post: Any
    words: list[Word]
    starts: list[int]  # original offsets of each word
    ends: list[int]
    breaks: list[int]  # word indices before which a clause ends (., ;, :)
    commas: list[int]  # word indices before which a comma stands
    actors: list[Placed[Any]] = field(default_factory=list)
    places: list[Placed[Any]] = field(default_factory=list)
    times: list[Placed[Any]] = field(default_factory=list)
    numbers: list[Placed[Any]] = field(default_factory=list)
    triggers: list[Placed[Any]] = field(default_factory=list)
    cues: list[Found[lexicons.CueEntry]] = field(default_factory=list)
    weapons: list[Found[lexicons.WeaponEntry]] = field(default_factory=list)
    casualties: list[Found[lexicons.CasualtyEntry]] = field(default_factory=list)
    speech: list[Found[lexicons.SpeechEntry]] = field(default_factory=list)
    quoted: list[tuple[int, int]] = field(default_factory=list)  # original spans inside quotes
    # the places that can be where an event happened, before speech zones (rasd.extract.places)
    event_places: list[Placed[Any]] | None = None

    def word_at(self, offset: int) -> int:
        """Index of the word that contains `offset` (or the last word before it)."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def span_words(self, start: int, end: int) -> tuple[int, int]:
        """First and last word index covering the original span [start, end)."""
        first = max(0, bisect.bisect_right(self.ends, start))
        last = max(first, bisect.bisect_left(self.starts, end) - 1)
        return min(first, len(self.words) - 1), min(last, len(self.words) - 1)

    def in_quote(self, offset: int) -> bool:
        return self.kind == "quote" or any(a <= offset < b for a, b in self.quoted)

    def breaks_between(self, a: int, b: int) -> bool:
        """Is there a clause break (., ;, :) between word a and word b?"""
        lo, hi = min(a, b), max(a, b)
        i = bisect.bisect_right(self.breaks, lo)
        return i < len(self.breaks) and self.breaks[i] <= hi

    def commas_between(self, a: int, b: int) -> int:
        lo, hi = min(a, b), max(a, b)
        return bisect.bisect_right(self.commas, hi) - bisect.bisect_right(self.commas, lo)

    def cues_of(self, *kinds: str) -> list[Found[lexicons.CueEntry]]:
        return [c for c in self.cues if c.payload.kind in kinds]

    def text_of(self, document_text: str, first: int, last: int) -> str:
        return document_text[self.starts[first] : self.ends[last]]


@dataclass(slots=True)
class DocumentContext:
    prepared: Any
    text: str
    sentences: list[Sentence]
    language: str
    published: Any  # rasd.document.PublicationDate | None
    by_segment: dict[int, Sentence]

    def sentence_of(self, segment: int) -> Sentence | None:
        return self.by_segment.get(segment)


def _quote_regions(text: str) -> list[tuple[int, int]]:
    """Spans of quoted words: “…”, «…», "…" (paired within a short distance)."""
    regions: list[tuple[int, int]] = []
    position = 0
    while True:
        match = _QUOTE_OPEN.search(text, position)
        if match is None:
            return regions
        close = _QUOTE_PAIRS[match.group()]
        end = text.find(close, match.end(), match.end() + _QUOTE_MAX)
        if end < 0 or "\n\n" in text[match.end() : end]:
            position = match.end()
            continue
        regions.append((match.end(), end))
        position = end + 1


def _place(items: list[Any], sentence: Sentence) -> list[Placed[Any]]:
    placed = []
    for item in items:
        first, last = sentence.span_words(item.start, item.end)
        placed.append(Placed(item, first, last))
    return placed


def _lexicon_finds(lexicon: Lexicon[lexicons.Tagged] | None, sentence: Sentence, word_starts: list[int],
                   to_original, base: int) -> dict[str, list[Found[Any]]]:
    """The sentence's matches of the combined lexicon by table (lexicons.TABLES), each list
    in word order, the longer match first at a word."""
    by_table: dict[str, list[Found[Any]]] = {name: [] for name in lexicons.TABLES}
    if lexicon is None or not sentence.words:
        return by_table
    for match in lexicon.find(sentence.words):
        start, end = to_original(match.start, match.end)
        first = match.first_word
        # the last matched word (a phrase with a gap covers more words than it matched)
        last = first if len(match.spans) == 1 else bisect.bisect_left(word_starts, match.spans[-1][0])
        tagged = match.payload
        by_table[tagged.table].append(Found(tagged.entry, first, last, base + start, base + end))
    for found in by_table.values():
        found.sort(key=lambda f: (f.first, -f.last))
    return by_table


def _bucket(items: list[Any], sentences: list[Sentence]) -> dict[int, list[Any]]:
    """Annotations by the sentence that contains their start."""
    starts = [s.start for s in sentences]
    buckets: dict[int, list[Any]] = {}
    for item in items:
        i = bisect.bisect_right(starts, item.start) - 1
        if 0 <= i < len(sentences) and item.start < sentences[i].end:
            buckets.setdefault(i, []).append(item)
    return buckets


def build_context(prepared: "PreparedDocument", annotations: "Annotations") -> DocumentContext:
    text = prepared.document.text
    quotes = _quote_regions(text)
    sentences: list[Sentence] = []
    for index, segment in enumerate(prepared.segments):
        if str(segment.kind) not in SCANNED_KINDS:
            continue
        original = text[segment.start : segment.end]
        normalized, shared = normalized_words(original)
        seg_words = list(shared)
        relative_starts, relative_ends = original_offsets(original)
        base = segment.start
        starts = [base + a for a in relative_starts]
        ends = [base + b for b in relative_ends]
        breaks: list[int] = []
        commas: list[int] = []
        word_starts = [w.start for w in seg_words]
        for pattern, out in ((_BREAK, breaks), (_COMMA, commas)):
            for mark in pattern.finditer(normalized.text):
                out.append(bisect.bisect_left(word_starts, mark.start()))
        sentence = Sentence(
            index=len(sentences),
            segment=index,
            start=segment.start,
            end=segment.end,
            kind=str(segment.kind),
            language=segment.language,
            paragraph=getattr(segment, "paragraph", 0),
            post=getattr(segment, "post", None),
            words=seg_words,
            starts=starts,
            ends=ends,
            breaks=breaks,
            commas=commas,
            quoted=[(a, b) for a, b in quotes if a < segment.end and b > segment.start],
        )
        by_table = _lexicon_finds(lexicons.combined(segment.language), sentence, word_starts,
                                  normalized.to_original, segment.start)
        sentence.cues = by_table["cue"]
        sentence.weapons = by_table["weapon"]
        sentence.casualties = by_table["casualty"]
        sentence.speech = by_table["speech"]
        sentences.append(sentence)
    for name in ("actors", "places", "times", "numbers", "triggers"):
        buckets = _bucket(list(getattr(annotations, name, []) or []), sentences)
        for i, items in buckets.items():
            if sentences[i].words:
                setattr(sentences[i], name, _place(items, sentences[i]))
    return DocumentContext(
        prepared=prepared,
        text=text,
        sentences=sentences,
        language=getattr(prepared, "language", "") or "",
        published=getattr(prepared, "published", None),
        by_segment={s.segment: s for s in sentences},
    )
