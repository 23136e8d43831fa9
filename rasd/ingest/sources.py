"""The one entry point: any mix of files, folders and `-` (standard input) to documents.

Dispatch: an http(s) URL is fetched (rasd.ingest.url); `-` is standard input (sniffed: JSON Lines if it starts with a JSON object, else
one text document); a folder is walked (rasd.ingest.folder); a file goes to the reader of
its suffix, else to the reader its first bytes call for, else to the text reader. Every
problem comes out as a `Failure` in the stream, in input order, and reading goes on.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from rasd.ingest import registry
from rasd.ingest.base import Item, ReadLimits, failure, os_reason, replay
from rasd.ingest.folder import FolderFile, walk

log = logging.getLogger(__name__)

STDIN = "-"
STDIN_ORIGIN = "<stdin>"


def read(
    sources: Iterable[str | os.PathLike[str]],
    *,
    limits: ReadLimits = ReadLimits(),
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Documents (and failures) from files, folders and `-`, lazily, in input order.

    A source starting with http:// or https:// is fetched (rasd.ingest.url; one HTTP client
    for all of them, so per-host politeness holds across sources). `stdin` replaces
    `sys.stdin.buffer` for `-` (tests, servers).
    """
    fetcher = None
    try:
        for source in sources:
            if isinstance(source, str) and source == STDIN:
                yield from read_stream(stdin if stdin is not None else sys.stdin.buffer, STDIN_ORIGIN, limits)
            elif is_url(source):
                from rasd.ingest.url import fetcher_for, read_url

                fetcher = fetcher or fetcher_for(limits)
                yield from read_url(str(source), limits, fetcher)
            else:
                yield from read_path(source, limits)
    finally:
        if fetcher is not None:
            fetcher.close()


def is_url(source: str | os.PathLike[str]) -> bool:
    """http:// and https:// sources are URLs; everything else is a path."""
    return isinstance(source, str) and source[:8].lower().startswith(("http://", "https://"))


def read_path(path: str | os.PathLike[str], limits: ReadLimits = ReadLimits(), origin: str | None = None) -> Iterator[Item]:
    """Documents from one file or folder."""
    path = Path(path)
    origin = origin or os.fspath(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        yield failure(origin, os_reason(error))
        return
    if stat.S_ISDIR(mode):
        for found in walk(path, origin):
            if isinstance(found, FolderFile):
                yield from _guarded(found.reader, found.path, found.origin, limits)
            else:
                yield found
        return
    spec = registry.spec_for_name(path.name)
    if spec is not None:
        name = spec.name
    else:
        try:
            with open(path, "rb") as handle:
                head = handle.read(registry.SNIFF_BYTES)
        except OSError as error:
            yield failure(origin, os_reason(error))
            return
        name = registry.sniff(head)
    yield from _guarded(name, path, origin, limits)


def read_stream(stream: BinaryIO, origin: str = STDIN_ORIGIN, limits: ReadLimits = ReadLimits()) -> Iterator[Item]:
    """Documents from a byte stream of unknown kind (standard input, an upload)."""
    try:
        head = stream.read(registry.SNIFF_BYTES)
    except OSError as error:
        yield failure(origin, os_reason(error))
        return
    name = registry.sniff(head)
    try:
        yield from registry.load(name).read_stream(replay(head, stream), origin, limits)
    except OSError as error:
        yield failure(origin, os_reason(error))


def _guarded(reader: str, path: Path, origin: str, limits: ReadLimits) -> Iterator[Item]:
    """Run one reader on one file; a bug or OS error in it fails that file, not the batch."""
    try:
        yield from registry.load(reader).read_path(path, origin, limits)
    except OSError as error:
        yield failure(origin, os_reason(error))
    except Exception as error:  # a reader bug must not end the batch
        log.exception("%s: %s reader failed", origin, reader)
        yield failure(origin, f"{reader} reader failed: {type(error).__name__}: {error}")
