"""From triggers to event mentions: arguments, polarity, support and context.

Each trigger becomes an `EventMention` with its roles, weapon, casualties, place and time.
Then the cues decide whether it reports an event at all:

- negation, denial, hypotheticals and plans make it not (yet) an event; a failed attempt is
  still one; a claim of responsibility names the attacker; what someone demands or threatens
  ("called for peaceful demonstrations", "warned of attacks") has not happened;
- a weak trigger (انفجار "explosion", استهدف "targeted", "rally") needs support in its
  sentence — a weapon, casualties, an armed actor, another violent word, a place — so that a
  warehouse explosion or a market rally does not become an attack or a protest;
- a sentence or a document about football, prices or the weather kills the triggers that have
  no violent support (football "هجوم", "price war");
- a trigger word inside an actor's name (اللواء 777 قتال، "Islamic Jihad") is a name.
"""

from __future__ import annotations

from typing import Any

from rasd.extract.arguments import (
    ARMED,
    SECURITY,
    STATEMENT_TYPES,
    VERBAL_TYPES,
    choose_weapon,
    clause,
    fill_roles,
    inherit_subject,
    role_of,
)
from rasd.extract.casualties import CasualtyFact, find_casualties
from rasd.extract.context import DocumentContext, Placed, Sentence
from rasd.extract.mention import Count, EventMention, Role
from rasd.extract.places import choose_places
from rasd.extract.quotes import SpeechZone
from rasd.extract.times import choose_time

_DEFAULT_NEEDS = {
    "ASSAULT": ("weapon", "casualty", "armed", "violence"),
    "FIGHT": ("weapon", "casualty", "armed"),
    "PROTEST": ("protest", "place"),
    "COERCE": ("security",),
    "MOBILIZE": ("security", "armed"),
}
_NEGATING = {"negation": "negated", "hypothetical": "hypothetical", "future": "future"}
# Statement types are acts of speech themselves: a future cue ("threatened to") is their content.
_FUTURE_IMMUNE = frozenset({"THREATEN", "DEMAND", "DISAPPROVE", "REJECT", "SUPPORT", "AGREE"})
_CONTENT_TYPES = frozenset({"DEMAND", "THREATEN"})  # what follows them has not happened
_CONTENT_WINDOW = 8
_WEAPON_SUPPORT = 2  # weapon priority that supports a weak trigger (not "explosives", "aircraft")
# Natural sentences hold a handful of triggers; text with hundreds (one word repeated, a
# keyword list) is read only up to these bounds, which keeps the work linear in its length.
MAX_TRIGGERS_PER_SENTENCE = 40
MAX_MENTIONS = 2000


def _in_actor_name(sentence: Sentence, placed: Placed[Any]) -> bool:
    trigger = placed.item
    return any(
        a.item.start <= trigger.start and trigger.end <= a.item.end and (a.item.end - a.item.start) > (trigger.end - trigger.start)
        for a in sentence.actors
    )


def _supports(m: EventMention, facts: list[CasualtyFact], zones: list[SpeechZone]) -> set[str]:
    s = m.sentence
    lo, hi = clause(s, m.first, m.last)
    found: set[str] = set()
    if any(lo <= w.first <= hi and w.payload.priority >= _WEAPON_SUPPORT for w in s.weapons):
        found.add("weapon")
    if any(f.kind in ("killed", "injured") for f in facts):
        found.add("casualty")
    speakers = {id(z.speaker) for z in zones if z.speaker is not None}
    for actor in s.actors:
        if id(actor) in speakers:
            continue
        if getattr(actor.item, "sector", None) in ARMED and lo <= actor.first <= hi:
            found.add("armed")
    doer = m.actor1.actor.sector if m.actor1 is not None and m.actor1.sector_known else None
    if doer in ARMED:
        found.update(("armed", "armed_doer"))
    if doer in SECURITY or (doer == "GOV" and m.type in ("COERCE", "MOBILIZE")):
        found.add("security")
    if m.actor2 is not None and m.actor2.actor.sector in ARMED:
        found.add("armed")
    for other in s.triggers:
        item = other.item
        if item is m.trigger or item.strength != "strong":
            continue
        if item.type in ("ASSAULT", "FIGHT"):
            found.add("violence")
        if item.type == "PROTEST":
            found.add("protest")
    if any(o.item is not m.trigger and o.item.type == "PROTEST" and o.item.head == "actor" for o in s.triggers):
        found.add("protest")
    if m.actor1 is not None:
        found.add("actor")
    if m.actor2 is not None:
        found.add("target")
    if any(not getattr(p.item, "demonym", None) for p in s.places):
        found.add("place")
    if any(not getattr(p.item, "demonym", None) and 0 < p.first - m.last <= 4 for p in s.places):
        found.add("place_after")
    return found


