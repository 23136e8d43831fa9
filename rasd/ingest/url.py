"""URLs and URL lists: fetch (rasd.ingest.fetch), then read what came back.

A source that starts with `http://` or `https://` is a URL (rasd.ingest.sources sends it
here). A file ending in `.urls` is a list of URLs, one per line; blank lines and lines
starting with `#` are ignored. What a URL gives is read by its media type, else by its
first bytes: a web page (rasd.ingest.html), an RSS/Atom feed (rasd.ingest.feed, whose
items are fetched in turn), plain text, JSON Lines, or a WARC file. Every document's origin
is its URL; each URL that cannot be fetched or read is a failure naming it.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from rasd.document import Failure
from rasd.ingest import feed, html, registry
from rasd.ingest.base import Item, ReadLimits, failure, os_reason, over_size, read_bounded
from rasd.ingest.fetch import FetchConfig, Fetcher, FetchError
from rasd.ingest.sources import is_url

log = logging.getLogger(__name__)

ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
_TEXT_TYPES = ("text/plain",)
_JSONL_TYPES = ("application/jsonl", "application/x-ndjson", "application/jsonlines", "application/json-lines")
_WARC_TYPES = ("application/warc",)


def fetcher_for(limits: ReadLimits) -> Fetcher:
    return Fetcher(limits.fetch or FetchConfig())


def read_url(url: str, limits: ReadLimits, fetcher: Fetcher) -> Iterator[Item]:
    """The documents at one URL (one page, or one per item of a feed)."""
    try:
        fetched = fetcher.get(url, max_bytes=limits.max_bytes, accept=ACCEPT)
    except FetchError as error:
        yield failure(url, error.reason)
        return
    yield from read_fetched(url, fetched.content, fetched.media_type, fetched.charset, fetched.url, limits, fetcher)


def read_fetched(
    origin: str,
    content: bytes,
    media_type: str | None,
    charset: str | None,
    final_url: str,
    limits: ReadLimits,
    fetcher: Fetcher | None,
) -> Iterator[Item]:
    """Read a fetched body by its media type (else by sniffing its first bytes)."""
    head = content[: registry.SNIFF_BYTES]
    if not content.strip():
        yield failure(origin, f"{final_url} sent an empty body")
        return
    follow = fetcher if fetcher is not None and fetcher.config.follow_links else None
    if feed.sniff(head):  # whatever the server calls it (feeds are often served as text/html)
        yield from feed.from_bytes(content, origin, limits, url=final_url, fetcher=follow)
    elif media_type in html.MEDIA_TYPES or html.sniff(head):
        yield html.from_bytes(content, origin, limits, url=final_url, charset=charset)
    elif media_type in feed.MEDIA_TYPES:
        yield failure(origin, f"{final_url} is {media_type} but neither a feed nor a web page")
    elif media_type in _WARC_TYPES or registry.load("warc").sniff(head):
        yield from registry.load("warc").read_stream(io.BytesIO(content), origin, limits)
    elif media_type in _JSONL_TYPES:
        yield from registry.load("jsonl").read_stream(io.BytesIO(content), origin, limits)
    elif media_type is None or media_type in _TEXT_TYPES:
        item = registry.load("text").from_bytes(content, origin, limits)
        if not isinstance(item, Failure):
            item.url = final_url
        yield item
    else:
        yield failure(origin, f"{final_url} is {media_type}, not something rasd reads (web page, feed, text)")


def urls_in(lines: Iterable[str], origin: str) -> Iterator[tuple[str, str] | Failure]:
    """(URL, origin) for each URL line of a list; a failure for each line that is not one."""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            yield failure(f"{origin}:line {number}", f"not an http(s) URL: {line[:100]!r}")
            continue
        yield line, f"{origin}:line {number}"


def _read_list(data: bytes, origin: str, limits: ReadLimits) -> Iterator[Item]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield failure(origin, f"a URL list must be UTF-8 (undecodable byte at offset {error.start})")
        return
    with fetcher_for(limits) as fetcher:
        for entry in urls_in(text.splitlines(), origin):
            if isinstance(entry, Failure):
                yield entry
            else:
                yield from read_url(entry[0], limits, fetcher)


def read_path(path: Path, origin: str, limits: ReadLimits) -> Iterator[Item]:
    """A `.urls` file: every URL in it, fetched and read."""
    data = read_bounded(path, origin, limits)
    if isinstance(data, Failure):
        yield data
        return
    yield from _read_list(data, origin, limits)


def read_stream(stream: BinaryIO, origin: str, limits: ReadLimits) -> Iterator[Item]:
    try:
        data = stream.read(limits.max_bytes + 1)
    except OSError as error:
        yield failure(origin, os_reason(error))
        return
    if len(data) > limits.max_bytes:
        yield failure(origin, over_size(len(data), limits, exact=False))
        return
    yield from _read_list(data, origin, limits)
