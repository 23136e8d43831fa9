"""Who said what: speech verbs, their speakers and the words they report.

A speech zone is the attribution part of a sentence — the speech verb and its speaker
(وقال المتحدث باسم الوزارة نيد برايس في بيان، "the official says", "according to X") —
and what follows the complement (إن/أن/"that") or stands in quotation marks is the reported
content. Continuations (وأضاف “…”) keep the previous speaker. Embedded social-media posts
are quotes of their author.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rasd.event import Actor, Quote
from rasd.extract.context import DocumentContext, Found, Placed, Sentence
from rasd.lang import table
from rasd.text.normalize import normalize_term

_SPEAKER_WINDOW = 8  # words after an Arabic speech verb in which its speaker stands
_COMPLEMENT_WINDOW = 16
_CONTINUE_SENTENCES = 3  # a speakerless "he added" refers back this far


@dataclass(slots=True)
class SpeechZone:
    sentence: Sentence
    first: int  # word range of the attribution (verb and speaker)
    last: int
    verb: Found[Any]
    speaker: Placed[Any] | None
    speaker_actor: Actor | None
    content: tuple[int, int] | None  # original span of the reported words
    continued: bool = False  # the speaker was carried over from an earlier sentence


def _quote_after(sentence: Sentence, word: int, within: int = 3) -> tuple[int, int] | None:
    """The first quoted region that starts at or after `word` (within a few words)."""
    if word >= len(sentence.words):
        return None
    offset = sentence.starts[word] if word < len(sentence.starts) else sentence.end
    for a, b in sentence.quoted:
        if a >= offset - 2 and sentence.word_at(a) - word <= within:
            return a, b
    return None


def _quote_before(sentence: Sentence, word: int) -> tuple[int, int] | None:
    offset = sentence.starts[word]
    best = None
    for a, b in sentence.quoted:
        if b <= offset and word - sentence.word_at(b) <= 3:
            best = (a, b)
    return best


def _arabic_zone(sentence: Sentence, verb: Found[Any]) -> SpeechZone:
    words = sentence.words
    end = min(len(words) - 1, verb.last + _COMPLEMENT_WINDOW)
    complement = next(
        (c for c in sentence.speech if c.payload.kind == "complement" and verb.last < c.first <= end), None
    )
    quoted = _quote_after(sentence, verb.last + 1, _SPEAKER_WINDOW + 4)
    stop = end
    if complement is not None:
        stop = complement.first - 1
    if quoted is not None:
        quote_word = sentence.word_at(quoted[0])
        if quote_word - 1 < stop:
            stop = max(verb.last, quote_word - 1)
            complement = None
    for b in sentence.breaks:
        if verb.last < b <= stop:
            stop = b - 1
            break
    speaker = next(
        (a for a in sentence.actors
         if verb.last < a.first <= min(stop, verb.last + _SPEAKER_WINDOW) and not _addressee(sentence, verb, a)),
        None,
    )
    if speaker is None:
        before = [a for a in sentence.actors if verb.first - 3 <= a.last < verb.first]
        speaker = before[-1] if before else None
    if quoted is not None:
        content = quoted
    elif complement is not None and complement.last + 1 < len(words):
        content = (sentence.starts[complement.last + 1], sentence.end)
    else:
        content = None
    return SpeechZone(sentence, verb.first, max(verb.last, stop), verb, speaker, None, content)


def _addressee(sentence: Sentence, verb: Found[Any], actor: Placed[Any]) -> bool:
    """وأكدا لرويترز: an actor with the dative clitic right after the speech verb is spoken to."""
    if actor.first != verb.last + 1 or sentence.starts[actor.first] >= actor.item.start:
        return False
    key = sentence.words[actor.first].key
    return any(key.startswith(c) for c in _addressee_clitics(sentence.language))


@lru_cache(maxsize=None)
def _addressee_clitics(language: str) -> frozenset[str]:
    return frozenset(normalize_term(r["term"]) for r in table(language, "cues") if r.get("kind") == "addressee")


def _english_zone(sentence: Sentence, verb: Found[Any]) -> SpeechZone:
    words = sentence.words
    after = verb.last + 1
    following = next((c for c in sentence.speech if c.payload.kind == "complement" and c.first == after), None)
    quoted_after = _quote_after(sentence, after)
    quoted_before = _quote_before(sentence, verb.first)
    before = [a for a in sentence.actors if verb.first - 5 <= a.last < verb.first
              and not sentence.breaks_between(a.last, verb.first)]
    after_actors = [a for a in sentence.actors if after <= a.first <= verb.last + 4]
    term = verb.payload.term
    if term == "according to":
        speaker = after_actors[0] if after_actors else None
        last = speaker.last if speaker else verb.last
        content = (sentence.start, sentence.starts[verb.first])
        return SpeechZone(sentence, verb.first, last, verb, speaker, None, content)
    speaker = before[-1] if before else (after_actors[0] if after_actors else None)
    first = min(verb.first, speaker.first) if speaker else verb.first
    last = max(verb.last, speaker.last) if speaker else verb.last
    if following is not None and following.last + 1 < len(words):
        content = (sentence.starts[following.last + 1], sentence.end)
    elif quoted_after is not None:
        content = quoted_after
    elif quoted_before is not None:
        content = quoted_before
    elif after < len(words) and speaker is not None and speaker.last < verb.first:
        content = (sentence.starts[after], sentence.end)  # "X said the attack ..."
    else:
        content = (sentence.start, sentence.starts[first]) if first > 0 else None
    return SpeechZone(sentence, first, last, verb, speaker, None, content)


def speech_zones(context: DocumentContext, actor_of) -> dict[int, list[SpeechZone]]:
    """Speech zones of every sentence, by sentence index, with speakers resolved."""
    zones: dict[int, list[SpeechZone]] = {}
    last_speaker: tuple[int, int, Actor] | None = None  # (sentence index, paragraph, actor)
    for sentence in context.sentences:
        found = []
        for verb in sentence.speech:
            if verb.payload.kind != "verb":
                continue
            zone = _arabic_zone(sentence, verb) if sentence.language != "en" else _english_zone(sentence, verb)
            if zone.content is None and verb.payload.term != "according to":
                continue  # أعلن حالة الطوارئ: a verb with an object, not reported speech
            if zone.speaker is not None:
                zone.speaker_actor = actor_of(zone.speaker.item)
                last_speaker = (sentence.index, sentence.paragraph, zone.speaker_actor)
            elif last_speaker is not None and sentence.index - last_speaker[0] <= _CONTINUE_SENTENCES:
                zone.speaker_actor = last_speaker[2]
                zone.continued = True
            found.append(zone)
        if found:
            zones[sentence.index] = found
    return zones


def _post_speaker(sentence: Sentence) -> Actor | None:
    post = sentence.post
    author = getattr(post, "author", None) or getattr(post, "handle", None)
    if not author:
        return None
    return Actor(text=author, name=author, sector=None, country=None)


def _is_attribution(text: str, sentence: Sentence) -> bool:
    """The "— Name (@handle) date" line under a post."""
    line = text[sentence.start : sentence.end].lstrip()
    return line[:1] in "—–-" or (sentence.post is not None and getattr(sentence.post, "handle", None) or "") in line[:80] and "@" in line


def _post_groups(context: DocumentContext) -> list[list[Sentence]]:
    """Consecutive post segments of one embedded post."""
    groups: list[list[Sentence]] = []
    previous: Sentence | None = None
    for sentence in context.sentences:
        if sentence.kind != "post":
            previous = None
            continue
        same = (
            previous is not None
            and previous.segment + 1 == sentence.segment
            and (previous.post == sentence.post or previous.paragraph == sentence.paragraph)
        )
        if same:
            groups[-1].append(sentence)
        else:
            groups.append([sentence])
        previous = sentence
    return groups


def _language_of(text: str, default: str) -> str:
    arabic = sum(1 for c in text if "\u0600" <= c <= "\u06ff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    if arabic > latin:
        return "ar"
    if latin > arabic:
        return "en" if default not in ("ar",) else "en"
    return default


def build_quotes(context: DocumentContext, zones: dict[int, list[SpeechZone]]) -> list[Quote]:
    """Quotes in text order: reported statements with a speaker, and embedded posts."""
    text = context.text
    quotes: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    posts = _post_groups(context)
    for group in posts:
        speaker = _post_speaker(group[0])
        start, end = group[0].start, group[-1].end
        body_end = max((s.end for s in group if not _is_attribution(context.text, s)), default=end)
        words = text[start:body_end].strip()
        if words:
            quotes.append(Quote(speaker, words, group[0].language, start, body_end))
            seen.add((start, body_end))
    for sentence in context.sentences:
        if sentence.kind == "post":
            continue
        for zone in zones.get(sentence.index, []):
            if zone.content is None or zone.speaker_actor is None:
                continue
            start, end = zone.content
            while start < end and text[start] in " \t\n,،:\"“«":
                start += 1
            while end > start and text[end - 1] in " \t\n.\"”»":
                end -= 1
            if end - start < 8 or (start, end) in seen:
                continue
            seen.add((start, end))
            quoted = text[start:end]
            quotes.append(Quote(zone.speaker_actor, quoted, _language_of(quoted, sentence.language), start, end))
    quotes.sort(key=lambda q: q.start)
    return quotes


def quote_index(quotes: list[Quote], start: int, end: int) -> int | None:
    """Index of the quote whose span contains [start, end)."""
    for i, quote in enumerate(quotes):
        if quote.start <= start and end <= quote.end:
            return i
    return None
