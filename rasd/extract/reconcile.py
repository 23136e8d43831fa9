"""Type decisions that need the whole sentence, as the annotation guide and ACLED make them.

- Clashes between protesters and security forces are a violent protest (PROTEST riot), not a
  battle; storming by protesters likewise.
- Security forces firing on, gassing or dispersing protesters is the protest met by force
  (PROTEST with intervention), not a separate attack or arrest; so is an unattributed shooting
  told in the same sentence as the protest it struck.
- A gunfight attack on soldiers or police is a battle (FIGHT clash), as ACLED codes it.
- A state of emergency or alert declared by the forces themselves is a mobilisation.
- Shooting down a drone or intercepting a missile is part of the attack it stopped.
"""

from __future__ import annotations

from rasd.extract.arguments import ARMED, SECURITY
from rasd.extract.mention import EventMention, Role

_DIRECT_MODES = frozenset({None, "firearms", "other", "beat"})
_STATE = frozenset({"GOV", "IGO"})


def _protest_in_sentence(m: EventMention, mentions: list[EventMention]) -> bool:
    from rasd.extract.mentions import is_supported

    return any(o is not m and o.type == "PROTEST" and o.sentence is m.sentence and is_supported(o) for o in mentions)


def _sector(role: Role | None) -> str | None:
    return role.actor.sector if role is not None else None


def _protesters_first(m: EventMention) -> None:
    """Put the civilian side (the protesters) in actor1, the forces in actor2."""
    if _sector(m.actor2) == "CVL" or (_sector(m.actor1) in SECURITY and _sector(m.actor2) not in SECURITY):
        m.actor1, m.actor2 = m.actor2, m.actor1


def _protesters_named(m: EventMention, mentions: list[EventMention]) -> None:
    """A protest's doers are the protesters its sentence names (خرج آلاف المتظاهرين، "protesters
    marched"), before any other actor the word order happened to offer."""
    if _sector(m.actor1) in ("CVL", "OPP", "PTY", "REL"):
        return
    for other in mentions:
        if other.sentence is m.sentence and other.trigger.head == "actor" and other.actor1 is not None:
            if _sector(other.actor1) in ("CVL", "OPP", "PTY", "REL"):
                if m.actor1 is not None and _sector(m.actor1) in SECURITY and m.actor2 is None:
                    m.actor2 = m.actor1
                m.actor1 = other.actor1
                return


def protesters_first(m: EventMention) -> None:
    _protesters_first(m)


def _to_protest(m: EventMention, mode: str, rule: str, intervention: bool) -> None:
    m.type, m.mode, m.mode_rule = "PROTEST", mode, rule
    m.mode_priority = 3 if mode == "riot" else 0
    m.intervention = m.intervention or intervention
    _protesters_first(m)


def reconcile(mentions: list[EventMention]) -> list[EventMention]:
    for m in mentions:
        if m.type == "PROTEST" and _sector(m.actor1) in _STATE and m.trigger.head != "actor":
            # احتجاج الحكومة / "Iran summoned the envoy to protest": a state's protest is a rebuke
            m.type, m.mode, m.mode_rule = "DISAPPROVE", None, "a protest by a state body"
        elif m.type == "PROTEST":
            _protesters_first(m)
            _protesters_named(m, mentions)
    aerial_attack = any(m.type == "ASSAULT" and m.mode in ("aerial", "shelling") for m in mentions)
    for m in mentions:  # clashes first: a storming next to a riot is part of it
        protest = "protest" in m.support or _protest_in_sentence(m, mentions)
        if m.type == "FIGHT" and m.mode in ("clash", None) and protest:
            _to_protest(m, "riot", "clash involving protesters", False)
    for m in mentions:
        protest = "protest" in m.support or _protest_in_sentence(m, mentions)
        if m.type == "ASSAULT" and m.mode in _DIRECT_MODES and protest and (
            _sector(m.actor1) in SECURITY
            or (m.trigger.strength == "weak" and (m.actor1 is None or not m.actor1.sector_known))
            or (m.mode == "firearms" and m.actor1 is None and m.actor2 is None)
        ):
            _to_protest(m, "demonstrate", "force used against protesters", True)
        elif m.type == "ASSAULT" and m.mode in ("firearms", "other") and _sector(m.actor2) in SECURITY and (
            m.actor1 is None or _sector(m.actor1) in ARMED - SECURITY
        ) and not getattr(m.actor2.mention, "person", None) and getattr(m.actor2.mention, "kind", "") != "person":
            m.type, m.mode, m.mode_rule = "FIGHT", "clash", "attack on armed forces (a battle)"
        elif m.type == "COERCE" and m.mode == "disperse":
            _to_protest(m, "demonstrate", "protesters dispersed", True)
        elif m.type == "COERCE" and m.mode == "raid" and (protest or _sector(m.actor1) == "CVL"):
            _to_protest(m, "riot", "storming by protesters", False)
        elif m.type == "COERCE" and m.trigger.needs == ("actor",) and _sector(m.actor1) in SECURITY:
            m.type, m.mode = "MOBILIZE", None
        elif m.type == "COERCE" and m.trigger.needs == ("weapon",) and aerial_attack:
            m.type, m.mode, m.mode_priority = "ASSAULT", None, 0  # the attack that was stopped
            m.actor1 = m.actor2 = None
    return [m for m in mentions if not _demand_of_protest(m, mentions)]


def _demand_of_protest(m: EventMention, mentions: list[EventMention]) -> bool:
    """المظاهرات المطالبة بالحكم المدني / "protests demanding ...": what a protest demands, told
    in the protest's own clause, is the protest's cause, not a separate demand."""
    if m.type != "DEMAND":
        return False
    if m.trigger.head == "verb" and m.actor1 is not None and _sector(m.actor1) not in ("CVL",):
        return False  # "the rights group called on the authorities": its own demand
    return any(
        o.type == "PROTEST" and o.sentence is m.sentence and o.last < m.first and o.trigger.head != "actor"
        and not m.sentence.breaks_between(o.last, m.first) and m.first - o.last <= 16
        for o in mentions
    )
