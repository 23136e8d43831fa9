"""Alert rules: which incidents someone wants to hear about, and how.

A rules file is TOML (or JSON, same structure), a list of `[[rules]]`:

    [[rules]]
    name = "killings in Baghdad"
    countries = ["IRQ"]                 # ISO 3166-1 alpha-3; any of them
    admin1 = ["Baghdad"]                # first-level division as stored; any of them
    near = [33.31, 44.36]               # or "33.31,44.36"; with km (default 50)
    km = 40
    types = ["ASSAULT", "FIGHT"]        # PLOVER types or ACLED event types; any of them
    min_fatalities = 1                  # the incident's headline (most conservative) figure
    languages = ["ar", "en"]            # reported in any of these
    actions = [
        { type = "stdout" },
        { type = "log", level = "warning" },
        { type = "webhook", url = "https://hooks.example/rasd", timeout = 10 },
    ]

Every condition given must hold (values inside one condition are alternatives); a rule
with no conditions matches every incident. Unknown keys are errors, so a typo never
silently widens a rule.
"""

from __future__ import annotations

import json
import logging
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rasd.store.query import FilterError, Near
from rasd.text.normalize import normalize_term

ACTION_TYPES = ("stdout", "log", "webhook")
LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}
_RULE_KEYS = {"name", "countries", "country", "admin1", "near", "km", "types", "min_fatalities", "languages", "actions"}
_ACTION_KEYS = {"stdout": {"type"}, "log": {"type", "level"}, "webhook": {"type", "url", "timeout", "headers"}}


class RulesError(ValueError):
    """A rules file that cannot be used; the message names the file, the rule and the key."""


class IncidentLike(Protocol):
    type: str
    acled_event_type: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    fatalities: int | None
    languages: list | None


@dataclass(frozen=True, slots=True)
class Action:
    type: str  # "stdout", "log", "webhook"
    url: str | None = None
    level: int = logging.WARNING
    timeout: float = 10.0
    headers: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        return f"webhook {self.url}" if self.type == "webhook" else self.type


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    countries: frozenset[str] = frozenset()
    admin1: frozenset[str] = frozenset()  # normalised
    near: Near | None = None
    types: frozenset[str] = frozenset()  # upper case
    min_fatalities: int | None = None
    languages: frozenset[str] = frozenset()
    actions: tuple[Action, ...] = field(default=(Action("log"),))

    def matches(self, incident: IncidentLike) -> bool:
        if self.countries and (incident.country or "").upper() not in self.countries:
            return False
        if self.admin1 and _norm(incident.admin1) not in self.admin1:
            return False
        if self.near and not self.near.contains(incident.lat, incident.lon):
            return False
        if self.types and not {
            (incident.type or "").upper(),
            (incident.acled_event_type or "").upper(),
        } & self.types:
            return False
        if self.min_fatalities is not None and (incident.fatalities or 0) < self.min_fatalities:
            return False
        if self.languages and not set(incident.languages or ()) & self.languages:
            return False
        return True


def _norm(value: str | None) -> str:
    return normalize_term(value or "").casefold()


def load_rules(path: str | Path) -> list[Rule]:
    """The rules of a TOML (.toml) or JSON (.json) file; RulesError if anything is off."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise RulesError(f"{path}: cannot read the rules file: {error.strerror or error}") from error
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw)
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:  # TOMLDecodeError and JSONDecodeError are ValueErrors
        raise RulesError(f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'}: {error}") from error
    return parse_rules(data, str(path))


def parse_rules(data: Any, where: str = "rules") -> list[Rule]:
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise RulesError(f"{where}: expected a list of rules under the key 'rules' ([[rules]] in TOML)")
    rules = [_rule(item, f"{where}: rule {number}") for number, item in enumerate(data["rules"], start=1)]
    names = [rule.name for rule in rules]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise RulesError(f"{where}: rule names must be unique (alerts are remembered by name): {', '.join(duplicates)}")
    return rules


def _strings(value: Any, where: str, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return list(value)
    raise RulesError(f"{where}: '{key}' must be a string or a list of strings")


def _rule(item: Any, where: str) -> Rule:
    if not isinstance(item, Mapping):
        raise RulesError(f"{where}: must be a table of settings")
    unknown = set(item) - _RULE_KEYS
    if unknown:
        raise RulesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_RULE_KEYS))})")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise RulesError(f"{where}: needs a 'name' (a string of at most 200 characters)")
    where = f"{where} ({name})"
    countries = _strings(item.get("countries", item.get("country", [])), where, "countries")
    if any(len(c) != 3 or not c.isalpha() for c in countries):
        raise RulesError(f"{where}: countries are ISO 3166-1 alpha-3 codes such as IRQ, SYR, LBY")
    near = None
    if "near" in item:
        near = _near(item["near"], item.get("km", 50.0), where)
    elif "km" in item:
        raise RulesError(f"{where}: 'km' needs 'near'")
    minimum = item.get("min_fatalities")
    if minimum is not None and (not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 0):
        raise RulesError(f"{where}: 'min_fatalities' must be a whole number, 0 or more")
    actions = item.get("actions", [{"type": "log"}])
    if not isinstance(actions, list) or not actions:
        raise RulesError(f"{where}: 'actions' must be a non-empty list")
    return Rule(
        name=name.strip(),
        countries=frozenset(c.upper() for c in countries),
        admin1=frozenset(_norm(a) for a in _strings(item.get("admin1", []), where, "admin1")),
        near=near,
        types=frozenset(t.upper() for t in _strings(item.get("types", []), where, "types")),
        min_fatalities=minimum,
        languages=frozenset(l.lower() for l in _strings(item.get("languages", []), where, "languages")),
        actions=tuple(_action(a, f"{where} action {i}") for i, a in enumerate(actions, start=1)),
    )


def _near(value: Any, km: Any, where: str) -> Near:
    try:
        if isinstance(value, str):
            return Near.parse(value, float(km))
        if isinstance(value, Sequence) and len(value) == 2:
            return Near(float(value[0]), float(value[1]), float(km))
    except (FilterError, TypeError, ValueError) as error:
        raise RulesError(f"{where}: {error}") from error
    raise RulesError(f"{where}: 'near' must be [latitude, longitude] or \"lat,lon\"")


def _action(item: Any, where: str) -> Action:
    if not isinstance(item, Mapping) or item.get("type") not in ACTION_TYPES:
        raise RulesError(f"{where}: needs a 'type', one of {', '.join(ACTION_TYPES)}")
    kind = item["type"]
    unknown = set(item) - _ACTION_KEYS[kind]
    if unknown:
        raise RulesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} for a {kind} action")
    if kind == "webhook":
        url = item.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise RulesError(f"{where}: a webhook needs an http(s) 'url'")
        timeout = item.get("timeout", 10.0)
        if not isinstance(timeout, (int, float)) or timeout <= 0:
            raise RulesError(f"{where}: 'timeout' must be a positive number of seconds")
        headers = item.get("headers", {})
        if not isinstance(headers, Mapping) or not all(isinstance(v, str) for v in headers.values()):
            raise RulesError(f"{where}: 'headers' must be a table of strings")
        return Action(kind, url=url, timeout=float(timeout), headers=tuple(sorted(headers.items())))
    if kind == "log":
        level = str(item.get("level", "warning")).lower()
        if level not in LOG_LEVELS:
            raise RulesError(f"{where}: 'level' must be one of {', '.join(LOG_LEVELS)}")
        return Action(kind, level=LOG_LEVELS[level])
    return Action(kind)
