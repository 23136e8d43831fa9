"""Argument filling: who did it (actor1), to whom (actor2), with what (weapon and mode).

Word order decides most roles, and both languages are covered by a few constructions:

- Arabic verb first (VSO): استهدفت طائرة مسيرة منزل رئيس الوزراء — the subject follows the
  verb; if a weapon stands in the subject slot the doer is unnamed and the next actor is the
  target. Subject first (SVO, headlines and English): the actor right before the verb.
- passive: تعرض X لهجوم، تم استهداف X، قُتل X، "X was attacked by Y": X is the target, the
  agent comes after من قبل / بواسطة / "by".
- nominal: استهداف X / مقتل X (the genitive is the target or victim), "attack on X",
  "US drone strike", غارة أمريكية (a nationality next to the noun is the doer),
  شن الجيش ضربات (the subject of a light verb does the act).
- between: اشتباكات بين X و Y / "clashes between X and Y" give both sides.
- speech: in "X said (that) ..." the speaker is not a participant of the reported violence,
  but a condemnation or a call in his words is his own act.
"""

from __future__ import annotations

from typing import Any

from rasd.event import Actor
from rasd.extract.context import Found, Placed, Sentence
from rasd.extract.mention import EventMention, Role
from rasd.extract.quotes import SpeechZone

WINDOW = 12  # words around a trigger that its arguments may come from
ARMED = frozenset({"MIL", "REB", "POL"})
SECURITY = frozenset({"MIL", "POL"})
VERBAL_TYPES = frozenset(
    {"DISAPPROVE", "DEMAND", "THREATEN", "REJECT", "SUPPORT", "AGREE", "CONSULT", "AID",
     "SANCTION", "CONCEDE", "INVESTIGATE", "RETREAT", "COOPERATE", "MOBILIZE"}
)
# Statements: the speaker of a quote or reported speech is their author.
STATEMENT_TYPES = frozenset({"DISAPPROVE", "DEMAND", "THREATEN", "REJECT", "SUPPORT", "AGREE", "AID"})
# For a verbal noun, is the actor right after it (its genitive) the doer or the target?
_GENITIVE_IS_DOER = frozenset({"PROTEST", "MOBILIZE", "DISAPPROVE", "DEMAND", "THREATEN", "SUPPORT"})


def actor_of(mention: Any, rule_text: str | None = None) -> Actor:
    """The event record's Actor for an ActorMention."""
    sector = getattr(mention, "sector", None) or None
    return Actor(
        text=rule_text or mention.text,
        name=getattr(mention, "name", None) or mention.text,
        sector=sector,
        country=getattr(mention, "country", None) or None,
    )


def role_of(placed: Placed[Any], rule: str) -> Role:
    item = placed.item
    return Role(actor=actor_of(item), rule=rule, spans=[(item.start, item.end)], mention=item)


def clause(sentence: Sentence, first: int, last: int) -> tuple[int, int]:
    """Word range [lo, hi] of the clause around words first..last (bounded by . ; : and WINDOW)."""
    lo = max(0, first - WINDOW)
    hi = min(len(sentence.words) - 1, last + WINDOW)
    for b in sentence.breaks:
        if b <= first and b > lo:
            lo = b
        if b > last and b - 1 < hi:
            hi = b - 1
    return lo, hi


def in_clause_else_sentence(
    sentence: Sentence, first: int, last: int, candidates: list[Placed[Any]], what: str
) -> tuple[list[Placed[Any]], str]:
    """The candidates in the clause around words first..last, else all of them (the
    sentence's), with the rule that says which: a place or time of the trigger's own clause
    beats one elsewhere in the sentence."""
    lo, hi = clause(sentence, first, last)
    own = [c for c in candidates if lo <= c.first <= hi]
    if own:
        return own, f"{what} in the trigger's clause"
    return candidates, f"{what} in the trigger's sentence"


def _usable(actor: Placed[Any], zones: list[SpeechZone], verbal: bool) -> bool:
    """Speakers are not participants of the violence they report."""
    if verbal:
        return True
    return not any(z.first <= actor.first <= z.last for z in zones)


def _actors(sentence: Sentence, lo: int, hi: int, first: int, last: int, zones, verbal) -> list[Placed[Any]]:
    return [
        a
        for a in sentence.actors
        if lo <= a.first <= hi and not (a.first <= last and a.last >= first) and _usable(a, zones, verbal)
    ]


