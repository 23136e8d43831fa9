"""Incidents as connected components of pairwise "same incident" links.

Components do not depend on arrival order, and an incident's id is derived from its
members (the smallest event id), so incremental fusion and a rebuild from scratch give the
same result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rasd.fuse.rules import FusionItem, same_incident

if TYPE_CHECKING:
    from rasd.event import DocumentResult

WINDOW = dt.timedelta(days=1)


class UnionFind:
    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        parent = self._parent.setdefault(key, key)
        if parent != key:
            parent = self._parent[key] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self._parent[high] = low

    def groups(self, keys: Iterable[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            out[self.find(key)].append(key)
        return out


def incident_id(members: Iterable[str]) -> str:
    """Deterministic id from the smallest member event id."""
    return "inc-" + hashlib.sha1(min(members).encode()).hexdigest()[:16]


def candidate_pairs(items: Sequence[FusionItem]) -> Iterable[tuple[FusionItem, FusionItem]]:
    """Pairs within the same block whose dates are within the window (sort-and-sweep)."""
    blocks: dict[tuple[str, str], list[FusionItem]] = defaultdict(list)
    for item in items:
        if item.fusable:
            blocks[item.block()].append(item)
    for block in blocks.values():
        block.sort(key=lambda i: (i.date_start, i.key))
        for i, a in enumerate(block):
            a_end = (a.date_end or a.date_start) + WINDOW  # type: ignore[operator]
            for b in block[i + 1 :]:
                if b.date_start > a_end:  # type: ignore[operator]
                    break
                yield a, b


def cluster(items: Sequence[FusionItem]) -> dict[str, str]:
    """Incident id for every fusable item (singletons included), keyed by event id."""
    links = UnionFind()
    for a, b in candidate_pairs(items):
        if same_incident(a, b):
            links.union(a.key, b.key)
    assignment: dict[str, str] = {}
    for members in links.groups(i.key for i in items if i.fusable).values():
        incident = incident_id(members)
        for key in members:
            assignment[key] = incident
    return assignment


def fuse_results(results: Sequence["DocumentResult"]) -> dict[tuple[str, int], str]:
    """Incidents over in-memory extraction results, keyed by (result id, event index).

    The same rule and components as the database fusion, for `rasd eval` and tests.
    """
    from rasd.fuse.rules import FusionItem

    keys: dict[str, tuple[str, int]] = {}
    items = []
    for result in results:
        document = result.document_id or result.id
        for index, event in enumerate(result.events):
            key = f"{document}-{index}"
            keys[key] = (result.id, index)
            items.append(FusionItem.from_event(key, document, event))
    return {keys[key]: incident for key, incident in cluster(items).items()}
