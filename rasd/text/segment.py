"""Segmentation: a scraped report cut into sentence-sized segments, each with a kind
(body, post, quote, caption, boilerplate) and a language.

Every segment is a trimmed span of the original text; segments come in text order, do not
overlap, and together cover every non-blank character (rasd.text.layout.BLANK). The work
is done by small modules: layout (paragraphs, the `date` header), sentences, posts
(embedded tweets), boilerplate and cues (page furniture, captions, quotations) and
language (per paragraph and script).
"""

from __future__ import annotations

from dataclasses import dataclass

from rasd.document import Document, PostInfo, Segment, SegmentKind
from rasd.text import boilerplate, cues, language, layout, posts, sentences
from rasd.text.boilerplate import Features
from rasd.text.normalize import Normalized, normalize

_REFINED = (SegmentKind.BODY, SegmentKind.QUOTE)
_SHORT_DATE = 6  # a sentence of at most this many words that is only a date is a widget


@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    paragraph: int
    kind: SegmentKind
    post: PostInfo | None = None
    attribution: tuple[int, int] | None = None


def segment(document: Document, normalized: Normalized | None = None) -> list[Segment]:
    """The segments of `document` (see the module docstring). `normalized`: the text
    already normalised, if the caller has it."""
    text = document.text
    spans = _paragraph_spans(text)
    if not spans:
        return []
    header = layout.header_span(text)
    header_index = 0 if header is not None and spans[0] == header else None
    # once for the document; paragraphs and sentences slice it
    folding = normalized if normalized is not None else normalize(text)
    feats = []
    for a, b in spans:
        x, y = folding.from_original(a, b)
        feats.append(boilerplate.features(text[a:b], folding.text[x:y]))

    post_of = _posts(text, spans, header_index)
    fixed: list[SegmentKind | None] = [SegmentKind.POST if i in post_of else None for i in range(len(spans))]
    if header_index is not None:
        fixed[header_index] = SegmentKind.BOILERPLATE
    kinds = boilerplate.paragraph_kinds(feats, fixed)

    units: list[_Unit] = []
    limit = cues.contains_max_words()
    for i, (start, end) in enumerate(spans):
        kind = kinds[i]
        post = post_of.get(i)
        info = post.info if post else None
        attribution = (post.attribution.start, post.attribution.end) if post and post.attribution else None
        pieces = _pieces(text, start, end, i == header_index, attribution)
        if (
            kind is SegmentKind.CAPTION
            and len(pieces) > boilerplate.CAPTION_SENTENCES
            and boilerplate.caption_in_passing(feats[i])
        ):
            units.extend(_caption_sentences(text, folding, pieces, i))
            continue
        if kind not in _REFINED:
            units.extend(_Unit(a, b, i, kind, info, attribution) for a, b in pieces)
            continue
        # the paragraph's own checks covered a sentence that is all of it; in a longer
        # paragraph, furniture sits in the first or the last sentence
        contains = bool(limit) and feats[i].words > limit  # the paragraph was not searched
        last = len(pieces) - 1
        for n, (a, b) in enumerate(pieces):
            place = "whole" if last == 0 else "first" if n == 0 else "last" if n == last else "middle"
            units.extend(_refine(text, folding, a, b, i, kind, place, contains))
    languages = _languages(text, units, getattr(document, "language_hint", None))
    return [
        Segment(u.start, u.end, u.kind, lang, u.paragraph, u.post) for u, lang in zip(units, languages)
    ]


def _posts(text: str, spans: list[tuple[int, int]], header_index: int | None) -> dict[int, posts.Post]:
    """The embedded post each paragraph belongs to, if any."""
    main_script = language.letters(text).script
    scripts: dict[int, str | None] = {}

    def script_of(i: int) -> str | None:
        if i not in scripts:
            a, b = spans[i]
            scripts[i] = language.letters(language.content(text[a:b])).script
        return scripts[i]

    def excluded(i: int) -> bool:
        return i == header_index or boilerplate.is_debris(text[spans[i][0] : spans[i][1]])

    return {
        i: post
        for post in posts.find_posts(text, spans, script_of, main_script, excluded)
        for i in post.paragraphs
    }


def _pieces(
    text: str, start: int, end: int, is_header: bool, attribution: tuple[int, int] | None
) -> list[tuple[int, int]]:
    """The sentences of a paragraph; the `date` header and a post's attribution line
    (however it is punctuated) are one piece each."""
    if is_header:
        return [(start, end)]
    if attribution is not None and start <= attribution[0] < end:
        before = layout.trim(text, start, attribution[0])
        pieces = sentences.split(text, *before) if before[1] > before[0] else []
        pieces.append(layout.trim(text, attribution[0], end))
        return pieces
    return sentences.split(text, start, end)


