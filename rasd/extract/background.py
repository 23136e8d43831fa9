"""History cited for context: events the document mentions but does not report as news.

An event is background when its date lies before the document's news day (outside the lead,
where the news itself may be yesterday's), or when a cue says so: منذ / "since", الماضي /
"last year", an anniversary, سبق أن, the pluperfect (وكان … قد، "had stormed") with no date
of today. A bare reference ("the attack") is never history on its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasd.extract.context import DocumentContext
from rasd.extract.mention import EventMention

LEAD_SENTENCES = 2  # headline and first sentence: yesterday's event there is the news
_TODAY_WINDOW = 1  # days: an event this close to the news day is current anywhere


def news_day(context: DocumentContext) -> tuple[dt.date | None, str]:
    """The document's news day: the publication day, else the first dated day in the lead."""
    published = context.published
    if published is not None and str(getattr(published, "precision", "")) in ("day", "DatePrecision.DAY"):
        return published.value, "publication date"
    for sentence in context.sentences[:4]:
        for placed in sentence.times:
            time = placed.item
            if getattr(time, "precision", None) == "day" and time.start_date and not getattr(time, "future", False):
                return time.start_date, f"first dated day '{time.text}'"
    return None, ""


def lead_day(clusters: list[Any], day: dt.date | None, rule: str) -> tuple[dt.date | None, str]:
    """The day of the document's first current event, when the text dates it (the news may be
    published a day later); else the news day."""
    for cluster in clusters:
        if cluster.background:
            continue
        time = cluster.time
        if time is not None and getattr(time, "precision", None) == "day" and time.start_date is not None:
            if day is None or day - dt.timedelta(days=3) <= time.start_date <= day:
                return time.start_date, f"the date of the document's first event ('{time.text}')"
        break
    return day, rule


def _cue_before(m: EventMention, kinds: tuple[str, ...]) -> Any:
    s = m.sentence
    for cue in s.cues:
        if cue.payload.kind not in kinds:
            continue
        window = cue.payload.window
        if window == 0:  # the cue marks the whole clause ("last year")
            if not s.breaks_between(cue.first, m.first) and abs(cue.first - m.first) <= 12:
                return cue
        elif cue.last < m.first and m.first - cue.last <= (window or 6) and not s.breaks_between(cue.last, m.first):
            return cue
    return None


def _pluperfect(m: EventMention) -> Any:
    """كان … (قد) فعل / "had stormed": an auxiliary before the trigger and, where the language
    has one, the perfect particle between them (وكانت الميليشيات قد هددت)."""
    s = m.sentence
    particles = [c for c in s.cues if c.payload.kind == "perfect_particle"]
    for aux in s.cues:
        if aux.payload.kind != "pluperfect":
            continue
        window = aux.payload.window or 6
        if not (aux.last < m.first and m.first - aux.last <= window) or s.breaks_between(aux.last, m.first):
            continue
        if _has_particles(s.language) and not any(aux.last < p.first < m.first for p in particles):
            continue
        return aux
    return None


def _has_particles(language: str) -> bool:
    from rasd.lang import table

    return any(row.get("kind") == "perfect_particle" for row in table(language, "cues"))


def _since(m: EventMention, day: dt.date | None) -> str | None:
    """"exchanged fire since the Oct. 7 attack", منذ منتصف أبريل: a span reaching back in time."""
    if day is None:
        return None
    s = m.sentence
    for cue in s.cues:
        if cue.payload.kind != "background" or cue.first <= m.last or cue.first - m.last > 8:
            continue
        for placed in s.times:
            time = placed.item
            if 0 <= placed.first - cue.last <= 4 and getattr(time, "start_date", None) is not None:
                end = getattr(time, "end_date", None) or time.start_date
                if end < day - dt.timedelta(days=_TODAY_WINDOW):
                    return f"'{cue.payload.term} {time.text}' reaches back before the news day"
    return None


def mention_background(m: EventMention, day: dt.date | None) -> str | None:
    """Why this mention is history, or None."""
    time = m.time
    if time is not None and day is not None and getattr(time, "start_date", None) is not None:
        end = getattr(time, "end_date", None) or time.start_date
        if end < day - dt.timedelta(days=_TODAY_WINDOW):
            return f"dated {end.isoformat()}, before the news day {day.isoformat()}"
        if end < day and m.sentence.index >= LEAD_SENTENCES:
            return f"dated {end.isoformat()}, before the news day, outside the lead"
        return None
    if time is not None and getattr(time, "precision", None) == "day":
        return None  # a day of its own, with no news day to compare: current
    since = _since(m, day)
    if since is not None:
        return since
    habitual = next((c for c in m.sentence.cues if c.payload.kind == "habitual" and 0 < c.first - m.last <= 2), None)
    if habitual is not None:
        return f"a habit, not one event ('{habitual.payload.term}')"
    cue = _cue_before(m, ("background",))
    if cue is not None and m.sentence.index >= LEAD_SENTENCES:
        return f"background cue '{cue.payload.term}'"
    aux = _pluperfect(m)
    if aux is not None and m.sentence.index >= LEAD_SENTENCES:
        return f"pluperfect '{aux.payload.term}'"
    return None
