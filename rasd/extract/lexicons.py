"""The extraction lexicons of a language pack, compiled once per process.

weapons.tsv (weapon -> mode it implies), casualties.tsv (killed / injured words), cues.tsv
(negation, hedging, claims, background, domains), speech.tsv (who said what). Triggers live in
`rasd.annotate.triggers`; the cue lexicon is shared with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from rasd.annotate.lexmatch import Lexicon
from rasd.annotate.triggers import cue_lexicon
from rasd.lang import table

P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class WeaponEntry:
    term: str
    weapon: str
    mode: str | None
    priority: int


@dataclass(frozen=True, slots=True)
class CasualtyEntry:
    term: str
    kind: str  # killed | injured | both | none | person
    count: str  # an implied number ("2"), "broken"/"sound" for person nouns, or ""
    order: str  # where the number stands: before | after | either
    reach: int  # words the number may stand on the other side


@dataclass(frozen=True, slots=True)
class SpeechEntry:
    term: str
    kind: str  # verb | source | complement


@dataclass(frozen=True, slots=True)
class CueEntry:
    term: str
    kind: str
    window: int | None


Row = dict[str, str]


def _from_table(language: str, name: str, entry: Callable[[Row], tuple[str, P, bool, bool] | None]) -> Lexicon[P] | None:
    """The lexicon of one language-pack table: `entry` turns a row that has a term into
    (term, payload, nominal, exact), or None to leave it out."""
    entries = [found for row in table(language, name) if row.get("term") and (found := entry(row)) is not None]
    return Lexicon.build(language, entries) if entries else None


@lru_cache(maxsize=None)
def weapons(language: str) -> Lexicon[WeaponEntry] | None:
    def entry(row: Row) -> tuple[str, WeaponEntry, bool, bool]:
        weapon = WeaponEntry(row["term"], row.get("weapon") or row["term"], row.get("mode") or None,
                             int(row.get("priority") or 1))
        return row["term"], weapon, True, False

    return _from_table(language, "weapons", entry)


@lru_cache(maxsize=None)
def casualties(language: str) -> Lexicon[CasualtyEntry] | None:
    def entry(row: Row) -> tuple[str, CasualtyEntry, bool, bool] | None:
        kind = row.get("kind") or "killed"
        if kind.startswith(("dual_", "singular_")):
            return None
        casualty = CasualtyEntry(row["term"], kind, row.get("count") or "", row.get("order") or "either",
                                 int(row.get("reach") or 2))
        return row["term"], casualty, False, False

    return _from_table(language, "casualties", entry)


@lru_cache(maxsize=None)
def speech(language: str) -> Lexicon[SpeechEntry] | None:
    def entry(row: Row) -> tuple[str, SpeechEntry, bool, bool]:
        return row["term"], SpeechEntry(row["term"], row.get("kind") or "verb"), row.get("kind") != "verb", False

    return _from_table(language, "speech", entry)


@lru_cache(maxsize=None)
def cues(language: str) -> Lexicon[CueEntry] | None:
    """Every cue of the language except the `not_event` phrases (the trigger finder uses those)."""

    def entry(row: Row) -> tuple[str, CueEntry, bool, bool] | None:
        kind = row.get("kind") or ""
        if kind == "not_event":
            return None
        window = row.get("window")
        # domain words are matched as written: دوريات "patrols" is not الدوري "the league"
        return row["term"], CueEntry(row["term"], kind, int(window) if window else None), True, kind.startswith("domain:")

    return _from_table(language, "cues", entry)


@lru_cache(maxsize=None)
def patrons(language: str) -> Lexicon[str] | None:
    """Words that make a following country a patron, not a place (الموالية لإيران، "Iran-backed"):
    the `patron` words of the actor recogniser's actor_words.tsv, with their affixes folded."""
    from rasd.annotate.lexmatch import analyses
    from rasd.text.normalize import normalize_term

    terms: set[str] = set()
    for row in table(language, "actor_words"):
        if row.get("role") == "patron" and row.get("form"):
            term = normalize_term(row["form"])
            terms.add(term)
            terms.update(form for form, verbal in analyses(language, term) if not verbal and len(form) > 2)
    if not terms:
        return None
    return Lexicon.build(language, [(t, t, False, False) for t in sorted(terms)])


# The tables of the combined lexicon, by the name a `Tagged` entry carries.
TABLES = ("cue", "weapon", "casualty", "speech")


@dataclass(frozen=True, slots=True)
class Tagged:
    """An entry of the combined lexicon: which table it comes from, and its row."""

    table: str  # one of TABLES
    entry: object


@lru_cache(maxsize=None)
def combined(language: str) -> Lexicon[Tagged] | None:
    """Cues, weapons, casualty and speech words in one lexicon, so that each sentence is
    scanned once (the tables keep their own matching flags)."""
    entries = []
    for name, lexicon in zip(TABLES, (cues(language), weapons(language), casualties(language), speech(language))):
        if lexicon is None:
            continue
        for entry in lexicon.entries():
            entries.append((entry, name))
    if not entries:
        return None
    return Lexicon.retag(language, entries, Tagged)


__all__ = ["weapons", "casualties", "speech", "cues", "patrons", "combined", "cue_lexicon", "Tagged", "TABLES"]