def document_language(segments: list[Segment]) -> str:
    """The dominant language of the body segments (of all segments if there is no body)."""
    body = [s for s in segments if s.kind is SegmentKind.BODY] or segments
    return language.dominant([s.language for s in body], [s.end - s.start for s in body])


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraph spans, with a leading `date ...` header token as a paragraph of its own."""
    spans = [(p.start, p.end) for p in layout.paragraphs(text)]
    header = layout.header_span(text)
    if header is None or not spans or not spans[0][0] <= header[0] < spans[0][1]:
        return spans
    first_end = spans[0][1]
    rest = layout.trim(text, header[1], first_end)
    spans[0] = header
    if rest[1] > rest[0]:
        spans.insert(1, rest)
    return spans


def _refine(
    text: str,
    folding: Normalized,
    start: int,
    end: int,
    paragraph: int,
    kind: SegmentKind,
    place: str = "alone",
    contains: bool = True,
) -> list[_Unit]:
    """Sentence-level furniture inside article paragraphs: a notice glued in front
    ("Read this story in English"), a "Read more" at the end, a credit or share line, a
    lone image, link or date. `place`: whole (the sentence is the paragraph, whose own
    checks already ran), first, middle, last (of several) or alone (a piece cut off
    another sentence). `contains`: look for cues inside the sentence too (not needed when
    the whole paragraph was searched)."""
    chunk = text[start:end]
    if place == "middle":
        if boilerplate.is_image(chunk) or boilerplate.is_link_only(chunk):
            return [_Unit(start, end, paragraph, SegmentKind.BOILERPLATE)]
        return [_Unit(start, end, paragraph, kind)]
    x, y = folding.from_original(start, end)
    folded = folding.text[x:y]
    words = len(chunk.split())
    is_terminated = cues.terminated(chunk)
    if place in ("first", "whole", "alone"):
        glued = cues.match("split", folded, words, is_terminated)
        if glued is not None:
            cut, _ = folding.to_original(x + glued.end, x + glued.end)
            a, b = layout.trim(text, start, cut)
            c, d = layout.trim(text, cut, end)
            if b > a and d > c:
                rest = _refine(text, folding, c, d, paragraph, kind, "alone", contains)
                return [_Unit(a, b, paragraph, SegmentKind.BOILERPLATE)] + rest
    if place in ("last", "whole", "alone"):
        tail = cues.match("suffix", folded, words, is_terminated)
        if tail is not None and tail.start > 0:
            cut, _ = folding.to_original(x + tail.start, x + tail.start)
            a, b = layout.trim(text, start, cut)
            c, d = layout.trim(text, cut, end)
            if b > a and d > c:
                head = _refine(text, folding, a, b, paragraph, kind, "alone", contains)
                return head + [_Unit(c, d, paragraph, SegmentKind.BOILERPLATE)]
    if place == "whole":
        return [_Unit(start, end, paragraph, kind)]
    if boilerplate.is_image(chunk) or boilerplate.is_link_only(chunk) or boilerplate.is_debris(chunk):
        return [_Unit(start, end, paragraph, SegmentKind.BOILERPLATE)]
    if words <= _SHORT_DATE and boilerplate.is_date_only(folded, words):
        return [_Unit(start, end, paragraph, SegmentKind.BOILERPLATE)]
    f = Features(chunk, folded, words, is_terminated)
    found = boilerplate.cue_match(f, contains)
    return [_Unit(start, end, paragraph, found.cue.kind if found else kind)]


def _caption_sentences(
    text: str, folding: Normalized, pieces: list[tuple[int, int]], paragraph: int
) -> list[_Unit]:
    """A paragraph of article sentences with a photo credit among them: the credit's
    sentence is the caption, the others are read as body."""
    units: list[_Unit] = []
    for a, b in pieces:
        x, y = folding.from_original(a, b)
        f = boilerplate.features(text[a:b], folding.text[x:y])
        if boilerplate.cue_kind(f) is SegmentKind.CAPTION:
            units.append(_Unit(a, b, paragraph, SegmentKind.CAPTION))
        else:
            units.extend(_refine(text, folding, a, b, paragraph, SegmentKind.BODY))
    return units


def _languages(text: str, units: list[_Unit], hint: str | None) -> list[str]:
    pieces: list[language.Piece] = []
    last_post_text: int | None = None
    for index, unit in enumerate(units):
        exclude: list[tuple[int, int]] = []
        if unit.attribution is not None:
            a, b = unit.attribution
            if a < unit.end and b > unit.start:  # leave the attribution line out
                exclude.append((a, b))
        exclude.extend(language.not_words(text, unit.start, unit.end))
        follows = None
        if unit.kind is SegmentKind.POST:
            if exclude and _only_excluded(text, unit, exclude) and last_post_text is not None:
                follows = last_post_text
            else:
                last_post_text = index
        pieces.append(language.Piece(unit.paragraph, unit.start, unit.end, tuple(exclude), follows))
    return language.assign(text, pieces, hint)


def _only_excluded(text: str, unit: _Unit, exclude: list[tuple[int, int]]) -> bool:
    """Is nothing but the excluded spans (attribution, links) a word of the unit?"""
    piece = language.Piece(unit.paragraph, unit.start, unit.end, tuple(exclude))
    return language.letters(language.words_of(text, piece)).script is None
