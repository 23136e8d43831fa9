"""Merging mentions into events: several sentences about one attack are one event.

A mention joins the latest earlier event of its type unless something it states contradicts
that event: another place that neither contains nor lies in the event's place, another day,
another speaker of a statement. "The attack" with nothing of its own always joins. Places
joined by و / "and" make one event per place (split before merging). A mention that a weak
trigger produced without support never starts an event, but may add to one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from rasd.extract.mention import Count, EventMention, Role
from rasd.extract.places import rank, related

_NEAR_KM = 25.0


@dataclass(slots=True)
class Cluster:
    """An event being assembled from its mentions."""

    type: str
    mentions: list[EventMention] = field(default_factory=list)
    place: Any = None
    place_rule: str = ""
    place_mention: EventMention | None = None
    time: Any = None
    time_rule: str = ""
    actor1: Role | None = None
    actor2: Role | None = None
    mode: str | None = None
    mode_priority: int = -1
    mode_rule: str = ""
    weapon: str | None = None
    weapon_span: tuple[int, int] | None = None
    fatalities: Count | None = None
    injured: Count | None = None
    intervention: bool = False
    background: str | None = None
    claimed: bool = False
    sentences: set[int] = field(default_factory=set)  # indices of the sentences it is told in

    @property
    def first(self) -> EventMention:
        return self.mentions[0]


def _day_range(time: Any) -> tuple[dt.date, dt.date] | None:
    if time is None or getattr(time, "start_date", None) is None:
        return None
    start = time.start_date
    end = getattr(time, "end_date", None) or start
    return start, end


def same_time(a: Any, b: Any) -> bool:
    """Overlapping date ranges (a day inside a month is the same time)."""
    ra, rb = _day_range(a), _day_range(b)
    if ra is None or rb is None:
        return True
    return ra[0] <= rb[1] and rb[0] <= ra[1]


def _distance_km(a: Any, b: Any) -> float | None:
    import math

    if None in (getattr(a, "lat", None), getattr(a, "lon", None), getattr(b, "lat", None), getattr(b, "lon", None)):
        return None
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlmb = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def same_place(a: Any, b: Any) -> bool:
    """Unknown, the same, one inside the other, or a site within 25 km of the other place
    (two towns close together are still two places)."""
    if a is None or b is None:
        return True
    if related(a, b):
        return True
    if rank(a) > 0 and rank(b) > 0:
        return False
    distance = _distance_km(a, b)
    return distance is not None and distance <= _NEAR_KM


def _same_actor(a: Role | None, b: Role | None) -> bool:
    if a is None or b is None or not a.sector_known or not b.sector_known:
        return True
    if a.actor.name and a.actor.name == b.actor.name:
        return True
    if a.actor.sector != b.actor.sector:
        return False
    return a.actor.country == b.actor.country or None in (a.actor.country, b.actor.country)


# Coercion of different kinds (an arrest, a curfew, a ban) are different events; an attack told
# as a drone strike and as an explosion is one.
_MODES_DISTINCT = frozenset({"COERCE"})


_STATEMENTS = frozenset(
    {"DISAPPROVE", "DEMAND", "THREATEN", "REJECT", "SUPPORT", "AGREE", "AID", "CONSULT", "SANCTION",
     "INVESTIGATE", "CONCEDE", "COOPERATE"}
)


def compatible(cluster: Cluster, m: EventMention, place: Any) -> bool:
    if cluster.type != m.type:
        return False
    if not same_time(cluster.time, m.time):
        return False
    if not same_place(cluster.place, place):
        return False
    if m.type in _STATEMENTS and not _same_actor(cluster.actor1, m.actor1):
        return False  # two speakers, two statements
    if m.type in _MODES_DISTINCT and cluster.mode and m.mode and cluster.mode != m.mode:
        if {cluster.mode, m.mode} != {"raid", "arrest"}:  # a raid with arrests is one operation
            return False
    same_sentence = m.sentence.index in cluster.sentences
    if bool(m.background) != bool(cluster.background) and not m.anaphoric and not same_sentence:
        # history told next to the news: only a bare reference joins across
        if m.time is not None or m.places:
            return False
    return True


def _better_count(old: Count | None, new: Count | None) -> Count | None:
    """The first exact figure stands (the lead's toll); an exact one replaces a vague one."""
    if new is None:
        return old
    if old is None:
        return new
    if new.exact and not old.exact:
        return new
    return old


def absorb(cluster: Cluster, m: EventMention, place: Any) -> None:
    cluster.mentions.append(m)
    cluster.sentences.add(m.sentence.index)
    if place is not None and (cluster.place is None or rank(place) < rank(cluster.place)):
        cluster.place = place
        cluster.place_rule = m.place_rule
        cluster.place_mention = m
    if cluster.time is None and m.time is not None:
        cluster.time, cluster.time_rule = m.time, m.time_rule
        cluster.background = m.background  # the first dated mention says when it happened
    elif m.time is not None and _more_precise(m.time, cluster.time):
        cluster.time, cluster.time_rule = m.time, m.time_rule
    if m.claimed and m.actor1 is not None:
        cluster.actor1, cluster.claimed = m.actor1, True
    elif cluster.actor1 is None or (not cluster.actor1.sector_known and m.actor1 is not None):
        cluster.actor1 = m.actor1 or cluster.actor1
    if cluster.actor2 is None and m.actor2 is not None:
        cluster.actor2 = m.actor2
    if m.mode and m.mode_priority > cluster.mode_priority:
        cluster.mode, cluster.mode_priority, cluster.mode_rule = m.mode, m.mode_priority, m.mode_rule
    if m.weapon and (cluster.weapon is None or (m.mode_priority >= cluster.mode_priority)):
        cluster.weapon, cluster.weapon_span = m.weapon, m.weapon_span or cluster.weapon_span
    cluster.fatalities = _better_count(cluster.fatalities, m.fatalities)
    cluster.injured = _better_count(cluster.injured, m.injured)
    cluster.intervention = cluster.intervention or m.intervention
    if len(cluster.mentions) == 1 and cluster.time is None:
        cluster.background = m.background


def _more_precise(new: Any, old: Any) -> bool:
    order = {"day": 0, "week": 1, "month": 2, "year": 3, None: 4}
    return order.get(getattr(new, "precision", None), 4) < order.get(getattr(old, "precision", None), 4)


def split_places(mentions: list[EventMention]) -> list[tuple[EventMention, Any]]:
    """(mention, place) pairs: a mention with coordinated places is one per place."""
    pairs: list[tuple[EventMention, Any]] = []
    for m in mentions:
        if len(m.places) <= 1:
            pairs.append((m, m.places[0] if m.places else None))
            continue
        for i, place in enumerate(m.places):
            copy = m if i == 0 else replace(m, fatalities=None, injured=None)
            pairs.append((copy, place))
    return pairs


def merge(mentions: list[EventMention], can_start) -> list[Cluster]:
    """Clusters in order of their first mention. `can_start(m)`: may m begin a new event?

    A mention that may not begin an event (a weak trigger without support) joins a compatible
    event told in its own sentence, else the nearest one before it; it is held back until the
    whole document is read, so that "their pagers exploded ... its members were targeted"
    joins the explosion to the attack told later in the sentence.
    """
    clusters: list[Cluster] = []
    deferred: list[tuple[EventMention, Any]] = []
    for m, place in split_places(mentions):
        target = None
        for cluster in reversed(clusters):
            if compatible(cluster, m, place):
                target = cluster
                break
        if target is None:
            if not can_start(m):
                deferred.append((m, place))
                continue
            target = Cluster(type=m.type)
            clusters.append(target)
        absorb(target, m, place)
    for m, place in deferred:
        same = [c for c in clusters if m.sentence.index in c.sentences and compatible(c, m, place)]
        before = [c for c in clusters if compatible(c, m, place)
                  and min(x.sentence.index for x in c.mentions) <= m.sentence.index]
        target = same[0] if same else (before[-1] if before else None)
        if target is not None:
            absorb(target, m, place)
            target.mentions.sort(key=lambda x: x.trigger.start)
    return clusters
