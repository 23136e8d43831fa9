"""PLOVER <-> ACLED <-> CAMEO: one event coded in three taxonomies at once.

rasd extracts events as PLOVER type + mode. ACLED and CAMEO codes follow from those plus a
little context (who was targeted, who acted, whether force met a protest), so the mapping is
data, not code: `types.tsv` lists the PLOVER types and their valid modes, `plover.tsv` maps
type + mode (+ a condition) to ACLED event type, ACLED sub-event type and CAMEO root code.
docs/TAXONOMY.md explains every choice.

    >>> code("ASSAULT", "aerial")
    Coding(acled_event_type='Explosions/Remote violence', acled_sub_event_type='Air/drone strike', cameo='19')
    >>> code("PROTEST", "demonstrate", intervention=True).acled_sub_event_type
    'Protest with intervention'
    >>> is_core("FIGHT"), modes("FIGHT")
    (True, ('clash', 'capture', 'shelling', 'aerial', 'other'))

Unknown types or modes raise `ValueError` (a lexicon naming a mode that does not exist is a
bug to catch early, not to code silently).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = [
    "Coding",
    "TypeInfo",
    "code",
    "types",
    "modes",
    "is_core",
    "core_types",
    "type_info",
    "acled_event_types",
    "acled_sub_event_types",
]


@dataclass(frozen=True, slots=True)
class Coding:
    """An event's codes in ACLED and CAMEO (None where the taxonomy has no code for it)."""

    acled_event_type: str | None
    acled_sub_event_type: str | None
    cameo: str | None  # CAMEO root code, two characters ("18")


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """What types.tsv says about one PLOVER type."""

    type: str
    core: bool
    family: str  # PLOVER quad class: material/verbal conflict/cooperation
    cameo: str
    modes: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class _Rule:
    """One row of plover.tsv: a condition and the coding it gives."""

    targets: frozenset[str] | None  # None: any target
    actors: frozenset[str] | None
    intervention: bool  # requires intervention
    fatal: bool  # requires fatalities > 0
    coding: Coding
    line: int

    def holds(
        self, target: str | None, actor: str | None, intervention: bool, fatal: bool
    ) -> bool:
        if self.targets is not None and target not in self.targets:
            return False
        if self.actors is not None and actor not in self.actors:
            return False
        if self.intervention and not intervention:
            return False
        return not (self.fatal and not fatal)


class TaxonomyError(ValueError):
    """The taxonomy data files are inconsistent (names the file and line)."""


def _data_dir() -> Path:
    return Path(str(resources.files(__package__)))


