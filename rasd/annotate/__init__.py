"""Annotate: spans of places, times, numbers, actors and event triggers in a prepared document.

Each annotator is a module with one `find_*(prepared)` function that returns mentions
(character spans of the original text plus what they resolve to). Their heavy resources
(gazetteer index, lexicon automata) are built once per process on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rasd.annotate.actors import ActorMention
    from rasd.annotate.numbers import NumberMention
    from rasd.annotate.places import PlaceMention
    from rasd.annotate.times import TimeMention
    from rasd.annotate.triggers import TriggerMention
    from rasd.text import PreparedDocument


@dataclass(slots=True)
class Annotations:
    """Everything the annotators found in one document, each list in text order."""

    places: "list[PlaceMention]" = field(default_factory=list)
    times: "list[TimeMention]" = field(default_factory=list)
    numbers: "list[NumberMention]" = field(default_factory=list)
    actors: "list[ActorMention]" = field(default_factory=list)
    triggers: "list[TriggerMention]" = field(default_factory=list)


def annotate(prepared: "PreparedDocument", *, for_events: bool = False) -> Annotations:
    """Run every annotator over the document's body, post and quote segments.

    `for_events`: the annotations only feed event extraction, where places, times and
    numbers are the arguments of triggers; a document without a trigger skips them (its
    quotes need only the actors)."""
    from rasd.annotate.actors import find_actors
    from rasd.annotate.numbers import find_numbers
    from rasd.annotate.places import find_places
    from rasd.annotate.times import find_times
    from rasd.annotate.triggers import find_triggers

    triggers = find_triggers(prepared)
    actors = find_actors(prepared)
    if for_events and not triggers:
        return Annotations(actors=actors)
    return Annotations(
        places=find_places(prepared),
        times=find_times(prepared),
        numbers=find_numbers(prepared),
        actors=actors,
        triggers=triggers,
    )
