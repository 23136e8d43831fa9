"""An event mention: one trigger with the arguments found around it, before merging."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasd.event import Actor


@dataclass(slots=True)
class Role:
    """An actor filling actor1 or actor2, with the rule and spans that chose it."""

    actor: Actor
    rule: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    sector_known: bool = True  # False for a default ("unidentified armed group")
    mention: Any = None  # the ActorMention, when one was used


@dataclass(slots=True)
class Count:
    value: int
    rule: str
    spans: list[tuple[int, int]]
    exact: bool = True


@dataclass(slots=True)
class EventMention:
    trigger: Any  # TriggerMention
    sentence: Any  # context.Sentence
    type: str
    mode: str | None
    first: int  # word index of the trigger's first word
    last: int
    mode_rule: str = ""
    mode_priority: int = 0
    actor1: Role | None = None
    actor2: Role | None = None
    places: list[Any] = field(default_factory=list)  # PlaceMention (several: one event each)
    place_rule: str = ""
    place_inherited: bool = False
    time: Any = None  # TimeMention
    time_rule: str = ""
    fatalities: Count | None = None
    injured: Count | None = None
    weapon: str | None = None
    weapon_span: tuple[int, int] | None = None
    polarity: str = "asserted"  # asserted | negated | hypothetical | future
    failed: bool = False
    claimed: bool = False
    attributed: bool = False
    background: str | None = None  # the cue or rule that marks it as history
    anaphoric: bool = False  # a bare reference ("the attack") with no argument of its own
    comparative: bool = False  # "the worst explosion": names an event, reports none
    intervention: bool = False  # force met a protest
    refers_to_event: bool = False  # a statement whose object is an event ("condemned the attack")
    object_span: tuple[int, int] | None = None
    support: set[str] = field(default_factory=set)
    quote: int | None = None
    in_quote: bool = False
    speaker: Role | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.trigger.start

    @property
    def end(self) -> int:
        return self.trigger.end

    @property
    def violent(self) -> bool:
        return self.type in ("ASSAULT", "FIGHT")

    def strength_rank(self) -> int:
        return 0 if self.trigger.strength == "strong" else 1

    def has_arguments(self) -> bool:
        return bool(self.places or self.actor1 or self.actor2 or self.time or self.fatalities or self.injured)