def _polarity(m: EventMention) -> None:
    s = m.sentence
    if m.mode == "arrest" and _purpose_clitic(m):
        m.polarity = "intended"  # لتوقيفهم "to arrest them"
    still = [c for c in s.cues if c.payload.kind == "still"]
    for cue in s.cues:
        kind = cue.payload.kind
        if kind in _NEGATING:
            if kind == "negation" and any(c.first <= cue.first <= c.last for c in still):
                continue  # لا تزال "still" is not a negation
            window = cue.payload.window if cue.payload.window is not None else 3
            if cue.last < m.first and m.first - cue.last <= window and not s.breaks_between(cue.last, m.first):
                if kind == "future" and m.type in _FUTURE_IMMUNE:
                    continue
                if kind == "negation" and s.commas_between(cue.last, m.first):
                    continue
                m.polarity = _NEGATING[kind]
        elif kind == "denial":
            window = cue.payload.window or 8
            if cue.last < m.first and m.first - cue.last <= window and m.type not in ("ASSAULT", "FIGHT"):
                m.polarity = "negated"
        elif kind == "failed":
            window = cue.payload.window or 3
            if abs(cue.first - m.first) <= window:
                m.failed = True
        elif kind == "attribution":
            m.attributed = True
        elif kind == "superlative" and 0 <= m.first - cue.last <= 1:
            m.comparative = True
        elif kind == "purpose" and m.mode == "arrest" and m.first - cue.last == 1:
            m.polarity = "intended"  # "moved in to arrest them"
        elif kind == "still" and m.mode == "capture" and 0 <= m.first - cue.last <= 3:
            m.polarity = "state"  # لا تزال تسيطر على: holding ground, not taking it


def _purpose_clitic(m: EventMention) -> bool:
    """The trigger word carries the purpose clitic (لتوقيفهم "to arrest them"): intended, not done."""
    from rasd.lang import table
    from rasd.text.normalize import normalize_term

    s = m.sentence
    key = s.words[m.first].key
    stem = normalize_term(m.trigger.entry.split()[0])
    clitics = (normalize_term(r["term"]) for r in table(s.language, "cues") if r.get("kind") == "purpose_clitic")
    return any(key.startswith(c) and not stem.startswith(c) for c in clitics)


def _content_of_statement(m: EventMention, local: list[EventMention]) -> bool:
    """"called for peaceful demonstrations", هددت باستهداف: the act is only demanded or threatened."""
    if m.trigger.head == "actor" or m.type in STATEMENT_TYPES:
        return False
    s = m.sentence
    for other in local:
        if other.type in _CONTENT_TYPES and other.last < m.first <= other.last + _CONTENT_WINDOW:
            if not s.breaks_between(other.last, m.first):
                return True
    return False


def _claimant(sentence: Sentence) -> Role | None:
    """The actor who claimed responsibility in this sentence (not under negation)."""
    for cue in sentence.cues:
        if cue.payload.kind != "claim":
            continue
        negated = any(
            c.payload.kind == "negation" and 0 <= cue.first - c.last <= 8
            and not sentence.breaks_between(c.last, cue.first)
            for c in sentence.cues
        )
        if negated:
            continue
        inside = [a for a in sentence.actors if cue.first <= a.first <= cue.last]
        before = [a for a in sentence.actors if cue.first - 6 <= a.last < cue.first
                  and not sentence.breaks_between(a.last, cue.first)]
        chosen = inside[0] if inside else (before[-1] if before else None)
        if chosen is not None:
            return role_of(chosen, f"claimed responsibility ('{cue.payload.term}')")
    return None