def _first_after(actors: list[Placed[Any]], position: int, limit: int) -> Placed[Any] | None:
    after = [a for a in actors if position < a.first <= position + limit]
    return min(after, key=lambda a: a.first) if after else None


def _last_before(actors: list[Placed[Any]], position: int, limit: int) -> Placed[Any] | None:
    before = [a for a in actors if position - limit <= a.last < position]
    return max(before, key=lambda a: a.last) if before else None


def _cue_near(sentence: Sentence, kind: str, lo: int, hi: int) -> list[Found[Any]]:
    return [c for c in sentence.cues if c.payload.kind == kind and lo <= c.first <= hi]


def _weapon_between(sentence: Sentence, a: int, b: int) -> Found[Any] | None:
    for weapon in sentence.weapons:
        if a < weapon.first < b:
            return weapon
    return None


def _demonym_actor(sentence: Sentence, position: int, before: bool, limit: int = 1) -> Role | None:
    """A nationality word next to a verbal noun (غارة أمريكية، "Turkish strike"): its country's forces."""
    for place in sentence.places:
        item = place.item
        if not getattr(item, "demonym", None) or not getattr(item, "country", None):
            continue
        gap = (position - place.last) if before else (place.first - position)
        if 0 < gap <= limit:
            return Role(
                actor=Actor(text=item.text, name=f"{item.name} forces" if item.name else item.text,
                            sector="MIL", country=item.country),
                rule="demonym next to the trigger",
                spans=[(item.start, item.end)],
                sector_known=False,
            )
    return None


def _conjoined(sentence: Sentence, actor: Placed[Any]) -> bool:
    """The actor follows a conjunction (و written on it, or "and")."""
    from rasd.extract.places import conjunctions

    if any(c.payload.kind == "conjunction" and 0 <= actor.first - c.last <= 1 for c in sentence.cues):
        return True
    if sentence.starts[actor.first] < actor.item.start:
        key = sentence.words[actor.first].key
        return any(key.startswith(term) for term in conjunctions(sentence.language))
    return False


def _between(m: EventMention, actors: list[Placed[Any]], lo: int, hi: int) -> bool:
    """اشتباكات بين X و Y / clashes between X and Y: actor1 = X, actor2 = Y."""
    s = m.sentence
    for cue in _cue_near(s, "between", m.first - 6, min(hi, m.last + 12)):
        after = sorted((a for a in actors if cue.last < a.first <= cue.last + 14), key=lambda a: a.first)
        if not after:
            continue
        side_a = after[0]
        rest = [a for a in after[1:] if a.first > side_a.last]
        side_b = next((a for a in rest if _conjoined(s, a)), rest[0] if rest else None)
        m.actor1 = role_of(side_a, "first side after 'between'")
        if side_b is not None:
            m.actor2 = role_of(side_b, "second side after 'between'")
        return True
    return False


def _agent(m: EventMention, actors: list[Placed[Any]], hi: int) -> None:
    """من قبل X / بواسطة X / "by X" after the trigger: the doer."""
    s = m.sentence
    for cue in _cue_near(s, "agent", m.last + 1, min(hi, m.last + 10)):
        actor = _first_after(actors, cue.last, 3)
        if actor is not None:
            m.actor1 = role_of(actor, f"agent after '{cue.payload.term}'")
            return


def _target_marker(m: EventMention, actors: list[Placed[Any]], hi: int) -> Placed[Any] | None:
    """هجوم على X / "attack on X": the target, when an actor follows the marker."""
    s = m.sentence
    for cue in _cue_near(s, "target", m.last + 1, min(hi, m.last + 4)):
        actor = _first_after(actors, cue.last, 3)
        if actor is not None:
            return actor
    return None


def _passive(m: EventMention, actors: list[Placed[Any]], lo: int, hi: int) -> None:
    s = m.sentence
    light = [c for c in _cue_near(s, "passive", max(lo, m.first - 6), m.first - 1)]
    if m.trigger.language == "en" or not light:
        # English "X was attacked", Arabic قُتل X / تم استهداف X
        if m.trigger.language == "en":
            target = _last_before(actors, m.first, 8)
        else:
            target = _first_after(actors, m.last, 3)
        if target is not None:
            m.actor2 = role_of(target, "subject of a passive" if m.trigger.language == "en" else "object of a passive")
    else:
        cue = light[-1]
        # تعرض X لهجوم: X between the light verb and the noun, or before the light verb
        inside = [a for a in actors if cue.last < a.first < m.first]
        target = min(inside, key=lambda a: a.first) if inside else _last_before(actors, cue.first, 3)
        if target is None:
            target = _first_after(actors, m.last, 2)
        if target is not None:
            m.actor2 = role_of(target, f"target of '{cue.payload.term}'")
    if m.actor1 is None:
        _agent(m, actors, hi)


