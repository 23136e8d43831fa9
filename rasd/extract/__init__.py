"""Extract: the events a document reports, and who said what.

    events, quotes = extract_events(prepared, annotations)

The stages, each in its own module:

1. `context`     sentences with their words, annotations and lexicon matches
2. `quotes`      speech zones (who speaks) and the quotes list
3. `mentions`    one mention per trigger: roles (`arguments`), weapon and mode, casualties
                 (`casualties`), place (`places`), time (`times`), polarity and support
4. `reconcile`   type decisions that need the sentence (clash with protesters = riot, ...)
5. `background`  history cited for context
6. `merge`       mentions of one event become one cluster; coordinated places split
7. `events`      defaults, ACLED/CAMEO coding, evidence, provenance, `confidence`

Nothing here is specific to a language: the words are in rasd/lang/<code>/*.tsv. A document
in a language without a pack (or with no trigger) gives no events.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

from rasd.event import Event, Quote

if TYPE_CHECKING:
    from rasd.annotate import Annotations
    from rasd.text import PreparedDocument

__all__ = ["extract_events"]

# Statements need someone who makes them; these types may stand without a named doer.
_ACTORLESS_OK = frozenset({"ASSAULT", "FIGHT", "PROTEST", "COERCE", "MOBILIZE", "INVESTIGATE", "RETREAT"})


def extract_events(prepared: "PreparedDocument", annotations: "Annotations") -> tuple[list[Event], list[Quote]]:
    """Events and quotes of one prepared, annotated document."""
    from rasd.extract.arguments import actor_of
    from rasd.extract.background import lead_day, mention_background, news_day
    from rasd.extract.context import build_context
    from rasd.extract.document_place import main_place
    from rasd.extract.events import to_event
    from rasd.extract.folds import fold
    from rasd.extract.mentions import build_mentions, is_supported, ordinary_news
    from rasd.extract.merge import merge
    from rasd.extract.orphans import attach_orphan_counts, resolve_references
    from rasd.extract.quotes import build_quotes, quote_index, speech_zones
    from rasd.extract.reconcile import reconcile

    context = build_context(prepared, annotations)
    if not context.sentences:
        return [], []
    zones = speech_zones(context, actor_of)
    quotes = build_quotes(context, zones)
    if not any(s.triggers for s in context.sentences):
        return [], quotes
    mentions, facts = build_mentions(context, zones)
    if ordinary_news(context, mentions):
        return [], quotes
    mentions = [m for m in mentions if m.polarity == "asserted"]
    mentions = reconcile(mentions)
    mentions = [m for m in mentions if m.type in _ACTORLESS_OK or (m.actor1 is not None and m.actor1.actor.sector != "BUS")]
    day, day_rule = news_day(context)
    for m in mentions:
        m.anaphoric = not m.has_arguments()
        m.background = mention_background(m, day)
        m.quote = quote_index(quotes, m.trigger.start, m.trigger.end)

    clusters = fold(merge(mentions, can_start=is_supported))
    attach_orphan_counts(clusters, context, facts)
    resolve_references(clusters)
    event_day, event_day_rule = lead_day(clusters, day, day_rule)
    place, place_rule = main_place(context, clusters)
    events = []
    for cluster in clusters:
        event = to_event(cluster, context.text, event_day, event_day_rule, context.published, place, place_rule)
        event.quote = next((m.quote for m in cluster.mentions if m.quote is not None), None)
        events.append(event)
    return events, quotes


class _ExtractModule(types.ModuleType):
    """`rasd.extract(text, url=None, published=None)` is the package's public function, and
    `rasd.extract` is also this package: once the package is imported, Python binds the name
    to it. The package is therefore callable, with the same meaning as the function."""

    def __call__(self, text: str, url: str | None = None, published: str | None = None) -> list[Event]:
        from rasd.pipeline import default_pipeline

        return default_pipeline().extract_text(text, url=url, published=published).events


sys.modules[__name__].__class__ = _ExtractModule
