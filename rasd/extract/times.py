"""When an event happened: the time expression of its clause, else of its sentence.

Future expressions ("next week", غدا) are not the date of a past event; durations and ranges
("منذ ثلاثة أيام", "since April") mark history rather than a date. A mention with no time of
its own takes the date of the event it merges into, or the document's news date (see
`rasd.extract.events`).
"""

from __future__ import annotations

from typing import Any

from rasd.extract.arguments import in_clause_else_sentence
from rasd.extract.context import DocumentContext
from rasd.extract.mention import EventMention

_DATE_KINDS = frozenset({"absolute", "relative", "weekday", "part_of_day", "range"})


def usable(time: Any) -> bool:
    return (
        getattr(time, "start_date", None) is not None
        and not getattr(time, "future", False)
        and getattr(time, "kind", "absolute") in _DATE_KINDS
        and getattr(time, "precision", None) is not None
    )


def _distance(time_first: int, time_last: int, first: int, last: int, head: str = "verb") -> int:
    """Words from a trigger to a time; a time after its trigger ("اندلعت الجمعة", "clashes on
    Friday") is the usual order, a participant noun (متظاهرين) is a weak anchor."""
    if time_first > last:
        distance = time_first - last
    else:
        distance = first - time_last + 2
    return distance + (3 if head == "actor" else 0)


def choose_time(m: EventMention, context: DocumentContext) -> None:
    """The nearest usable time of the clause that is not nearer to another trigger."""
    s = m.sentence
    candidates = [t for t in s.times if usable(t.item)]
    if not candidates:
        return
    own, rule = in_clause_else_sentence(s, m.first, m.last, candidates, "time")
    mine = []
    for t in own:
        distance = _distance(t.first, t.last, m.first, m.last, m.trigger.head)
        nearer = any(
            other.item is not m.trigger
            and not (other.first <= m.last and other.last >= m.first)
            and _distance(t.first, t.last, other.first, other.last, other.item.head) < distance
            for other in s.triggers
        )
        if not nearer:
            mine.append((distance, t))
    if not mine:
        return
    best = min(mine, key=lambda pair: pair[0])[1]
    m.time = best.item
    m.time_rule = rule
