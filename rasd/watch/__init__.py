"""watch: monitor feeds and alert on incidents (runs after fuse; may use store and fuse).

    from rasd.watch import Watcher, load_rules
    watcher = Watcher(open_database(url), feeds=["https://news.example/rss"], rules=load_rules("alerts.toml"))
    watcher.run(every=600)            # or watcher.poll_once() for one cycle

Modules: watcher (the loop), rules (the rules file), alerts (matching, delivery, once-only),
state (what is remembered in the `seen` table).
"""

from __future__ import annotations

from rasd.watch.alerts import Notifier
from rasd.watch.rules import Action, Rule, RulesError, load_rules, parse_rules
from rasd.watch.watcher import CycleReport, Watcher, parse_every

__all__ = ["Action", "CycleReport", "Notifier", "Rule", "RulesError", "Watcher", "load_rules", "parse_every", "parse_rules"]
