"""How many were killed and injured: casualty words tied to the numbers that count them.

casualties.tsv says where a casualty word's number usually stands: after it (مقتل 8 أشخاص،
أصيب 2750، "killing 12 people") or before it (سقوط 15 قتيلا، 125 جريحاً، "50 people were
killed"), and how far it may stray to the other side (`reach`: a verb's subject may come first,
"6 من أفراد الحراسة ... أصيبوا"). The nearest unused number on the usual side wins, then the
other side within `reach`. Numbers after بينهم / "including" count a subset and are skipped;
numbers joined by و / "and" after one casualty word are added (إصابة 5 جنود واثنين من المدنيين
= 7) unless the second belongs to another casualty word (6 قتلى وأكثر من 30 جريحاً). A dual
noun (شخصان، قتيلين) counts two. "No one was hurt" / دون خسائر بشرية gives 0 and 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rasd.extract.context import Found, Placed, Sentence
from rasd.lang import table
from rasd.text.normalize import normalize_term

_PRIMARY = 8  # words on the usual side of the casualty word
_SUM_GAP = 7
_COUNTING = ("killed", "injured", "both")


@dataclass(slots=True)
class CasualtyFact:
    kind: str  # killed | injured | none
    value: int | None  # None: reported without a usable number
    word: Found[Any]
    spans: list[tuple[int, int]] = field(default_factory=list)
    exact: bool = True

    @property
    def position(self) -> int:
        return self.word.first


def _counts_a_weapon(sentence: Sentence, number: Placed[Any]) -> bool:
    """بثلاث رصاصات / "two rockets": the number counts the weapon, not the people."""
    return any(0 < w.first - number.last <= 1 for w in sentence.weapons)


def _is_subset(sentence: Sentence, number: Placed[Any]) -> bool:
    """بينهم 27 مصاباً / "including 4 policemen", and أربعة بينهم / "four of them": a part."""
    return any(
        c.payload.kind == "subset" and (0 <= number.first - c.last <= 2 or 0 < c.first - number.last <= 1)
        for c in sentence.cues
    )


@lru_cache(maxsize=None)
def _number_forms(language: str) -> dict[str, tuple[str, ...]]:
    """The person-noun affixes of casualties.tsv that make a noun count (dual, singular)."""
    forms: dict[str, list[str]] = {}
    for row in table(language, "casualties"):
        kind = row.get("kind") or ""
        if kind.startswith(("dual_", "singular_")):
            forms.setdefault(kind, []).append(normalize_term(row.get("term") or ""))
    return {kind: tuple(values) for kind, values in forms.items()}


def _dual(sentence: Sentence, word: Found[Any], adjacent_only: bool = False,
          side: str = "either") -> tuple[int, tuple[int, int]] | None:
    """A person noun right next to the casualty word counts: a dual two (قتل شخصان، استشهد
    شابان), a singular one (قتل جندي، متظاهرا قتل). The affixes are language data."""
    forms = _number_forms(sentence.language)
    if not forms:
        return None
    for other in sentence.casualties:
        entry = other.payload
        if entry.kind != "person" or other.first == word.first or abs(other.first - word.first) > (1 if adjacent_only else 3):
            continue
        if sentence.commas_between(other.first, word.first):
            continue
        if (side == "after" and other.first < word.first) or (side == "before" and other.first > word.first):
            continue
        key = sentence.words[other.first].key
        stem = entry.term.replace(" ", "")
        if any(key.endswith(stem + s) for s in forms.get("dual_suffix", ())) or (
            entry.count == "broken" and any(key.endswith(stem + s) for s in forms.get("dual_suffix_broken", ()))
        ):
            return 2, (other.start, other.end)
        singular = {stem} | {stem + s for s in forms.get("singular_suffix", ())} | {
            p + stem for p in forms.get("singular_prefix", ())}
        if abs(other.first - word.first) == 1 and key in singular:
            return 1, (other.start, other.end)
    return None


def _counting_words(sentence: Sentence) -> list[Found[Any]]:
    return [w for w in sentence.casualties if w.payload.kind in _COUNTING]


def _between(sentence: Sentence, word: Found[Any], a: int, b: int) -> bool:
    """Another killed/injured word strictly between word positions a and b."""
    return any(o is not word and a < o.first < b for o in _counting_words(sentence))


def _pick(sentence: Sentence, word: Found[Any], used: set[int]) -> Placed[Any] | None:
    entry = word.payload
    numbers = [n for n in sentence.numbers
               if id(n) not in used and not _is_subset(sentence, n) and not _counts_a_weapon(sentence, n)]
    after = sorted((n for n in numbers if n.first > word.last), key=lambda n: n.first)
    before = sorted((n for n in numbers if n.last < word.first), key=lambda n: -n.last)

    def look_after(limit: int) -> Placed[Any] | None:
        for n in after[:1]:
            if n.first - word.last <= limit and not _between(sentence, word, word.last, n.first):
                if n.first - word.last > 2 and _belongs_elsewhere(sentence, word, n):
                    return None  # "... وإن عشرات أصيبوا": the number counts the next word
                return n
        return None

    def look_before(limit: int) -> Placed[Any] | None:
        for n in before[:1]:
            if word.first - n.last <= limit and not _between(sentence, word, n.last, word.first):
                return n
        return None

    if entry.order == "after":
        return look_after(_PRIMARY) or look_before(entry.reach)
    if entry.order == "before":
        return look_before(_PRIMARY) or look_after(entry.reach)
    return look_after(3) or look_before(3)


def _belongs_elsewhere(sentence: Sentence, word: Found[Any], number: Placed[Any]) -> bool:
    """A counting word of another kind right after the number claims it (30 جريحاً)."""
    return any(
        o is not word and o.payload.kind != word.payload.kind and 0 < o.first - number.last <= 2
        for o in _counting_words(sentence)
    )


def _glued(sentence: Sentence, number: Placed[Any]) -> bool:
    """A conjunction written on the number word (واثنين): the word starts before the number."""
    return sentence.starts[number.first] < number.item.start


def _add_coordinated(sentence: Sentence, first: Placed[Any], used: set[int], word: Found[Any]) -> tuple[int, list[Placed[Any]]]:
    """إصابة 5 جنود واثنين من المدنيين: numbers joined by a conjunction are added."""
    total = first.item.value or 0
    joined = [first]
    current = first
    for n in sorted(sentence.numbers, key=lambda n: n.first):
        if n.first <= current.last or id(n) in used or n.item.value is None or n.item.qualifier == "vague":
            continue
        if n.first - current.last > _SUM_GAP or _between(sentence, word, current.last, n.first):
            break
        if _belongs_elsewhere(sentence, word, n) or _is_subset(sentence, n):
            break
        if any(current.last < p.first < n.first and not getattr(p.item, "demonym", False) for p in sentence.places):
            break  # "6 in Omdurman, 1 in Bahri": per place, not a total
        conjunction = any(c.payload.kind == "conjunction" and current.last < c.first <= n.first for c in sentence.cues)
        if not (conjunction or _glued(sentence, n)):
            break
        total += n.item.value
        joined.append(n)
        current = n
    return total, joined


def find_casualties(sentence: Sentence) -> list[CasualtyFact]:
    facts: list[CasualtyFact] = []
    used: set[int] = set()
    for word in sorted(sentence.casualties, key=lambda w: w.first):
        entry = word.payload
        if entry.kind == "person":
            continue
        if entry.kind in ("none", "none_killed", "none_injured"):
            facts.append(CasualtyFact(entry.kind, 0, word, [(word.start, word.end)]))
            continue
        if entry.kind == "both":
            continue  # "7 بين قتيل وجريح": no split between killed and injured
        if any(f.word.first <= word.first <= f.word.last for f in facts):
            continue
        value: int | None = None
        spans = [(word.start, word.end)]
        exact = True
        # a person noun on the usual side counts (قتل جنديان، متظاهرا قتل), not one that belongs
        # to the casualty word before it (قتل جنديان وأصيب ثلاثة)
        adjacent = _dual(sentence, word, adjacent_only=True, side=entry.order)
        if entry.count.isdigit():
            value = int(entry.count)
        elif adjacent is not None:
            value, span = adjacent
            spans.append(span)
        else:
            number = _pick(sentence, word, used)
            if number is not None:
                used.add(id(number))
            if number is not None and number.item.value is not None and number.item.qualifier != "vague":
                total, joined = _add_coordinated(sentence, number, used, word)
                for n in joined:
                    used.add(id(n))
                    spans.append((n.item.start, n.item.end))
                value = total
                exact = number.item.qualifier in ("exact", "min")
            elif number is None:
                dual = _dual(sentence, word)
                if dual is not None:
                    value, span = dual
                    spans.append(span)
        facts.append(CasualtyFact(entry.kind, value, word, spans, exact))
    return facts
