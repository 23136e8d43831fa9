"""After merging: events that are parts of one another become one.

- A clash told without named sides next to a riot at the same place and time is that riot.
- A raid (اقتحام) or a shooting by an armed force next to a battle at the same place and time
  is part of the battle.
- Shelling or air strikes between the two sides of a battle told in the document are battle
  events themselves (FIGHT with the same mode).
"""

from __future__ import annotations

from rasd.extract.arguments import ARMED
from rasd.extract.merge import Cluster, _better_count, same_place, same_time

_DIRECT_MODES = frozenset({None, "firearms", "other", "beat", "clash"})


def _together(a: Cluster, b: Cluster) -> bool:
    return bool(a.background) == bool(b.background) and same_time(a.time, b.time) and same_place(a.place, b.place)


def _known(role) -> bool:
    return role is not None and role.sector_known


def _join(into: Cluster, part: Cluster) -> None:
    into.mentions.extend(part.mentions)
    into.sentences.update(part.sentences)
    into.mentions.sort(key=lambda m: m.trigger.start)
    into.fatalities = _earlier_count(into.fatalities, part.fatalities)
    into.injured = _earlier_count(into.injured, part.injured)
    if into.place is None:
        into.place, into.place_rule = part.place, part.place_rule
    if into.time is None:
        into.time, into.time_rule = part.time, part.time_rule
    into.intervention = into.intervention or part.intervention


def _earlier_count(a, b):
    """Of two exact figures for one event, the one stated first (the lead's toll)."""
    if a is None or b is None or a.exact != b.exact:
        return _better_count(a, b)
    first_a = min((s for s, _ in a.spans), default=0)
    first_b = min((s for s, _ in b.spans), default=0)
    return a if first_a <= first_b else b


def _sides(cluster: Cluster) -> set[tuple[str | None, str | None]]:
    return {(r.actor.sector, r.actor.country) for r in (cluster.actor1, cluster.actor2) if _known(r)}


def fold(clusters: list[Cluster]) -> list[Cluster]:
    riots = [c for c in clusters if c.type == "PROTEST" and c.mode == "riot"]
    fights = [c for c in clusters if c.type == "FIGHT" and c.mode in ("clash", None)]
    gone: set[int] = set()
    for cluster in clusters:
        if cluster.type == "FIGHT" and not (_known(cluster.actor1) or _known(cluster.actor2)):
            riot = next((r for r in riots if _together(r, cluster)), None)
            if riot is not None:
                _join(riot, cluster)
                gone.add(id(cluster))
                continue
        if cluster.type == "COERCE" and cluster.mode == "raid":
            riot = next((r for r in riots if _together(r, cluster)), None)
            if riot is not None:  # the storming is part of the riot
                _join(riot, cluster)
                gone.add(id(cluster))
                continue
        if cluster.type in ("COERCE", "ASSAULT") and cluster not in fights:
            raid = cluster.type == "COERCE" and cluster.mode == "raid"
            shooting = (
                cluster.type == "ASSAULT" and cluster.mode in _DIRECT_MODES
                and _known(cluster.actor1) and cluster.actor1.actor.sector in ARMED
            )
            if raid or shooting:
                fight = next((f for f in fights if _together(f, cluster)), None)
                if fight is not None:
                    _join(fight, cluster)
                    gone.add(id(cluster))
                    continue
        if cluster.type == "ASSAULT" and _known(cluster.actor1) and _known(cluster.actor2):
            pair = {(cluster.actor1.actor.sector, cluster.actor1.actor.country),
                    (cluster.actor2.actor.sector, cluster.actor2.actor.country)}
            if all(s in ARMED for s, _ in pair) and any(pair <= _sides(f) for f in fights):
                cluster.type = "FIGHT"
                cluster.mode_rule = (cluster.mode_rule + "; " if cluster.mode_rule else "") + "between the sides of a battle"
    return [c for c in clusters if id(c) not in gone]
