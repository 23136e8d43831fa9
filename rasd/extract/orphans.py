"""Details stated away from any trigger, and statements about an event.

"6 من أفراد الحراسة أصيبوا" in a sentence of its own counts the casualties of the attack told
just before; a condemnation of "the attack" targets whoever carried it out.
"""

from __future__ import annotations


from rasd.extract.casualties import CasualtyFact
from rasd.extract.context import DocumentContext
from rasd.extract.events import default_actor1
from rasd.extract.merge import Cluster, _better_count, same_place
from rasd.extract.mention import Count, Role
from rasd.extract.places import own_places

_LOOKBACK = 3  # sentences back to the event a stray count belongs to
_VIOLENT = frozenset({"ASSAULT", "FIGHT", "PROTEST"})
_REFERRING = frozenset({"DISAPPROVE"})


def attach_orphan_counts(clusters: list[Cluster], context: DocumentContext,
                         facts: dict[int, list[CasualtyFact]]) -> None:
    covered = {m.sentence.index for c in clusters for m in c.mentions}
    for index, sentence_facts in facts.items():
        if index in covered or not sentence_facts:
            continue
        sentence = context.sentences[index]
        if sentence.cues_of("background", "hypothetical", "future"):
            continue
        candidates = [
            c for c in clusters
            if c.type in _VIOLENT and not c.background
            and any(0 <= index - m.sentence.index <= _LOOKBACK for m in c.mentions)
            and all(m.sentence.index <= index for m in c.mentions[:1])
        ]
        places = [p.item for p in own_places(sentence, [])]
        candidates = [c for c in candidates if all(same_place(c.place, p) for p in places)]
        if not candidates:
            continue
        target = max(candidates, key=lambda c: max(m.sentence.index for m in c.mentions if m.sentence.index <= index))
        for fact in sentence_facts:
            if fact.value is None:
                continue
            count = Count(fact.value, f"number with '{fact.word.payload.term}' in a later sentence", list(fact.spans), fact.exact)
            if fact.kind == "killed":
                target.fatalities = _better_count(target.fatalities, count)
            elif fact.kind == "injured":
                target.injured = _better_count(target.injured, count)
            elif fact.kind.startswith("none"):
                zero = Count(0, "no casualties reported", list(fact.spans))
                if fact.kind != "none_injured":
                    target.fatalities = target.fatalities or zero
                if fact.kind != "none_killed":
                    target.injured = target.injured or zero


def resolve_references(clusters: list[Cluster]) -> None:
    """A condemnation without a named target targets the perpetrator of the attack before it."""
    for i, cluster in enumerate(clusters):
        if cluster.type not in _REFERRING or cluster.actor2 is not None:
            continue
        attacks = [c for c in clusters[:i] if c.type in ("ASSAULT", "FIGHT") and not c.background]
        if not attacks:
            attacks = [c for c in clusters if c.type in ("ASSAULT", "FIGHT") and not c.background]
        if not attacks:
            continue
        attack = attacks[-1]
        doer: Role | None = attack.actor1 or default_actor1(attack, None)
        if doer is not None:
            cluster.actor2 = Role(doer.actor, "perpetrator of the condemned attack", list(doer.spans),
                                  doer.sector_known)