def _rows(name: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a TSV with a header row and `#` comments."""
    path = _data_dir() / name
    with path.open(encoding="utf-8", newline="") as handle:
        numbered = [
            (number, line)
            for number, line in enumerate(handle, 1)
            if line.strip() and not line.startswith("#")
        ]
    reader = csv.DictReader((line for _, line in numbered), delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    return [(numbered[i + 1][0], row) for i, row in enumerate(rows)]


@lru_cache(maxsize=1)
def _types() -> dict[str, TypeInfo]:
    table: dict[str, TypeInfo] = {}
    for line, row in _rows("types.tsv"):
        name = row["type"].upper()
        cameo = row["cameo"]
        if not (len(cameo) == 2 and cameo.isdigit()):
            raise TaxonomyError(f"types.tsv line {line}: CAMEO root {cameo!r} is not two digits")
        table[name] = TypeInfo(
            type=name,
            core=row["core"] == "1",
            family=row["family"],
            cameo=cameo,
            modes=tuple(m.strip().lower() for m in row["modes"].split(",") if m.strip()),
            description=row["description"],
        )
    return table


def _parse_when(text: str, line: int) -> dict[str, object]:
    when: dict[str, object] = {"targets": None, "actors": None, "intervention": False, "fatal": False}
    for term in text.split():
        if term == "*":
            continue
        if term == "intervention":
            when["intervention"] = True
        elif term == "fatal":
            when["fatal"] = True
        elif term.startswith(("target=", "actor=")):
            key, _, values = term.partition("=")
            sectors = frozenset(v.upper() for v in values.split("|") if v)
            when["targets" if key == "target" else "actors"] = sectors
        else:
            raise TaxonomyError(f"plover.tsv line {line}: unknown condition {term!r}")
    return when


@lru_cache(maxsize=1)
def _rules() -> dict[tuple[str, str | None], tuple[_Rule, ...]]:
    known = _types()
    rules: dict[tuple[str, str | None], list[_Rule]] = {}
    for line, row in _rows("plover.tsv"):
        name = row["type"].upper()
        mode = row["mode"].lower() or None
        if name not in known:
            raise TaxonomyError(f"plover.tsv line {line}: unknown type {name!r}")
        if mode is not None and mode not in known[name].modes:
            raise TaxonomyError(f"plover.tsv line {line}: {mode!r} is not a mode of {name}")
        cameo = row["cameo"] or known[name].cameo
        if not (len(cameo) == 2 and cameo.isdigit()):
            raise TaxonomyError(f"plover.tsv line {line}: CAMEO root {cameo!r} is not two digits")
        coding = Coding(row["acled_event_type"] or None, row["acled_sub_event_type"] or None, cameo)
        if (coding.acled_event_type is None) != (coding.acled_sub_event_type is None):
            raise TaxonomyError(f"plover.tsv line {line}: ACLED event and sub-event type go together")
        when = _parse_when(row["when"], line)
        rules.setdefault((name, mode), []).append(_Rule(coding=coding, line=line, **when))  # type: ignore[arg-type]
    for info in known.values():
        for mode in (None, *info.modes):
            found = rules.get((info.type, mode), [])
            if not found or not _unconditional(found[-1]):
                raise TaxonomyError(
                    f"plover.tsv: {info.type} {mode or '(no mode)'} needs an unconditional last row"
                )
    return {key: tuple(value) for key, value in rules.items()}


def _unconditional(rule: _Rule) -> bool:
    return rule.targets is None and rule.actors is None and not rule.intervention and not rule.fatal


def _type_key(type: str) -> str:
    name = (type or "").strip().upper()
    if name not in _types():
        raise ValueError(f"unknown PLOVER type {type!r} (known: {', '.join(_types())})")
    return name


def types() -> tuple[str, ...]:
    """All PLOVER event types, in the order of types.tsv (core types first)."""
    return tuple(_types())


def core_types() -> tuple[str, ...]:
    """The types scored as "core": ASSAULT, FIGHT, PROTEST, COERCE."""
    return tuple(name for name, info in _types().items() if info.core)


def modes(type: str) -> tuple[str, ...]:
    """Valid modes of `type` (empty for types that take no mode). Raises ValueError if unknown."""
    return _types()[_type_key(type)].modes


def is_core(type: str) -> bool:
    """True for ASSAULT, FIGHT, PROTEST, COERCE; False for other and unknown types."""
    info = _types().get((type or "").strip().upper())
    return bool(info and info.core)


def type_info(type: str) -> TypeInfo:
    return _types()[_type_key(type)]


def code(
    type: str,
    mode: str | None,
    *,
    target_sector: str | None = None,
    actor_sector: str | None = None,
    intervention: bool = False,
    fatalities: int | None = None,
) -> Coding:
    """ACLED and CAMEO codes of a PLOVER event.

    `target_sector` is actor2's sector (an ASSAULT by gunfire on soldiers is a battle for
    ACLED, on civilians an attack); `actor_sector` is actor1's (who captured territory);
    `intervention` says force met a PROTEST, and with `fatalities` > 0 that is ACLED's
    "Excessive force against protesters". Raises ValueError for an unknown type or a mode the
    type does not have.
    """
    name = _type_key(type)
    key_mode = (mode or "").strip().lower() or None
    if key_mode is not None and key_mode not in _types()[name].modes:
        raise ValueError(f"{mode!r} is not a mode of {name} (modes: {', '.join(_types()[name].modes)})")
    target = target_sector.upper() if target_sector else None
    actor = actor_sector.upper() if actor_sector else None
    fatal = bool(fatalities and fatalities > 0)
    for rule in _rules()[(name, key_mode)]:
        if rule.holds(target, actor, intervention, fatal):
            return rule.coding
    raise AssertionError("unreachable: the last rule is unconditional")  # checked at load


@lru_cache(maxsize=1)
def acled_event_types() -> frozenset[str]:
    """Every ACLED event type the mapping can produce."""
    return frozenset(
        r.coding.acled_event_type for rs in _rules().values() for r in rs if r.coding.acled_event_type
    )


@lru_cache(maxsize=1)
def acled_sub_event_types() -> frozenset[str]:
    """Every ACLED sub-event type the mapping can produce."""
    return frozenset(
        r.coding.acled_sub_event_type
        for rs in _rules().values()
        for r in rs
        if r.coding.acled_sub_event_type
    )