def _owned(sentence: Sentence, actor: Placed[Any]) -> bool:
    """The actor owns the thing right before it (منزل الكاظمي، "Kadhimi's home"): a target."""
    return any(c.payload.kind == "property" and 0 <= actor.first - c.last <= 1 for c in sentence.cues)


def _event_subject(m: EventMention) -> bool:
    """"الهجوم استهدف X", "the strike hit X": an event noun is the verb's subject."""
    return any(
        t.item is not m.trigger and t.item.type == m.type and 0 < m.first - t.last <= 2
        for t in m.sentence.triggers
    )


def _active_arabic(m: EventMention, actors: list[Placed[Any]], lo: int, hi: int) -> None:
    s = m.sentence
    weapon_subject = next((w for w in s.weapons if 0 <= m.first - w.last <= 2), None)
    if weapon_subject is not None:
        # طائرات مسيرة تستهدف شركة أرامكو: a weapon before the verb is its subject
        target = _first_after(actors, m.last, 6)
        if target is not None:
            m.actor2 = role_of(target, "object after the verb (a weapon is the subject)")
        return
    before = _last_before(actors, m.first, 2)
    if before is not None and not s.commas_between(before.last, m.first) and not _owned(s, before):
        # SVO (headlines, and subject-first clauses)
        m.actor1 = role_of(before, "subject before the verb")
        obj = _first_after(actors, m.last, 6)
        if obj is not None:
            m.actor2 = role_of(obj, "object after the verb")
        return
    subject = _first_after(actors, m.last, 5)
    weapon = _weapon_between(s, m.last, subject.first if subject else m.last + 4)
    if weapon is not None and weapon.first <= m.last + 2:
        # استهدفت طائرة مسيرة منزل X: the weapon is the subject, X the target
        m.weapon = m.weapon or weapon.payload.weapon
        target = subject or _first_after(actors, weapon.last, 5)
        if target is not None:
            m.actor2 = role_of(target, "object after a weapon subject")
        return
    if subject is not None and (_owned(s, subject) or _event_subject(m)):
        m.actor2 = role_of(subject, "object (a target's property, or an event as subject)")
        return
    if subject is not None:
        m.actor1 = role_of(subject, "subject after the verb")
        obj = _first_after(actors, subject.last, 6)
        if obj is not None and not s.commas_between(subject.last, obj.first):
            m.actor2 = role_of(obj, "object after the subject")


def _active_english(m: EventMention, actors: list[Placed[Any]], lo: int, hi: int) -> None:
    s = m.sentence
    subject = _last_before(actors, m.first, 6)
    if subject is not None and not s.breaks_between(subject.last, m.first):
        m.actor1 = role_of(subject, "subject before the verb")
    obj = _first_after(actors, m.last, 5)
    if obj is not None:
        m.actor2 = role_of(obj, "object after the verb")


