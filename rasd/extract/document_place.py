"""The place a document is about: its dateline, else its lead, else its most named place.

An event sentence that names no place ("the attack wounded six guards") happened where the
report is set. The dateline (بغداد - شفق نيوز، "BAGHDAD (AP) —") states that outright; without
one, the most specific place of the headline and first sentence, then the place named most
often, stand in.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rasd.extract.context import DocumentContext
from rasd.extract.places import rank, usable

_CORE = frozenset({"ASSAULT", "FIGHT", "PROTEST", "COERCE"})
_DATELINE_WORDS = 3
_LEAD = 2


def main_place(context: DocumentContext, clusters: list[Any] = ()) -> tuple[Any, str]:
    for cluster in clusters:
        if cluster.type in _CORE and not cluster.background and cluster.place is not None:
            return cluster.place, f"place of the document's first event '{cluster.place.text}'"
    body = [s for s in context.sentences if s.kind == "body"]
    if not body:
        return None, ""
    for sentence in body[:_LEAD]:
        for placed in sentence.places:
            if placed.first < _DATELINE_WORDS and usable(placed.item) and placed.item.precision != "country":
                return placed.item, f"dateline place '{placed.item.text}'"
    lead = [p.item for s in body[:_LEAD] for p in s.places if usable(p.item)]
    if lead:
        best = min(lead, key=rank)
        return best, f"most specific place of the lead '{best.text}'"
    counts: Counter[str] = Counter()
    first_seen: dict[str, Any] = {}
    for sentence in body:
        for placed in sentence.places:
            item = placed.item
            if usable(item):
                counts[item.name] += 1
                first_seen.setdefault(item.name, item)
    if not counts:
        return None, ""
    name, count = counts.most_common(1)[0]
    if count < 2:
        return None, ""
    return first_seen[name], f"place named most often '{first_seen[name].text}'"
