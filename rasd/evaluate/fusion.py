"""How well incidents group the reports of one real-world event (issue 5, item 4).

Two gold core events in different documents belong to the same incident when they share
type, date (day) and place (a shared name or alternative name after normalisation, or within
25 km). Over the predicted events paired with such gold events, each two from different
documents are one decision: the system says "same incident" when `incident_of` gives both the
same incident id. Pairwise precision, recall and F1 of those decisions is the fusion score;
beside it, the number of predicted incidents that merge events of two different gold days
(the target is none).

What is in the universe: predicted events paired (by the event scorer's pairing) with a gold
event that is core, not background, and dated to the day (precision "day"; the gold date
counts even where `date_knowable` is false, since the annotator fixed it from world
knowledge). Coarser gold dates cannot say "same day", so such events are left out.

The hook: `evaluate(..., incident_of=...)`, `fusion_score(gold, predictions, incident_of)`, or
`rasd eval --incidents FILE`. `incident_of` is a mapping or a function from (document id,
index of the event in that document's predicted `events` list) to an incident id or None.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from rasd.evaluate.match import pair, same_place
from rasd.evaluate.records import ScoredDocument, ScoredEvent
from rasd.evaluate.score import PRF, IncidentOf
from rasd.taxonomy import is_core


@dataclass(slots=True)
class FusionScore:
    """Pairwise "same incident" precision/recall/F1 and the day-merging incidents."""

    pairs: PRF
    events: int  # predicted events in the universe (see the module docstring)
    incidents: int  # distinct incident ids among them
    unfused: int  # of them, events with no incident
    day_merges: list[str] = field(default_factory=list)  # incidents spanning two gold days

    @property
    def precision(self) -> float:
        return self.pairs.precision

    @property
    def recall(self) -> float:
        return self.pairs.recall

    @property
    def f1(self) -> float:
        return self.pairs.f1

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.pairs.to_dict(),
            "events": self.events,
            "incidents": self.incidents,
            "unfused": self.unfused,
            "day_merging_incidents": len(self.day_merges),
            "day_merges": self.day_merges,
        }


def _fusable(gold: ScoredEvent) -> bool:
    return (
        is_core(gold.type)
        and not gold.background
        and gold.date is not None
        and gold.date.precision == "day"
    )


def _same_day(a: ScoredEvent, b: ScoredEvent) -> bool:
    assert a.date is not None and b.date is not None
    return a.date.start <= b.date.last and b.date.start <= a.date.last


def gold_same_incident(a: ScoredEvent, b: ScoredEvent) -> bool:
    """Are two gold events (from different documents) one incident? Type, day and place."""
    return a.type == b.type and _same_day(a, b) and same_place(a.place, b.place)


def _lookup(incident_of: IncidentOf) -> Any:
    if isinstance(incident_of, Mapping):
        return lambda document, index: incident_of.get((document, index))
    return incident_of


def fusion_from_pairs(
    pairs_by_document: Mapping[str, list[tuple[ScoredEvent, ScoredEvent]]],
    incident_of: IncidentOf,
) -> FusionScore:
    """The fusion score from the event scorer's (predicted, gold) pairs of each document."""
    lookup = _lookup(incident_of)
    items: list[tuple[str, ScoredEvent, str | None]] = []  # (document, gold event, incident)
    for document, pairs in pairs_by_document.items():
        for predicted, gold in pairs:
            if _fusable(gold):
                incident = lookup(document, predicted.index)
                items.append((document, gold, None if incident in (None, "") else str(incident)))
    prf = PRF()
    for (doc_a, gold_a, inc_a), (doc_b, gold_b, inc_b) in combinations(items, 2):
        if doc_a == doc_b:
            continue
        truth = gold_same_incident(gold_a, gold_b)
        said = inc_a is not None and inc_a == inc_b
        prf.tp += truth and said
        prf.fp += said and not truth
        prf.fn += truth and not said
    members: dict[str, list[ScoredEvent]] = defaultdict(list)
    for _, gold, incident in items:
        if incident is not None:
            members[incident].append(gold)
    day_merges = sorted(
        incident
        for incident, golds in members.items()
        if any(not _same_day(a, b) for a, b in combinations(golds, 2))
    )
    return FusionScore(
        pairs=prf,
        events=len(items),
        incidents=len(members),
        unfused=sum(incident is None for *_, incident in items),
        day_merges=day_merges,
    )


def fusion_score(
    gold_docs: Iterable[ScoredDocument],
    predictions: Iterable[ScoredDocument],
    incident_of: IncidentOf,
) -> FusionScore:
    """Fusion score of `predictions` (matched to `gold_docs` by id) under `incident_of`."""
    by_id = {p.id: p for p in predictions}
    pairs_by_document = {}
    for gold in gold_docs:
        predicted = by_id.get(gold.id)
        events = [e for e in predicted.events if not e.background] if predicted else []
        pairs_by_document[gold.id] = pair(events, gold.events)[0]
    return fusion_from_pairs(pairs_by_document, incident_of)


def incidents_from_predictions(predictions: Iterable[ScoredDocument]) -> dict[tuple[str, int], str] | None:
    """The incident mapping carried by the predictions themselves (an `incident` field on
    events, as a fused export writes), or None when no event carries one."""
    found = {
        (document.id, event.index): event.incident
        for document in predictions
        for event in document.events
        if event.incident is not None
    }
    return found or None


def load_incidents(path: str) -> dict[tuple[str, int], str | None]:
    """An incident mapping from JSON Lines `{"id": <document id>, "event": <index of the event
    in that document's predicted events>, "incident": <incident id or null>}`."""
    import json
    from pathlib import Path

    from rasd.evaluate.records import EvalInputError

    mapping: dict[tuple[str, int], str | None] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise EvalInputError(f"{path}: cannot read: {error}") from error
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            key = (str(record["id"]), int(record["event"]))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise EvalInputError(
                f"{path}:line {number}: want {{\"id\", \"event\", \"incident\"}} ({error})"
            ) from error
        incident = record.get("incident")
        mapping[key] = None if incident in (None, "") else str(incident)
    return mapping
