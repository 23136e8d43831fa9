"""Event triggers: the words that report an event (استهدف، اشتباكات، "opened fire", "protest").

The lexicon is `rasd/lang/<code>/triggers.tsv`: each line maps a verb, verbal noun or phrase to
a PLOVER type and mode, with a strength (a weak trigger such as انفجار / "explosion" needs
support in its sentence before it counts). Matching runs over the normalised text of the body,
post and quote segments (captions and boilerplate do not speak for the article), strips the
affixes of the language (see `rasd.annotate.lexmatch`) and reports ORIGINAL-text spans.
Fixed phrases that look like triggers but are not (ضبط النفس "self-restraint", "price war")
are `not_event` cues and remove the trigger they overlap.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rasd.annotate.lexmatch import Lexicon, Match, best_matches, normalized_words
from rasd.lang import table

if TYPE_CHECKING:
    from rasd.text import PreparedDocument

SCANNED_KINDS = frozenset({"body", "post", "quote"})


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One line of a trigger lexicon."""

    term: str
    type: str
    mode: str | None
    form: str  # verb | noun | actor: the grammar of the (head) word
    strength: str  # strong | weak
    needs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TriggerMention:
    start: int  # ORIGINAL-text span
    end: int
    text: str
    type: str  # PLOVER
    mode: str | None
    entry: str  # the lexicon entry that matched (provenance)
    form: str  # "verb" | "noun" | "passive" | "phrase" | "actor"
    segment: int  # index into prepared.segments
    strength: str = "strong"  # "weak": needs support in its sentence (see `needs`)
    needs: tuple[str, ...] = ()
    language: str = ""
    head: str = "noun"  # grammar of the (head) word: "verb" | "noun" | "actor"


@lru_cache(maxsize=None)
def trigger_lexicon(language: str) -> Lexicon[TriggerEntry] | None:
    """The compiled trigger lexicon of a language, or None when its pack has none."""
    rows = table(language, "triggers")
    if not rows:
        return None
    entries = []
    for row in rows:
        term, kind = row.get("term", ""), row.get("type", "").upper()
        if not term or not kind:
            continue
        form = row.get("form") or "noun"
        entry = TriggerEntry(
            term=term,
            type=kind,
            mode=row.get("mode") or None,
            form=form,
            strength=row.get("strength") or "strong",
            needs=tuple(n.strip() for n in (row.get("needs") or "").split(",") if n.strip()),
        )
        entries.append((term, entry, form in ("noun", "actor", "instrument"), False))
    return Lexicon.build(language, entries)


@lru_cache(maxsize=None)
def cue_lexicon(language: str, kinds: frozenset[str] | None = None) -> Lexicon[dict[str, str]] | None:
    """Cues of `rasd/lang/<code>/cues.tsv` (optionally only some kinds) as a lexicon."""
    rows = table(language, "cues")
    if not rows:
        return None
    selected = [
        (row["term"], row, True, (row.get("kind") or "").startswith("domain:"))  # domain words: as written
        for row in rows
        if row.get("term") and (kinds is None or row.get("kind") in kinds)
    ]
    return Lexicon.build(language, selected) if selected else None


@lru_cache(maxsize=None)
def _voice_marks(language: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(passive vowel marks, conjunction letters written on verbs, imperfect prefixes) of the
    language's inflection.tsv."""
    rows = table(language, "inflection")
    pick = lambda kind: frozenset(r["affix"] for r in rows if r.get("kind") == kind and r.get("affix"))  # noqa: E731
    return pick("passive_vowel"), pick("verb_conjunction"), pick("active_prefix")


def _voweled_passive(token: str, language: str) -> bool:
    """A perfect verb voweled as passive on its first radical (قُتل، أُصيب; a conjunction may
    come first: وقُتل). Imperfect prefixes carry the same vowel in active verbs (يُطلق)."""
    vowels, conjunctions, prefixes = _voice_marks(language)
    if not vowels:
        return False
    letters = [(i, c) for i, c in enumerate(token) if not unicodedata.combining(c)]
    for position, (i, char) in enumerate(letters[:2]):
        if token[i + 1 : i + 2] in vowels and char not in prefixes:
            return True
        if position == 0 and char not in conjunctions:
            return False
    return False


def _is_passive(match: Match[Any], cues: list[Match[Any]], original: str, to_original, language: str) -> bool:
    """Passive voice: an Arabic verb written with damma on its first radical (قُتل), or a
    verb/noun a few words after a passive light verb or auxiliary (تعرض لـ، تم، "was")."""
    entry = match.payload[1]
    start, end = to_original(match.spans[0][0], match.spans[0][1])
    if entry.form == "verb" and _voweled_passive(original[start:end], language):
        return True
    first = match.first_word
    for cue in cues:
        reach = int(cue.payload[1].get("window") or 3)
        gap = first - (cue.first_word + cue.size)
        if 0 <= gap < reach:
            if language == "en" and entry.form == "noun":
                continue  # "was an attack" is not a passive
            return True
    return False


@lru_cache(maxsize=None)
def _scan_lexicon(language: str) -> Lexicon[Any] | None:
    """Triggers, `not_event` phrases and passive cues in one lexicon: one pass per segment."""
    triggers = trigger_lexicon(language)
    if triggers is None:
        return None
    tagged: list[tuple[Any, str]] = [(e, "trigger") for e in triggers.entries()]
    cues = cue_lexicon(language, frozenset({"not_event", "passive"}))
    if cues is not None:
        tagged.extend((e, "cue") for e in cues.entries())
    return Lexicon.retag(language, tagged, lambda tag, payload: (tag, payload))


def find_triggers(prepared: "PreparedDocument") -> list[TriggerMention]:
    """Trigger mentions of the body, post and quote segments, in text order."""
    text = prepared.document.text
    found: list[TriggerMention] = []
    for index, segment in enumerate(prepared.segments):
        if str(segment.kind) not in SCANNED_KINDS:
            continue
        language = segment.language
        scanner = _scan_lexicon(language)
        if scanner is None:
            continue
        original = text[segment.start : segment.end]
        normalized, seg_words = normalized_words(original)
        if not seg_words:
            continue
        trigger_matches: list[Match[Any]] = []
        blocked: set[tuple[int, int]] = set()
        passive: list[Match[Any]] = []
        for match in scanner.find(seg_words):
            tag, payload = match.payload
            if tag == "trigger":
                trigger_matches.append(match)
            elif payload.get("kind") == "not_event":
                blocked.update(match.spans)
            else:
                passive.append(match)
        if not trigger_matches:
            continue
        for match in best_matches(trigger_matches):
            if any(span in blocked for span in match.spans):
                continue
            entry = match.payload[1]
            form = "phrase" if len(entry.term.split()) > 1 else entry.form
            if entry.form in ("verb", "noun") and _is_passive(
                match, passive, original, normalized.to_original, language
            ):
                form = "passive"
            start, end = normalized.to_original(match.start, match.end)
            found.append(
                TriggerMention(
                    start=segment.start + start,
                    end=segment.start + end,
                    text=original[start:end],
                    type=entry.type,
                    mode=entry.mode,
                    entry=entry.term,
                    form=form,
                    segment=index,
                    strength=entry.strength,
                    needs=entry.needs,
                    language=language,
                    head=entry.form,
                )
            )
    found.sort(key=lambda t: (t.start, t.end))
    return found
