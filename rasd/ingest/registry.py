"""Which reader handles which input: by file suffix, else by sniffing the first bytes.

A reader is a module `rasd.ingest.<name>` with

    read_path(path: Path, origin: str, limits: ReadLimits) -> Iterator[Document | Failure]
    read_stream(stream: BinaryIO, origin: str, limits: ReadLimits) -> Iterator[Document | Failure]
    sniff(head: bytes) -> bool        # only if the spec says `sniffs=True`

Adding a format (HTML, feeds, WARC ...) means writing that module and adding one line to
`READERS`. Modules are imported on first use, so a reader with heavy dependencies costs
nothing until a file of its kind shows up. Text is the fallback for everything else.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import BinaryIO, Protocol

from rasd.ingest.base import Item, ReadLimits

SNIFF_BYTES = 512  # how much of an input sniffers see


class Reader(Protocol):
    def read_path(self, path: Path, origin: str, limits: ReadLimits) -> Iterator[Item]: ...

    def read_stream(self, stream: BinaryIO, origin: str, limits: ReadLimits) -> Iterator[Item]: ...


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    name: str  # module rasd.ingest.<name>
    suffixes: tuple[str, ...]  # lower-case, with the dot; may be compound (".warc.gz")
    sniffs: bool = False  # its module has sniff(head); tried on stdin and unknown suffixes
    in_folders: bool = True  # folder walks pick up files with these suffixes


# Order matters for sniffing (first match wins) and nothing else.
READERS: tuple[ReaderSpec, ...] = (
    ReaderSpec("jsonl", (".jsonl", ".ndjson", ".jsonlines"), sniffs=True),
    ReaderSpec("jsonfile", (".json",)),
    ReaderSpec("warc", (".warc", ".warc.gz"), sniffs=True),
    ReaderSpec("feed", (".rss", ".atom"), sniffs=True),
    ReaderSpec("html", (".html", ".htm", ".xhtml"), sniffs=True),
    ReaderSpec("url", (".urls",), in_folders=False),  # a list of URLs: fetched only when named
    ReaderSpec("text", (".txt", ".text")),
)
FALLBACK = "text"


def spec_for_name(name: str) -> ReaderSpec | None:
    """The reader registered for a file name's suffix (longest match, case-insensitive)."""
    lowered = name.lower()
    best: ReaderSpec | None = None
    best_length = 0
    for spec in READERS:
        for suffix in spec.suffixes:
            if len(suffix) > best_length and lowered.endswith(suffix) and len(lowered) > len(suffix):
                best, best_length = spec, len(suffix)
    return best


def folder_suffixes() -> tuple[str, ...]:
    return tuple(s for spec in READERS if spec.in_folders for s in spec.suffixes)


def sniff(head: bytes) -> str:
    """The name of the reader for content starting with `head` (text if none claims it)."""
    for spec in READERS:
        if spec.sniffs and load(spec.name).sniff(head):
            return spec.name
    return FALLBACK


@lru_cache(maxsize=None)
def load(name: str) -> ModuleType:
    """Import a reader module once."""
    return importlib.import_module(f"rasd.ingest.{name}")
