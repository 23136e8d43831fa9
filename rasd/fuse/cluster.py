"""Incidents from a set of reports (see rasd.fuse.rules for when reports are one incident).

Day-dated reports form incidents as connected components of pairwise links; a report
without a day joins the one compatible incident (the most similar one when several are,
if it stands out), and the reports left over form incidents among themselves when they are
compatible and alike. Every decision depends only on the set of reports, and an incident's
id is derived from its day-dated members (else from all), so fusing incrementally and
rebuilding from scratch give the same incidents.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from rasd.fuse.rules import FusionItem, affinity, compatible, same_incident

K = TypeVar("K", int, str)

if TYPE_CHECKING:
    from rasd.event import DocumentResult
    from rasd.fuse.similarity import Similarity

ATTACH_SIMILARITY = 0.45  # a dayless report joins the most similar incident if at least this
ATTACH_MARGIN = 0.10  # ... and this much more similar than the runner-up
LOOSE_SIMILARITY = 0.60  # two dayless reports form an incident only if this alike
SAME_PLACE = 4  # affinity of two reports that name the same place (rules.affinity)


class UnionFind(Generic[K]):
    """Disjoint sets of keys (event ids, or indices); the smaller key of two roots leads."""

    def __init__(self) -> None:
        self._parent: dict[K, K] = {}

    def find(self, key: K) -> K:
        parent = self._parent.setdefault(key, key)
        if parent != key:
            parent = self._parent[key] = self.find(parent)
        return parent

    def union(self, a: K, b: K) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self._parent[high] = low

    def groups(self, keys: Iterable[K]) -> dict[K, list[K]]:
        out: dict[K, list[K]] = defaultdict(list)
        for key in keys:
            out[self.find(key)].append(key)
        return out


def incident_id(members: Iterable[str]) -> str:
    """Deterministic id from the smallest member event id."""
    return "inc-" + hashlib.sha1(min(members).encode()).hexdigest()[:16]


def _day_components(items: Sequence[FusionItem]) -> list[list[FusionItem]]:
    """Connected components of same-day links, per block and day."""
    by_day: dict[tuple, list[FusionItem]] = defaultdict(list)
    for item in items:
        by_day[(*item.block(), item.date_start)].append(item)
    components: list[list[FusionItem]] = []
    for group in by_day.values():
        components.extend(_linked(group))
    return components


def _kinds(items: Iterable[FusionItem]) -> list[list[FusionItem]]:
    """Reports grouped by everything the rules read (FusionItem.facts), in key order.

    Reports of one kind behave alike towards every other report, except that two reports
    of one document never link; so syndicated copies of a report are compared once, not
    once per pair of copies.
    """
    kinds: dict[tuple, list[FusionItem]] = defaultdict(list)
    for item in sorted(items, key=lambda i: i.key):
        kinds[item.facts].append(item)
    return list(kinds.values())


def _kinds_link(a: list[FusionItem], b: list[FusionItem]) -> bool:
    """Does some report of kind `a` link to some report of kind `b` (another document)?"""
    first = a[0]
    other = next((m for m in b if m.document_id != first.document_id), None)
    if other is None:  # all of b is first's document: try a report of another one
        other = b[0]
        first = next((m for m in a if m.document_id != other.document_id), None)
        if first is None:
            return False
    return same_incident(first, other)


def _linked(group: list[FusionItem]) -> list[list[FusionItem]]:
    """Connected components of the same-incident links within one block and day."""
    kinds = _kinds(group)
    links: UnionFind[int] = UnionFind()
    for i, a in enumerate(kinds):
        links.find(i)
        for j in range(i + 1, len(kinds)):
            if links.find(i) != links.find(j) and _kinds_link(a, kinds[j]):
                links.union(i, j)
    components: list[list[FusionItem]] = []
    for joined in links.groups(range(len(kinds))).values():
        members = [m for k in joined for m in kinds[k]]
        if len(joined) == 1 and not _kinds_link(members, members):
            components.extend([m] for m in members)  # e.g. one document's reports never link
        else:
            components.append(sorted(members, key=lambda m: m.key))
    return sorted(components, key=lambda c: c[0].key)


def _compatible_with(item: FusionItem, kinds: list[list[FusionItem]]) -> bool:
    """Is `item` compatible with some report of these kinds (of another document)?"""
    for kind in kinds:
        other = next((m for m in kind if m.document_id != item.document_id), None)
        if other is not None and compatible(item, other):
            return True
    return False


class _Chooser:
    """Picks the incident a dayless report belongs to, loading embeddings only if needed."""

    def __init__(self, similarity: "Similarity | None") -> None:
        self._similarity = similarity

    def _sim(self) -> "Similarity":
        if self._similarity is None:
            from rasd.fuse.similarity import Similarity

            self._similarity = Similarity()
        return self._similarity

    def best(self, item: FusionItem, candidates: list[list[FusionItem]]) -> int | None:
        """The candidate that agrees most specifically (same place, same target); among
        equals, the one whose evidence is clearly the most similar; else None."""
        if not candidates:
            return None
        strength = [max(affinity(item, m) for m in c) for c in candidates]
        top_strength = max(strength)
        finalists = [i for i, s in enumerate(strength) if s == top_strength]
        if len(finalists) == 1:
            return finalists[0]
        if not item.text:
            return None
        self.prefetch([item.text, *(m.text for i in finalists for m in candidates[i])])
        scores = {i: max(self._sim().scores(item.text, [m.text for m in candidates[i]])) for i in finalists}
        ranked = sorted(finalists, key=lambda i: (-scores[i], i))
        top, runner = scores[ranked[0]], scores[ranked[1]]
        return ranked[0] if top >= ATTACH_SIMILARITY and top - runner >= ATTACH_MARGIN else None

    def prefetch(self, texts: list[str]) -> None:
        """Embed these texts in one batch (much cheaper than one at a time)."""
        wanted = [t for t in texts if t]
        if wanted:
            self._sim().scores(wanted[0], wanted[1:])

    def alike(self, a: FusionItem, b: FusionItem) -> bool:
        return bool(a.text and b.text) and self._sim().scores(a.text, [b.text])[0] >= LOOSE_SIMILARITY


def cluster(items: Sequence[FusionItem], similarity: "Similarity | None" = None) -> dict[str, str]:
    """Incident id for every fusable item (singletons included), keyed by event id."""
    fusable = sorted((i for i in items if i.fusable), key=lambda i: i.key)
    dated = [i for i in fusable if i.on_a_day]
    dayless = [i for i in fusable if not i.on_a_day]
    components = _day_components(dated)
    by_block: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, component in enumerate(components):
        by_block[component[0].block()].append(index)
    component_kinds = [_kinds(c) for c in components]
    chooser = _Chooser(similarity)
    members: list[list[FusionItem]] = [list(c) for c in components]
    left: list[FusionItem] = []
    for item in dayless:
        options = [i for i in by_block[item.block()] if _compatible_with(item, component_kinds[i])]
        chosen = chooser.best(item, [components[i] for i in options])
        if chosen is None:
            left.append(item)
        else:
            members[options[chosen]].append(item)
    loose: UnionFind[str] = UnionFind()
    pairs = [(a, b) for i, a in enumerate(left) for b in left[i + 1 :]
             if compatible(a, b) and affinity(a, b) >= SAME_PLACE]
    chooser.prefetch([t for pair in pairs for t in (pair[0].text, pair[1].text)])
    for a, b in pairs:
        if loose.find(a.key) != loose.find(b.key) and chooser.alike(a, b):
            loose.union(a.key, b.key)
    for item in left:
        loose.find(item.key)
    assignment: dict[str, str] = {}
    for component, group in zip(components, members, strict=True):
        incident = incident_id(m.key for m in component)  # named by its day-dated core
        assignment.update({m.key: incident for m in group})
    for keys in loose.groups(i.key for i in left).values():
        incident = incident_id(keys)
        assignment.update({k: incident for k in keys})
    return assignment


def fuse_results(results: Sequence["DocumentResult"], similarity: "Similarity | None" = None) -> dict[tuple[str, int], str]:
    """Incidents over in-memory extraction results, keyed by (result id, event index).

    The same rule and components as the database fusion, for `rasd eval` and tests.
    """
    keys: dict[str, tuple[str, int]] = {}
    items = []
    for result in results:
        document = result.document_id or result.id
        for index, event in enumerate(result.events):
            key = f"{document}-{index}"
            keys[key] = (result.id, index)
            items.append(FusionItem.from_event(key, document, event))
    return {keys[key]: incident for key, incident in cluster(items, similarity).items()}
