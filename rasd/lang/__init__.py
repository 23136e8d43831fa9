"""Language packs: everything specific to a language is data in `rasd/lang/<code>/`.

Each pack is a folder of UTF-8 TSV files with a header row; lines starting with `#` are
comments. The code that reads them is shared, so adding a language means adding a folder,
and adding a lexicon entry means adding a line.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from pathlib import Path

Row = dict[str, str]


def _pack_dir() -> Path:
    return Path(str(resources.files(__package__)))


@lru_cache(maxsize=None)
def languages() -> tuple[str, ...]:
    """Codes of the installed language packs (folders with at least one table)."""
    root = _pack_dir()
    return tuple(
        sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.tsv")))
    )


@lru_cache(maxsize=None)
def table(language: str, name: str) -> tuple[Row, ...]:
    """Rows of `rasd/lang/<language>/<name>.tsv`; empty when the pack lacks that table."""
    path = _pack_dir() / language / f"{name}.tsv"
    if not path.exists():
        return ()
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        return tuple({k: (v or "").strip() for k, v in row.items() if k} for row in reader)


def all_tables(name: str) -> dict[str, tuple[Row, ...]]:
    """The table `name` from every language pack that has it, by language code."""
    return {code: rows for code in languages() if (rows := table(code, name))}
