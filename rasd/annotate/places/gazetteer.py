"""The gazetteer at run time: name keys in memory, place ids and rows read on demand.

The recogniser tests every n-gram of a text against the set of name keys (~180k), so the
keys are held in memory; they are stored by first character (one newline-separated text
each) and each group is read and made a set when a key starting with that character is
first asked about: an Arabic text never loads most of the ~175k Latin keys, and opening
costs next to nothing. The place ids of a key that matches, and the place rows, are read
from SQLite when first asked for and kept.
"""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rasd.annotate.places.keys import name_key

log = logging.getLogger(__name__)

_BASE = {"country": 9.0, "admin1": 6.5, "site": 6.0, "admin2": 4.0}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name can refer to."""

    id: int  # row in the index (stable within one index build only)
    geonameid: int | str  # GeoNames id, or the supplement's id ("rasd:green-zone")
    name: str  # English canonical name
    admin1: str | None
    admin2: str | None
    country: str | None  # ISO 3166-1 alpha-3
    lat: float | None
    lon: float | None
    precision: str  # site | city | admin2 | admin1 | country
    feature_class: str  # GeoNames class: A (admin/country), P (populated place), S (site)
    population: int
    parent: str | None

    @property
    def prior(self) -> float:
        """How likely a bare mention of the name means this entry, before context."""
        if self.precision == "city":
            return math.log10(max(self.population, 1000))  # GeoNames lacks some populations
        base = _BASE.get(self.precision, 4.0)
        if self.precision == "admin2" and self.population:
            base = max(base, math.log10(self.population) - 1.0)
        return base


class KeySet:
    """A set of keys stored in the index by first character (`meta` rows '<kind>/<c>',
    see `build`), each group loaded on first use."""

    __slots__ = ("_gazetteer", "_kind", "_groups")

    def __init__(self, gazetteer: "Gazetteer", kind: str):
        self._gazetteer = gazetteer
        self._kind = kind
        self._groups: dict[str, frozenset[str]] = {}

    def __contains__(self, key: str) -> bool:
        group = self._groups.get(key[:1])
        if group is None:
            group = self._load(key[:1])
        return key in group

    def _load(self, first: str) -> frozenset[str]:
        row = self._gazetteer._db().execute("SELECT v FROM meta WHERE k = ?", (f"{self._kind}/{first}",)).fetchone()
        text = row[0].decode("utf-8") if row and row[0] else ""
        group = self._groups[first] = frozenset(text.split("\n")) if text else frozenset()
        return group


def _ident(gid: str) -> int | str:
    return int(gid) if gid.isdigit() else gid


class Gazetteer:
    """Name -> candidate places, from the index built by `rasd.annotate.places.build`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        db = self._db()
        self.keys = KeySet(self, "keys")  # `key in keys`: does some place have a name with this key?
        self.prefixes = KeySet(self, "prefixes")  # proper token prefixes of multi-word keys ("abu")
        focus = db.execute("SELECT v FROM meta WHERE k = 'focus'").fetchone()
        self.focus: frozenset[str] = frozenset((focus[0] if focus else "").split())
        self._places: dict[int, Candidate] = {}
        # what was read from SQLite, kept: a batch asks about the same few thousand names
        self._ids: dict[str, tuple[int, ...]] = {}
        self._candidates: dict[str, tuple[Candidate, ...]] = {}
        self._countries: dict[str, Candidate | None] = {}

    def _db(self) -> sqlite3.Connection:
        """One read-only connection per thread and process (forked workers reopen)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    # -- keys
    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def ids(self, key: str) -> tuple[int, ...]:
        """Rows of the places that have a name with this key, in row order."""
        if key not in self.keys:
            return ()
        found = self._ids.get(key)
        if found is None:
            rows = self._db().execute("SELECT place FROM name WHERE key = ? ORDER BY place", (key,))
            found = self._ids[key] = tuple(r[0] for r in rows)
        return found

    # -- places
    def place(self, row: int) -> Candidate:
        cached = self._places.get(row)
        if cached is None:
            r = self._db().execute(
                "SELECT id, gid, name, admin1, admin2, country, lat, lon, precision, fclass,"
                " population, parent FROM place WHERE id = ?",
                (row,),
            ).fetchone()
            cached = Candidate(r[0], _ident(r[1]), *r[2:])
            self._places[row] = cached
        return cached

    def candidates(self, key: str) -> list[Candidate]:
        """Entries whose names have this key, most likely first."""
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = tuple(
                sorted((self.place(i) for i in self.ids(key)), key=lambda c: -c.prior)
            )
        return list(found)

    def lookup(self, name: str, country: str | None = None) -> list[Candidate]:
        """Entries a name (any spelling, Arabic or Latin) may refer to, most likely first;
        with `country` (ISO alpha-3), only those in that country."""
        found = self.candidates(name_key(name))
        if country:
            found = [c for c in found if c.country == country.upper()]
        return found

    def get(self, geonameid: int | str) -> Candidate | None:
        """The entry with this GeoNames id or supplement id."""
        r = self._db().execute("SELECT id FROM place WHERE gid = ? LIMIT 1", (str(geonameid),)).fetchone()
        return self.place(r[0]) if r else None

    def country(self, iso3: str) -> Candidate | None:
        if iso3 not in self._countries:
            r = self._db().execute(
                "SELECT id FROM place WHERE precision = 'country' AND country = ? LIMIT 1", (iso3,)
            ).fetchone()
            self._countries[iso3] = self.place(r[0]) if r else None
        return self._countries[iso3]


def _lock(path: Path):
    import fcntl

    handle = open(path, "w")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def ensure_index() -> Path:
    """The index path, building it first when missing (one builder at a time)."""
    from rasd.annotate.places import build

    path = build.index_path()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = _lock(path.with_suffix(".lock"))
    try:
        if not path.exists():
            log.info("building the gazetteer index at %s (once)", path)
            build.build(path)
    finally:
        lock.close()
    return path


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use if the cache has none."""
    return Gazetteer(ensure_index())