def _counts(m: EventMention, facts: list[CasualtyFact], owner: dict[int, EventMention]) -> None:
    for fact in facts:
        if owner.get(id(fact)) is not m:
            continue
        if fact.kind in ("none", "none_killed", "none_injured"):
            zero = Count(0, "no casualties reported", list(fact.spans))
            if fact.kind != "none_injured":
                m.fatalities = m.fatalities or zero
            if fact.kind != "none_killed":
                m.injured = m.injured or zero
            continue
        if fact.value is None:
            continue
        count = Count(fact.value, f"number with '{fact.word.payload.term}'", list(fact.spans), fact.exact)
        if fact.kind == "killed" and m.fatalities is None:
            m.fatalities = count
        elif fact.kind == "injured" and m.injured is None:
            m.injured = count


def _owner_rank(m: EventMention, fact: CasualtyFact) -> tuple[int, int, int]:
    """Violence owns casualties before protests; real triggers before participant nouns."""
    kind_rank = 0 if m.type in ("ASSAULT", "FIGHT") else 1
    head_rank = 1 if m.trigger.head == "actor" else 0
    return head_rank, kind_rank, abs(m.first - fact.position)


def _assign_facts(mentions: list[EventMention], facts: list[CasualtyFact]) -> dict[int, EventMention]:
    """Each casualty fact goes to the violent or protest mention of its sentence that owns it."""
    owner: dict[int, EventMention] = {}
    candidates = [m for m in mentions if m.type in ("ASSAULT", "FIGHT", "PROTEST") and m.polarity == "asserted"]
    if not candidates:
        return owner
    for fact in facts:
        owner[id(fact)] = min(candidates, key=lambda m: _owner_rank(m, fact))
    return owner


def _fact_negated(sentence: Sentence, fact: CasualtyFact) -> bool:
    if fact.kind.startswith("none"):
        return False
    return any(c.payload.kind == "negation" and 0 <= fact.word.first - c.last <= 2 for c in sentence.cues)


def _speaker_as_actor(m: EventMention, zones: list[SpeechZone]) -> None:
    """A condemnation, call or threat in someone's words is that speaker's act."""
    if m.type not in VERBAL_TYPES:
        return
    for zone in zones:
        if zone.speaker_actor is None or zone.content is None:
            continue
        a, b = zone.content
        inside = a <= m.trigger.start < b
        in_zone = zone.first <= m.first <= zone.last
        if inside or in_zone:
            spans = [(zone.speaker.item.start, zone.speaker.item.end)] if zone.speaker else []
            m.speaker = Role(zone.speaker_actor, "speaker of the statement", spans)
            if m.actor1 is None or (inside and m.in_quote):
                m.actor1 = m.speaker
            return


def _preceding_actor(m: EventMention, zones: list[SpeechZone]) -> None:
    """داعيا إلى / "urging": a participle's doer is the subject told before it in the sentence."""
    if m.actor1 is not None or m.type not in STATEMENT_TYPES | {"RETREAT", "INVESTIGATE"}:
        return
    before = [a for a in m.sentence.actors if a.last < m.first]
    if before:
        m.actor1 = role_of(before[0], "subject of the sentence")


_ORDINARY = ("domain:sports", "domain:economy", "domain:weather", "domain:culture", "domain:health")


def _context_allows(m: EventMention, sentence: Sentence, doc_sports: int, disaster: bool) -> bool:
    """Football attacks, price wars, weather, a warehouse fire: no event unless real violence is
    in sight. Sports words kill any unsupported trigger (a club's "protest", its "demands");
    economy, weather and health words violent ones (a protest over prices is a protest), and
    culture words a "تظاهرة" that is a festival."""
    violent_support = bool(m.support & {"weapon", "armed", "casualty"})
    if disaster and m.trigger.strength == "weak" and m.violent and "violence" not in m.support:
        return False
    if violent_support:
        return True
    kinds = {c.payload.kind for c in sentence.cues}
    if "domain:sports" in kinds or doc_sports >= 3:
        return False
    if m.violent and kinds & {"domain:economy", "domain:weather", "domain:health", "domain:culture"}:
        return False
    if m.type == "PROTEST" and "domain:culture" in kinds and "protest" not in m.support:
        return False
    return True


