"""Who a description or an anaphor points back to (الوزارة، "the group", a second "prime minister").

Actor phrases are first assembled as `Draft`s, which keep what resolution needs (the head
entry, the classes an anaphor may match); `resolve` fills a draft from the most recent
compatible earlier draft, looking back a bounded number of mentions so that resolution stays
linear in the length of the text. `resolve_reference` offers the same for finished mentions
(a pronoun in a quote, "he said", points to the last person or role).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rasd.annotate.actors import ActorMention

_SPEAKER_LOOKBACK = 6  # mentions back that a bare "spokesman" may belong to
_STATE_CLASSES = frozenset(
    {"government", "army", "police", "security", "parliament", "presidency", "cabinet", "court", "ministry"}
)


@dataclass(slots=True)
class Draft:
    """An actor mention with what resolution needs (classes, head), before it becomes an ActorMention."""

    start: int
    end: int
    name: str
    sector: str | None
    country: str | None
    kind: str
    person: str | None
    reason: str
    head: str  # canonical name of the head entry ("prime minister", "security forces")
    classes: tuple[str, ...]
    generic: bool  # no country, person or body from the text itself
    self_anaphor: bool = False  # الوزارة، "the group": the whole mention points back
    body_anaphor: bool = False  # المتحدث باسم الوزارة: the body it belongs to points back
    anaphor_classes: tuple[str, ...] = ()
    needs_body: bool = False  # a role without a sector of its own and without a body
    may_look_back: bool = False  # a spokesperson whose body may be the last one named
    named: bool = False  # a named organisation (Hezbollah), not a description (militants)
    ambiguous: bool = False  # rests on a word with a common non-political sense
    dropped: bool = False


def _overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return any(c in b for c in a)


_LOOKBACK = 30  # mentions back that an anaphor or a repeated description may point to


def _recent(previous: Sequence[Draft]) -> Sequence[Draft]:
    """The most recent mentions first, boundedly many (keeps resolution linear in the text)."""
    return previous[: -_LOOKBACK - 1 : -1]


def _antecedent(classes: tuple[str, ...], previous: Sequence[Draft]) -> Draft | None:
    """The most recent compatible named organisation or body with a country ("militants" is
    too vague to be what "the group" means)."""
    for earlier in _recent(previous):
        if earlier.kind in ("organisation", "government", "collective") and _overlaps(
            classes, earlier.classes
        ):
            if earlier.named or earlier.kind == "government" or earlier.country is not None:
                return earlier
    return None


def resolve(mention: Draft, previous: Sequence[Draft]) -> None:
    """Fill an anaphor or a repeated description from the most recent compatible mention."""
    if mention.self_anaphor or mention.body_anaphor:
        earlier = _antecedent(mention.anaphor_classes, previous)
        if earlier is None:
            if mention.sector is None:
                mention.dropped = True
            return
        if mention.self_anaphor:
            mention.name, mention.sector, mention.country = earlier.name, earlier.sector, earlier.country
            mention.kind, mention.classes = earlier.kind, earlier.classes
        else:  # المتحدث باسم الوزارة -> the State Department's spokesperson
            if mention.person is None or mention.name == mention.person:
                mention.name = f"{earlier.name} {mention.head}" if mention.person is None else mention.name
            if mention.sector != "CVL":
                mention.sector = earlier.sector or mention.sector
            mention.country = mention.country or earlier.country
        mention.reason += f"+anaphor->{earlier.name}"
        return
    if mention.needs_body:
        if not mention.may_look_back:  # "members", "head", "director" of nobody named
            mention.dropped = True
            return
        for earlier in _recent(previous)[:_SPEAKER_LOOKBACK]:
            if earlier.kind not in ("organisation", "government") or "media" in earlier.classes:
                continue  # a news agency is the source of a report, not the speaker's employer
            mention.name = f"{earlier.name} {mention.head}"
            mention.sector, mention.country = earlier.sector, earlier.country
            mention.reason += f"+body->{earlier.name}"
            return
        mention.dropped = True
        return
    if not mention.generic:
        return
    state = bool(_STATE_CLASSES.intersection(mention.classes))
    for earlier in _recent(previous):
        if earlier.country is None:
            if earlier.generic and earlier.head == mention.head:
                return  # the same description found nothing further back: neither will this one
            continue
        if earlier.head == mention.head and mention.kind == "role":
            mention.country = earlier.country
            if earlier.person:
                mention.person, mention.name, mention.kind = earlier.person, earlier.name, "person"
                mention.sector = earlier.sector or mention.sector
            elif earlier.name.endswith(mention.head):
                mention.name = earlier.name
                mention.sector = earlier.sector or mention.sector
            mention.reason += f"+coref->{earlier.name}"
            return
        if (
            state
            and mention.kind != "role"
            and earlier.kind not in ("person", "role", "government")
            and (earlier.head == mention.head or _overlaps(mention.classes, earlier.classes))
        ):
            mention.country = earlier.country
            if earlier.head == mention.head:
                mention.name = earlier.name
            mention.reason += f"+coref->{earlier.name}"
            return


def resolve_reference(
    mention: ActorMention | str, previous_mentions: Sequence[ActorMention]
) -> ActorMention | None:
    """The most recent earlier mention that `mention` can refer to.

    `mention` is an ActorMention (a description such as "the ministry") or a word class:
    "person" for a pronoun such as he/she/هو (the last person or role), or one of the classes
    of the lexicons ("ministry", "group", "government", "army", ...). Returns None when no
    compatible mention precedes it.
    """
    if isinstance(mention, str):
        wanted, before = mention, None
    else:
        wanted, before = _class_of(mention), mention.start
    for earlier in reversed(previous_mentions):
        if before is not None and earlier.start >= before:
            continue
        if wanted == "person":
            if earlier.kind in ("person", "role"):
                return earlier
            continue
        if wanted in _classes_of(earlier):
            return earlier
    return None


def _class_of(mention: ActorMention) -> str:
    if mention.kind in ("person", "role"):
        return "person"
    classes = _classes_of(mention)
    return classes[0] if classes else mention.kind


def _classes_of(mention: ActorMention) -> tuple[str, ...]:
    """Classes recorded in the mention's reason (the lexicon entries that produced it)."""
    marker = mention.reason.rsplit("[", 1)
    if len(marker) == 2 and marker[1].endswith("]"):
        return tuple(c for c in marker[1][:-1].split("|") if c)
    return ()
