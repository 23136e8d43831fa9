"""Where an event happened: the place mentions of its clause, most specific first.

A place phrase such as "مجمع دوكري في ناحية سنون التابعة لقضاء سنجار" or "Baghdad's Green
Zone" names one place at several levels: the most specific level wins. Places joined by
و / "and" / commas that do not contain one another ("بقيق وخريص", a list of cities) are
several places: the event is split into one per place. Nationality adjectives (العراقي) and
countries named only as an actor's country are not event places.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasd.annotate.lexmatch import words
from rasd.extract.arguments import in_clause_else_sentence
from rasd.extract.context import DocumentContext, Placed, Sentence
from rasd.extract.mention import EventMention
from rasd.lang import table
from rasd.text.normalize import normalize_term

PRECISION_RANK = {"site": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4}
_CHAIN_GAP = 4  # words between two levels of one place phrase
_LIST_GAP = 3  # words between two coordinated places
_SPLIT_TYPES = frozenset({"ASSAULT", "FIGHT", "PROTEST"})


def rank(place: Any) -> int:
    return PRECISION_RANK.get(getattr(place, "precision", "country") or "country", 5)


def usable(place: Any) -> bool:
    return not getattr(place, "demonym", False) and bool(getattr(place, "country", None))


def contains(outer: Any, inner: Any) -> bool:
    """Does `outer` contain `inner` (by name, admin1, parent or country)?"""
    if outer.name == inner.name:
        return True
    if rank(outer) <= rank(inner):
        return False
    names = {getattr(inner, "parent", None), getattr(inner, "admin1", None), getattr(inner, "admin2", None)}
    if outer.name in names:
        return True
    return getattr(outer, "precision", "") == "country" and outer.country == inner.country


def related(a: Any, b: Any) -> bool:
    return contains(a, b) or contains(b, a)


def _inside_actor(sentence: Sentence, place: Placed[Any]) -> bool:
    return any(a.item.start <= place.item.start and place.item.end <= a.item.end for a in sentence.actors)


def _conjoined(sentence: Sentence, left: Placed[Any], right: Placed[Any]) -> bool:
    """Two places joined by a conjunction or a comma, close together ("بقيق وخريص"); not a
    place and its reference point ("Afgoye, west of Mogadishu", "70 كم شمال بعقوبة")."""
    if right.first - left.last > _LIST_GAP:
        return False
    conjunction = any(c.payload.kind == "conjunction" and left.last < c.first <= right.first for c in sentence.cues)
    glued = _glued_conjunction(sentence, right)
    if any(c.payload.kind == "direction" and left.last < c.first < right.first for c in sentence.cues):
        return conjunction or glued
    if conjunction or glued:
        return True
    return sentence.commas_between(left.last, right.first) > 0


def _glued_conjunction(sentence: Sentence, right: Placed[Any]) -> bool:
    if sentence.starts[right.first] < right.item.start:  # a conjunction written on the name (وخريص)
        glued = sentence.words[right.first].key
        return any(glued.startswith(term) for term in conjunctions(sentence.language))
    return False


@lru_cache(maxsize=None)
def conjunctions(language: str) -> frozenset[str]:
    """The language's conjunctions (cues.tsv kind `conjunction`), normalised."""
    return frozenset(
        normalize_term(row["term"]) for row in table(language, "cues") if row.get("kind") == "conjunction"
    )


def phrases(sentence: Sentence, places: list[Placed[Any]]) -> list[list[Placed[Any]]]:
    """Group places into phrases: levels of one place (chained), lists (coordinated)."""
    groups: list[list[Placed[Any]]] = []
    for place in sorted(places, key=lambda p: p.first):
        if groups:
            last = groups[-1][-1]
            if place.first - last.last <= _CHAIN_GAP and related(place.item, last.item):
                groups[-1].append(place)
                continue
        groups.append([place])
    return groups


def _best(group: list[Placed[Any]]) -> Placed[Any]:
    return min(group, key=lambda p: (rank(p.item), p.first))


def _patronised(sentence: Sentence, place: Placed[Any]) -> bool:
    """الموالية لإيران، "Iran-backed": the country backs an actor, it is not where things happen."""
    from rasd.extract.lexicons import patrons

    lexicon = patrons(sentence.language)
    if lexicon is None:
        return False
    word = sentence.words[place.first].key
    if "-" in word and any(
        part for part in word.split("-")[1:] if list(lexicon.find(words(part)))
    ):
        return True
    window = sentence.words[max(0, place.first - 3) : place.first]
    return any(True for _ in lexicon.find(window))


def own_places(sentence: Sentence, zones: list[Any]) -> list[Placed[Any]]:
    """The sentence's places that can be where an event happened."""
    if sentence.event_places is None:  # the same for every trigger of the sentence
        sentence.event_places = [
            p for p in sentence.places
            if usable(p.item) and not _inside_actor(sentence, p) and not _patronised(sentence, p)
        ]
    return [p for p in sentence.event_places if not any(z.first <= p.first <= z.last for z in zones)]


def choose_places(m: EventMention, context: DocumentContext, zones: list[Any] = ()) -> None:
    s = m.sentence
    candidates = own_places(s, list(zones))
    if not candidates:
        return
    own, rule = in_clause_else_sentence(s, m.first, m.last, candidates, "place")
    groups = phrases(s, candidates)  # a list of places may run past the clause
    mine = [g for g in groups if any(p in own for p in g)]
    after = [g for g in mine if g[0].first > m.last]
    before = [g for g in mine if g[-1].last < m.first]
    covering = [g for g in mine if g not in after and g not in before]
    ordered = covering + after + list(reversed(before))
    main = ordered[0]
    chosen = [_best(main)]
    if m.type in _SPLIT_TYPES:
        position = groups.index(main)
        for nxt in groups[position + 1 :]:
            anchor = max(main, key=lambda p: p.last)
            if not _conjoined(s, anchor, nxt[0]):
                break
            best = _best(nxt)
            if any(related(best.item, c.item) for c in chosen):
                break
            chosen.append(best)
            main = nxt
    m.places = [p.item for p in chosen]
    m.place_rule = rule if len(chosen) == 1 else rule + "; coordinated places, one event each"