def _nominal(m: EventMention, actors: list[Placed[Any]], lo: int, hi: int) -> None:
    s = m.sentence
    english = m.trigger.language == "en"
    # the subject of a light verb before the noun: شن الجيش ضربات / "X launched an attack"
    for cue in _cue_near(s, "light_verb", max(lo, m.first - 7), m.first - 1):
        if english:
            doer = _last_before(actors, cue.first, 5)
        else:
            inside = [a for a in actors if cue.last < a.first < m.first]
            doer = min(inside, key=lambda a: a.first) if inside else _last_before(actors, cue.first, 2)
        if doer is not None:
            m.actor1 = role_of(doer, f"subject of '{cue.payload.term}'")
            break
    survivor = next((c for c in s.cues if c.payload.kind == "survive" and 0 < m.first - c.last <= 4), None)
    if survivor is not None:
        # "X survived an assassination attempt", نجا X من محاولة اغتيال: X was the target
        target = _last_before(actors, survivor.first, 6) if english else _first_after(actors, survivor.last, 3)
        if target is not None:
            m.actor2 = role_of(target, f"the one who '{survivor.payload.term}'")
    if english:
        if m.actor1 is None:
            modifier = _last_before(actors, m.first, 1)
            if modifier is not None and modifier.last == m.first - 1 and m.actor2 is not modifier:
                m.actor1 = role_of(modifier, "modifier of the noun")
            else:
                m.actor1 = _demonym_actor(s, m.first, before=True)
    else:
        genitive = _first_after(actors, m.last, 1)
        if genitive is not None:
            if m.type in _GENITIVE_IS_DOER or m.trigger.head == "instrument":  # برصاص قوات الأمن
                m.actor1 = m.actor1 or role_of(genitive, "genitive of the noun")
            else:
                m.actor2 = role_of(genitive, "genitive of the noun")
        if m.actor1 is None:
            m.actor1 = _demonym_actor(s, m.last, before=False)
    target = _target_marker(m, actors, hi)
    if target is not None and m.actor2 is None:
        m.actor2 = role_of(target, "after a target marker")
    if m.actor1 is None:
        _agent(m, actors, hi)


def fill_roles(m: EventMention, zones: list[SpeechZone]) -> None:
    """Set actor1/actor2 of a mention from the actors of its clause."""
    s = m.sentence
    if not s.words:
        return
    verbal = m.type in VERBAL_TYPES
    lo, hi = clause(s, m.first, m.last)
    if m.trigger.head == "actor":
        # متظاهرون / "protesters": the participant noun names the doers themselves
        own = [a for a in s.actors if a.first <= m.last and a.last >= m.first]
        if own:
            m.actor1 = role_of(own[0], "the participant noun itself")
        return
    actors = _actors(s, lo, hi, m.first, m.last, zones, verbal)
    if m.type in ("FIGHT", "PROTEST"):
        if _between(m, actors, lo, hi):
            return
    if m.trigger.form == "passive":
        _passive(m, actors, lo, hi)
    elif m.trigger.head in ("noun", "actor", "instrument"):
        _nominal(m, actors, lo, hi)
    elif m.trigger.language == "ar":
        _active_arabic(m, actors, lo, hi)
    else:
        _active_english(m, actors, lo, hi)
    if m.actor1 is None and m.type not in ("ASSAULT",):
        _agent(m, actors, hi)


def inherit_subject(mentions: list[EventMention]) -> None:
    """Coordinated verbs share their subject: أدانت الوزارة الهجوم وعرضت المساعدة؛ أطلقت قوات
    الأمن الغاز … كما أطلقت النار."""
    for previous, current in zip(mentions, mentions[1:]):
        if current.sentence is not previous.sentence or current.actor1 is not None:
            continue
        if previous.actor1 is None or current.sentence.breaks_between(previous.last, current.first):
            continue
        if current.trigger.head != "verb" or previous.trigger.head != "verb":
            continue
        current.actor1 = Role(previous.actor1.actor, "subject shared with the previous verb",
                              list(previous.actor1.spans), previous.actor1.sector_known,
                              previous.actor1.mention)


def choose_weapon(m: EventMention) -> None:
    """The weapon in the trigger's clause, and the mode it implies (highest priority wins)."""
    s = m.sentence
    if m.type not in ("ASSAULT", "FIGHT"):
        return
    lo, hi = clause(s, m.first, m.last)
    best: Found[Any] | None = None
    for weapon in s.weapons:
        if not (lo <= weapon.first <= hi):
            continue
        if weapon.first <= m.last and weapon.last >= m.first and weapon.payload.priority < 3:
            continue  # the trigger's own word (قصف صاروخي's صاروخي is the trigger's mode)
        distance = min(abs(weapon.first - m.last), abs(m.first - weapon.last))
        if best is None or (weapon.payload.priority, -distance) > (best.payload.priority, -min(abs(best.first - m.last), abs(m.first - best.last))):
            best = weapon
    if best is None:
        return
    m.weapon = best.payload.weapon
    m.weapon_span = (best.start, best.end)
    if best.payload.mode and best.payload.priority > m.mode_priority:
        if m.type == "FIGHT" and best.payload.mode not in ("shelling", "aerial"):
            return
        m.mode = best.payload.mode
        m.mode_priority = best.payload.priority
        m.mode_rule = f"weapon '{best.payload.term}'"
