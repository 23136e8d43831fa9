"""Choose one reading per place mention, or none, from its candidates and the document.

Score = prior (population; countries, provinces and curated sites high) + the share of the
document's other confident places (and demonyms, and the dateline) in the candidate's
country + a type word next to it of the candidate's kind (محافظة -> admin1) + an
enclosing place stated right after it ("Musaffah, Abu Dhabi", "سنجار بمحافظة نينوى").

A chosen reading is kept when it is a distinctive name (country, province, curated site,
place of 50,000+, several words) or, for small places and common-word names, when the text
gives evidence: a type word, a locative (في، in), an enclosing place, the dateline, or
another confident place of the document within 100 km. A title or a person's first name
right before ("الشيخ ...", "Lloyd Austin") means a person, not a place.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rasd.annotate.places.gazetteer import Candidate, Gazetteer
from rasd.annotate.places.lexicon import Lexicon
from rasd.annotate.places.recognize import Match, Token, TokenList, cue_of

STRONG_POPULATION = 50_000
ARTICLE_POPULATION = 200_000
NEAR_KM = 100.0
FOCUS_BONUS = 1.0
ENCLOSE_KM = 60.0
_ENCLOSE_GAP = re.compile(r"[\s,،(\-–—:؛]*")
_DATELINE = re.compile(r"[ \t]*(?:[,،][^\n\-–—:()]{0,30})?[ \t]*(?:\([^)\n]{1,40}\))?[ \t]*[-–—:|]")
_SENTENCE_END = re.compile(r"[.!?؟\n]")


@dataclass(slots=True)
class Reading:
    match: Match
    candidate: Candidate
    reason: str


def _km(a: Candidate, b: Candidate) -> float:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return math.inf
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _inside(c: Candidate, outer: Candidate) -> bool:
    """Is c within `outer` (a country, province, district or city)?"""
    if c.country is None or c.country != outer.country or c.id == outer.id:
        return False
    if outer.precision == "country":
        return True
    if outer.precision == "admin1":
        return c.admin1 == outer.name or _km(c, outer) < 150
    if outer.precision == "admin2":
        return c.admin2 == outer.name or _km(c, outer) < ENCLOSE_KM
    return c.parent == outer.name or _km(c, outer) < ENCLOSE_KM


def _strong(c: Candidate, m: Match) -> bool:
    if m.demonym or c.precision in ("country", "admin1", "site"):
        return True
    if m.last > m.first and c.precision != "admin2":
        return True
    return c.population >= STRONG_POPULATION


@dataclass(slots=True)
class _Context:
    type_precision: str | None = None  # kind named by a type word next to the mention
    type_word: bool = False
    locative: bool = False
    person: bool = False
    enclosing: Match | None = None
    dateline: bool = False
    clitic_locative: bool = False  # ب- "in" attached to the name: evidence only for sure names


def _context(i: int, matches: list[Match], tokens: TokenList, text: str, lex: Lexicon) -> _Context:
    m = matches[i]
    ctx = _Context()
    first, last = m.first, m.last
    seg = tokens[first].segment

    def tok(k: int) -> Token | None:
        return tokens[k] if 0 <= k < len(tokens) and tokens.seg[k] == seg else None

    prev, prev2, nxt = tok(first - 1), tok(first - 2), tok(last + 1)
    if m.clitic and "ب" in m.clitic:
        ctx.clitic_locative = True
    if prev is not None and not _SENTENCE_END.search(tokens[first].gap_before):
        cue = cue_of(prev, lex)
        if cue is not None:
            if cue.kind == "type":
                ctx.type_word, ctx.type_precision = True, cue.precision
            elif cue.kind == "locative":
                ctx.locative = True
            elif cue.kind == "person":
                ctx.person = True
        elif not prev.arabic and prev.upper and prev.key != "al":
            # a capitalised word right before, not at a sentence start: a person's name
            before = tok(first - 2)
            if before is not None and not _SENTENCE_END.search(prev.gap_before) and not any(
                o.first <= first - 1 <= o.last for o in matches
            ):
                ctx.person = True
        if prev2 is not None and cue is None and not _SENTENCE_END.search(prev.gap_before):
            cue2 = cue_of(prev2, lex)
            if cue2 is not None and cue2.kind == "person" and not any(
                o.first <= first - 1 <= o.last for o in matches
            ):
                ctx.person = True
            if cue2 is not None and cue2.kind == "type" and prev.key in ("of",):
                ctx.type_word, ctx.type_precision = True, cue2.precision  # "the city of X"
            if cue2 is not None and cue2.kind == "locative" and prev.key in ("of",):
                ctx.locative = True  # "north of X"
    if nxt is not None and not nxt.arabic and not _SENTENCE_END.search(nxt.gap_before):
        cue = lex.cues.get(nxt.norm)
        if cue is not None and cue.kind == "type":  # "Anbar province"
            ctx.type_word, ctx.type_precision = True, cue.precision
    # an enclosing place stated right after: "X, Y", "X in Y", "X بمحافظة Y"
    if i + 1 < len(matches):
        after = matches[i + 1]
        between = range(last + 1, after.first)
        if (
            tokens.seg[after.first] == seg
            and len(between) <= 2
            and all(
                (c := cue_of(tokens[k], lex)) is not None and c.kind in ("type", "locative")
                for k in between
            )
            and _ENCLOSE_GAP.fullmatch(text[m.end : tokens[between[0]].start if between else after.start])
        ):
            ctx.enclosing = after
    # the dateline: the document's first words, then (agency) and a dash
    if first <= 2 and seg == 0 and tokens[first].segment == 0 and _DATELINE.match(text, m.end):
        ctx.dateline = True
    return ctx


def resolve(
    matches: list[Match], tokens: TokenList, text: str, gaz: Gazetteer, lex: Lexicon
) -> list[Reading]:
    """One reading per accepted mention, in text order."""
    for m in matches:
        if m.demonym:
            country = gaz.country(m.demonym)
            m.candidates = [country] if country else []
        elif not m.candidates:
            m.candidates = gaz.candidates(m.key)
    matches = [m for m in matches if m.candidates]
    contexts = [_context(i, matches, tokens, text, lex) for i in range(len(matches))]

    # document country context: confident mentions, demonyms (half), the dateline (triple)
    weight: dict[str, float] = {}
    for m, ctx in zip(matches, contexts):
        if m.key in lex.stop:
            continue
        top = max(m.candidates, key=lambda c: c.prior)
        rivals = [c.prior for c in m.candidates if c.country != top.country]
        if top.country is None or (rivals and max(rivals) > top.prior - 1.5):
            continue  # no clear country
        country = top.country
        w = 0.5 if m.demonym else (1.0 if _strong(top, m) else 0.3)
        if ctx.dateline:
            w += 3.0
        weight[country] = weight.get(country, 0.0) + w
    total = sum(weight.values()) or 1.0

    scored: list[tuple[Match, _Context, Candidate, list[str]]] = []
    for m, ctx in zip(matches, contexts):
        has_city = {c.country for c in m.candidates if c.precision in ("city", "site")}
        best: tuple[float, Candidate, list[str]] | None = None
        for c in m.candidates:
            why: list[str] = []
            score = c.prior
            if c.country in gaz.focus:
                score += FOCUS_BONUS  # the news this reads is about these countries
            share = weight.get(c.country or "", 0.0) / total
            if share and len(m.candidates) > 1:
                score += 2.5 * share
                why.append(f"document country {c.country}")
            if ctx.type_precision and ctx.type_precision == c.precision:
                score += 3.0
                why.append(f"type word ({c.precision})")
            elif c.precision in ("admin1", "admin2") and c.country in has_city and not ctx.type_word:
                score -= 1.5  # "Karbala" alone is the city, "محافظة كربلاء" the province
            if ctx.enclosing is not None and any(_inside(c, o) for o in ctx.enclosing.candidates):
                score += 4.0
                why.append(f"inside {ctx.enclosing.candidates[0].name}")
            if best is None or score > best[0]:
                best = (score, c, why)
        assert best is not None
        scored.append((m, ctx, best[1], best[2]))

    top_country = max(weight, key=weight.get) if weight else None
    anchors = [c for m, _ctx, c, _w in scored if _strong(c, m) and not m.demonym and c.precision != "country"]
    out: list[Reading] = []
    for m, ctx, c, why in scored:
        key_kind = lex.stop.get(m.key)
        evidence = []
        if ctx.type_word:
            evidence.append("type word")
        if ctx.enclosing is not None and "inside" not in " ".join(why):
            pass
        elif ctx.enclosing is not None:
            evidence.append("enclosing place")
        if ctx.dateline:
            evidence.append("dateline")
        if ctx.locative:
            evidence.append("locative")
        if (
            top_country is not None
            and c.country == top_country
            and weight[top_country] >= 0.5 * total
            and len({x.country for x in m.candidates}) == 1
            and key_kind is None
        ):
            evidence.append(f"document country {c.country}")
        strong = _strong(c, m)
        if not strong:
            near = [a for a in anchors if a.id != c.id and (_km(c, a) < NEAR_KM or (c.admin1 and c.admin1 == a.admin1 and c.country == a.country))]
            if near:
                evidence.append(f"near {near[0].name}")
        if ctx.clitic_locative and (strong or m.cost == 0):
            evidence.append("locative")
        risky = m.cost == 2 or any(ch in m.clitic for ch in "بلك")  # و/ف join words safely
        if risky and c.precision not in ("country", "admin1"):
            # a peeled proclitic may be part of another word (كبيرا -> بيرا): a small or
            # foreign place read that way needs a type word or an enclosing place
            firm = {"type word", "enclosing place", "dateline"} & set(evidence)
            foreign = top_country is not None and c.country != top_country
            kaf = "ك" in m.clitic and c.country not in gaz.focus  # كبيرا is not Beira
            if not firm and (kaf or not strong or foreign):
                continue
        if m.demonym:
            reason = "demonym"
        elif key_kind in ("cue", "context"):
            decisive = {"type word", "enclosing place", "dateline"} & set(evidence)
            if "type word" in decisive and top_country and c.country != top_country and not (
                {"enclosing place", "dateline"} & decisive
            ):
                decisive = set()  # "محافظة جنوبية" in an Iraqi story is not Bahrain's Southern
            if not decisive and key_kind == "context":
                if ctx.locative and c.country == top_country:
                    evidence.append(f"document country {c.country}")
                    decisive = {"locative"}
            if not decisive:
                continue
            reason = "common word, kept: " + ", ".join(evidence)
        elif ctx.person and c.precision in ("city", "admin2", "site") and not ctx.type_word and m.first == m.last:
            continue
        elif m.cost == 2 and c.population < ARTICLE_POPULATION and not evidence:
            continue
        elif not strong and not evidence:
            continue
        elif (
            not strong
            and top_country is not None
            and c.country != top_country
            and weight[top_country] >= 0.5 * total
            and not {"enclosing place", "dateline"} & set(evidence)
        ):
            continue  # a small place abroad needs its country or province stated
        else:
            reason = "distinctive name" if strong else "small place, kept: " + ", ".join(evidence)
        if len(m.candidates) == 1:
            reason += "; only candidate"
        else:
            reason += "; " + (", ".join(why) if why else "largest/likeliest of %d" % len(m.candidates))
        out.append(Reading(m, c, reason))
    return out