def ordinary_news(context: DocumentContext, mentions: list[EventMention]) -> bool:
    """A report about sports, prices, weather, health campaigns or culture that mentions no
    violence or protest of its own: its calls and warnings are not political events."""
    domain = sum(1 for s in context.sentences for c in s.cues if c.payload.kind in _ORDINARY)
    if domain < 2:
        return False
    conflict = any(
        m.polarity == "asserted" and m.type in ("ASSAULT", "FIGHT", "PROTEST", "COERCE") and is_supported(m)
        and (m.trigger.strength == "strong" or m.support & {"weapon", "armed", "casualty"})
        for m in mentions
    )
    return not conflict


def build_mentions(context: DocumentContext, zones: dict[int, list[SpeechZone]]) -> tuple[list[EventMention], dict[int, list[CasualtyFact]]]:
    """Event mentions of the whole document, in text order, and the casualty facts of each sentence."""
    mentions: list[EventMention] = []
    facts_by_sentence: dict[int, list[CasualtyFact]] = {}
    doc_sports = sum(1 for s in context.sentences for c in s.cues if c.payload.kind == "domain:sports")
    for sentence in context.sentences:
        sentence_zones = zones.get(sentence.index, [])
        facts = find_casualties(sentence) if sentence.casualties else []
        facts = [f for f in facts if not _fact_negated(sentence, f)]
        facts_by_sentence[sentence.index] = facts
        local: list[EventMention] = []
        if len(mentions) >= MAX_MENTIONS:
            break
        for placed in sentence.triggers[:MAX_TRIGGERS_PER_SENTENCE]:
            if _in_actor_name(sentence, placed):
                continue
            trigger = placed.item
            m = EventMention(
                trigger=trigger,
                sentence=sentence,
                type=trigger.type,
                mode=trigger.mode,
                first=placed.first,
                last=placed.last,
                mode_priority=2 if trigger.mode else 0,
                mode_rule=f"trigger '{trigger.entry}'" if trigger.mode else "",
            )
            m.in_quote = sentence.in_quote(trigger.start)
            fill_roles(m, sentence_zones)
            choose_weapon(m)
            _polarity(m)
            local.append(m)
        inherit_subject(local)
        for m in local:
            if m.polarity == "asserted" and _content_of_statement(m, local):
                m.polarity = "demanded or threatened"
        owner = _assign_facts(local, facts)
        claimant = _claimant(sentence)
        disaster = any(c.payload.kind == "domain:disaster" for c in sentence.cues)
        for m in local:
            _counts(m, facts, owner)
            _speaker_as_actor(m, sentence_zones)
            _preceding_actor(m, sentence_zones)
            m.support = _supports(m, facts if not disaster else [], sentence_zones)
            if claimant is not None and m.type in ("ASSAULT", "FIGHT"):
                m.actor1 = claimant
                m.claimed = True
            if not _context_allows(m, sentence, doc_sports, disaster):
                m.polarity = "off-topic"
            choose_places(m, context, sentence_zones)
            choose_time(m, context)
            mentions.append(m)
    return mentions, facts_by_sentence


def is_supported(m: EventMention) -> bool:
    """A strong trigger stands alone; a weak one needs what its lexicon line (or type) asks.
    A comparison ("the worst explosion in years") never starts an event."""
    if m.comparative:
        return False
    if m.trigger.strength != "weak":
        return True
    needs = m.trigger.needs or _DEFAULT_NEEDS.get(m.type, ("actor",))
    # "a,b": any of them; "a+b": all of them
    return any(all(part in m.support for part in need.split("+")) for need in needs)
