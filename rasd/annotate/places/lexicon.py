"""The language data the place recogniser reads, merged over every language pack.

- place_clitics.tsv: proclitics peeled off a token (و، ب، لل→ال ...), by layer;
- place_cues.tsv: type words (محافظة, province), locatives (في, in), person titles (الشيخ);
- place_stoplist.tsv: common words that are also gazetteer names (الأحد, "Of"), and
  multi-word names of things that are not places ("Washington Post");
- demonyms.tsv: nationality words -> ISO alpha-3 (العراقي -> IRQ).

The merged lexicon is pickled into the rasd cache folder (`rasd.cache`), keyed by the
language data and the code that folds its forms, and read back by later processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rasd import lang
from rasd.annotate.places.keys import name_key
from rasd.text.normalize import normalize_term


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str  # type | locative | person
    precision: str | None  # for type words: the precision of the place it names


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity (one per process)
class Lexicon:
    clitic_layers: tuple[tuple[tuple[str, str], ...], ...]  # ((prefix, replacement), ...) per layer
    cues: dict[str, Cue]  # normalised single word -> cue
    stop: dict[str, str]  # match key -> "never" | "cue"
    demonyms: dict[str, tuple[str, bool]]  # key -> (ISO3, case-sensitive)
    demonym_prefixes: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, from the cache folder when it is up to date, else built and cached."""
    from rasd import __version__
    from rasd.annotate.places import keys
    from rasd.cache import cached, fingerprint, lang_files
    from rasd.text import normalize

    key = fingerprint(
        __version__, Path(__file__), Path(keys.__file__), Path(normalize.__file__), Path(lang.__file__), lang_files()
    )
    return cached("places-lexicon", key, build_lexicon)


def build_lexicon() -> Lexicon:
    """Merge the place tables of every language pack (see the module docstring)."""
    layers: dict[int, list[tuple[str, str]]] = {}
    for rows in lang.all_tables("place_clitics").values():
        for row in rows:
            prefix = normalize_term(row["prefix"])
            if prefix:
                layer = int(row.get("layer") or 1)
                layers.setdefault(layer, []).append((prefix, normalize_term(row.get("replace", ""))))
    clitic_layers = tuple(
        tuple(sorted(layers[n], key=lambda p: -len(p[0]))) for n in sorted(layers)
    )

    cues: dict[str, Cue] = {}
    for rows in lang.all_tables("place_cues").values():
        for row in rows:
            form = normalize_term(row["form"])
            if form and form not in cues:
                cues[form] = Cue(row["kind"], row.get("precision") or None)

    stop: dict[str, str] = {}
    for rows in lang.all_tables("place_stoplist").values():
        for row in rows:
            key = name_key(row["form"])
            if key:
                stop[key] = row.get("kind") or "cue"

    demonyms: dict[str, tuple[str, bool]] = {}
    for rows in lang.all_tables("demonyms").values():
        for row in rows:
            form = row["form"]
            key = name_key(form)
            letters = [c for c in form if c.isalpha()]
            exact = bool(letters) and all(c.isupper() for c in letters) and form.isascii()
            if key and key not in demonyms:
                demonyms[key] = (row["country"].upper(), exact)
    prefixes = frozenset(
        " ".join(parts[:n])
        for key in demonyms
        if " " in key
        for parts in [key.split(" ")]
        for n in range(1, len(parts))
    )
    return Lexicon(clitic_layers, cues, stop, demonyms, prefixes)
