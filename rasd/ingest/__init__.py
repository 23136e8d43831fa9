"""ingest: turn files, folders and standard input into `Document`s (or `Failure`s).

    >>> from rasd.ingest import read, ReadLimits
    >>> for item in read(["news/", "extra.jsonl", "-"], limits=ReadLimits(max_bytes=5_000_000)):
    ...     ...  # a rasd.document.Document, or a rasd.document.Failure naming file and line

Readers: plain text (rasd.ingest.text), JSON Lines (jsonl), JSON (jsonfile), HTML pages
(html), RSS/Atom feeds (feed), WARC archives (warc), URLs and `.urls` lists (url, over the
polite HTTP client in rasd.ingest.fetch), folders (folder); decoding in rasd.ingest.decode;
which reader reads what in rasd.ingest.registry. A source starting with http:// or https://
is fetched. See docs/SOURCES.md.
"""

from __future__ import annotations

from rasd.ingest.base import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE_CHARS, Item, ReadLimits, parse_size
from rasd.ingest.sources import STDIN, read, read_path, read_stream

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_LINE_CHARS",
    "Item",
    "ReadLimits",
    "STDIN",
    "parse_size",
    "read",
    "read_path",
    "read_stream",
]
