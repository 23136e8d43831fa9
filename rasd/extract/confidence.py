"""How much to believe an event: a transparent sum of what supports it.

A strong trigger, several mentions, a named doer, a stated place and date and a reported
count raise it; a weak trigger, reported speech ("according to"), a default actor, a
quotation and a failed attempt lower it a little. Kept simple on purpose: each term is a
reason a person can check against the evidence.
"""

from __future__ import annotations

from typing import Any


def confidence(cluster: Any, actor1: Any) -> float:
    first = cluster.mentions[0]
    score = 0.55 if first.trigger.strength == "strong" else 0.4
    score += min(0.15, 0.05 * (len(cluster.mentions) - 1))
    if actor1 is not None and getattr(actor1, "sector_known", True):
        score += 0.08
    if cluster.place is not None:
        score += 0.07
    if cluster.time is not None:
        score += 0.05
    if cluster.fatalities is not None or cluster.injured is not None:
        score += 0.05
    if any(m.support for m in cluster.mentions):
        score += 0.05
    if all(m.attributed for m in cluster.mentions):
        score -= 0.05
    if all(m.in_quote for m in cluster.mentions):
        score -= 0.05
    return round(max(0.05, min(0.99, score)), 2)
