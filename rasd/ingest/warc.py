"""WARC reader (`.warc`, `.warc.gz`): each HTML `response` record becomes one document.

Web archives such as Common Crawl's CC-NEWS are read with fastwarc, streaming (a 1 GB
file is never in memory; one record's block is, bounded by `ReadLimits.max_bytes`). The
page's main text and metadata come from rasd.ingest.html; the record's
`WARC-Target-URI` is the document URL and its `WARC-Date` the publication date when the
page's own metadata has none. Records that are not successful HTML responses (requests,
metadata, redirects, images, PDFs) are skipped.

A damaged archive fails record by record, never as a whole: a record shorter than its
`Content-Length`, whose block digest does not match, or whose HTTP head is broken is a
`Failure` naming its byte offset (origin "file.warc.gz:offset 1234"); after unreadable
bytes (a corrupt gzip member, a header that is not a WARC header) reading resumes at the
next record that parses, and the skipped region is a failure of its own.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from rasd.document import Failure
from rasd.ingest import html
from rasd.ingest.base import Item, ReadLimits, failure, os_reason, read_opened

log = logging.getLogger(__name__)

_WARC_MAGIC = b"WARC/1."
_GZIP_MAGIC = b"\x1f\x8b\x08"
_SCAN_CHUNK = 1 << 20
_HEAD_SLACK = 64 * 1024  # HTTP headers on top of a payload of max_bytes
_DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "md5": hashlib.md5}
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)


def sniff(head: bytes) -> bool:
    """An uncompressed WARC starts with its version line (a .warc.gz is known by its suffix)."""
    return head.startswith(_WARC_MAGIC)


def record_origin(origin: str, offset: int) -> str:
    return f"{origin}:offset {offset}"


@dataclass(slots=True)
class _Cursor:
    """Where reading stands: the last record start seen, and whether it already failed."""

    last_start: int = -1
    last_failed: bool = False


def read_path(path: Path, origin: str, limits: ReadLimits) -> Iterator[Item]:
    yield from read_from(path, origin, limits, 0)


def read_stream(stream: BinaryIO, origin: str, limits: ReadLimits) -> Iterator[Item]:
    """A WARC on a pipe is copied to a temporary file first (fastwarc and resuming after
    damage both need to seek); the copy is deleted when reading ends."""
    if stream.seekable():
        yield from _read_seekable(stream, origin, limits)
        return
    with tempfile.TemporaryFile(prefix="rasd-warc-") as spool:
        try:
            shutil.copyfileobj(stream, spool, _SCAN_CHUNK)
        except OSError as error:
            yield failure(origin, os_reason(error))
            return
        spool.seek(0)
        yield from _read_seekable(spool, origin, limits)


def read_range(path: str | os.PathLike[str], origin: str, limits: ReadLimits, start: int, count: int) -> Iterator[Item]:
    """The documents of `count` records from byte offset `start` (a record start): the unit
    of work when a big archive is split between Spark tasks (see rasd.scale.spark)."""
    from fastwarc.warc import ArchiveIterator

    def records(handle: BinaryIO) -> Iterator[Item]:
        seen = 0
        try:
            for record in ArchiveIterator(handle, parse_http=False):
                if seen == count:
                    return
                seen += 1
                item = _record_item(record, origin, limits)
                if item is not None:
                    yield item
        except OSError as error:
            yield failure(record_origin(origin, start), f"unreadable WARC data in this part ({_short(error)})")

    yield from read_opened(path, origin, records, start)


def read_from(path: str | os.PathLike[str], origin: str, limits: ReadLimits, start: int) -> Iterator[Item]:
    """Every document from byte offset `start` (a record start) to the end, resuming after
    damage as `read_path` does: the last unit of a split archive whose index scan stopped."""
    yield from read_opened(path, origin, lambda handle: _read_seekable(handle, origin, limits), start)


def record_offsets(path: str | os.PathLike[str]) -> tuple[list[int], bool]:
    """Start offsets of the records of a WARC (to split it), and whether the scan reached
    the end (False: it stopped at unreadable data after the last offset listed)."""
    from fastwarc.warc import ArchiveIterator

    offsets: list[int] = []
    with open(path, "rb") as handle:
        try:
            for record in ArchiveIterator(handle, parse_http=False):
                offsets.append(record.stream_pos)
        except BaseException as error:  # OSError, or a panic inside fastwarc
            if not isinstance(error, OSError) and not _is_panic(error):
                raise
            return offsets, False
    return offsets, True


def _read_seekable(handle: BinaryIO, origin: str, limits: ReadLimits) -> Iterator[Item]:
    base = handle.tell()
    compressed = handle.read(2) == _GZIP_MAGIC[:2]
    handle.seek(base)
    cursor = _Cursor()
    while True:
        try:
            yield from _records(handle, origin, limits, cursor)
            return
        except OSError as error:
            reason = _short(error)
        except BaseException as error:  # a panic inside fastwarc (pyo3 PanicException)
            if not _is_panic(error):
                raise
            reason = f"WARC parser error: {_short(error)}"
        start = max(cursor.last_start + 1, base)
        resumed = yield from _resync(handle, origin, start, compressed, reason, cursor)
        if resumed is None:
            return
        handle.seek(resumed)


def _resync(
    handle: BinaryIO, origin: str, start: int, compressed: bool, reason: str, cursor: _Cursor
) -> Iterator[Item]:
    """After unreadable bytes: report them and find the next record that reads (or None)."""
    from fastwarc.warc import ArchiveIterator

    first = True
    position = start
    while True:
        candidate = _next_candidate(handle, position, compressed)
        if candidate is None:
            if first and not cursor.last_failed:
                where = f"after the record at offset {cursor.last_start}" if cursor.last_start >= 0 else "at its start"
                yield failure(record_origin(origin, max(cursor.last_start, 0)), f"truncated or corrupt data {where} ({reason})")
            return None
        handle.seek(candidate)
        try:
            next(iter(ArchiveIterator(handle, parse_http=False)))
        except StopIteration:
            return None
        except BaseException as error:  # OSError, or a panic inside fastwarc
            if not isinstance(error, OSError) and not _is_panic(error):
                raise
            if first:  # the record that broke the reading starts here
                yield failure(record_origin(origin, candidate), f"truncated or corrupt record ({_short(error)})")
                cursor.last_failed = True
            first = False
            position = candidate + 1
            continue
        if first and not cursor.last_failed:
            yield failure(
                record_origin(origin, max(cursor.last_start, 0)),
                f"unreadable data between offsets {max(cursor.last_start, 0)} and {candidate} skipped ({reason})",
            )
        log.info("%s: reading resumed at offset %d", origin, candidate)
        return candidate


def _next_candidate(handle: BinaryIO, position: int, compressed: bool) -> int | None:
    """The next offset at or after `position` where a record may start."""
    magic = _GZIP_MAGIC if compressed else _WARC_MAGIC
    handle.seek(position)
    carry = b""
    offset = position
    while True:
        chunk = handle.read(_SCAN_CHUNK)
        if not chunk:
            return None
        data = carry + chunk
        index = 0
        while True:
            found = data.find(magic, index)
            if found < 0:
                break
            if compressed or found == 0 and offset == position or data[found - 1 : found] == b"\n":
                return offset - len(carry) + found
            index = found + 1
        carry = data[-(len(magic) - 1) :]
        offset += len(chunk)


def _records(stream: BinaryIO, origin: str, limits: ReadLimits, cursor: _Cursor) -> Iterator[Item]:
    from fastwarc.warc import ArchiveIterator

    for record in ArchiveIterator(stream, parse_http=False):
        cursor.last_start = record.stream_pos
        cursor.last_failed = False
        item = _record_item(record, origin, limits)
        if item is not None:
            cursor.last_failed = isinstance(item, Failure)
            yield item


def _record_item(record: Any, origin: str, limits: ReadLimits) -> Item | None:
    """The document of one record, its Failure, or None for records that are not pages."""
    from fastwarc.warc import WarcRecordType

    if record.record_type != WarcRecordType.response:
        return None
    here = record_origin(origin, record.stream_pos)
    declared = record.headers.get("Content-Length")
    if declared is None or not declared.strip().isdigit():
        return failure(here, "truncated or corrupt record: no valid Content-Length in its WARC header")
    size = int(declared)
    if size > limits.max_bytes + _HEAD_SLACK:
        return failure(here, f"record of {size:,} bytes, over the size limit of {limits.max_bytes:,} bytes")
    block = record.reader.read(size)
    if len(block) < size:
        return failure(here, f"truncated record: {len(block):,} of {size:,} bytes")
    problem = _digest_problem(record.headers.get("WARC-Block-Digest"), block)
    if problem:
        return failure(here, problem)
    record.set_bytes_content(block)
    try:
        record.parse_http(auto_decode="all")
    except (OSError, ValueError) as error:
        return failure(here, f"bad HTTP response in the record ({_short(error)})")
    status = record.http_headers.status_code if record.http_headers is not None else None
    if status != 200:
        log.debug("%s: HTTP %s response skipped", here, status)
        return None
    target = record.headers.get("WARC-Target-URI")
    media = (record.http_content_type or "").lower() or None
    payload = record.reader.read(limits.max_bytes + 1)
    if media not in (None, *html.MEDIA_TYPES) and not _HTML.search(payload[:1024]):
        log.debug("%s: %s skipped (not a web page)", here, media)
        return None
    date = record.record_date.date().isoformat() if record.record_date else None
    item = html.from_bytes(payload, here, limits, url=target, charset=record.http_charset, fallback_date=date)
    if target and not isinstance(item, Failure):
        item.url = target  # the archive's word for where the page was
    return item


def _digest_problem(header: str | None, block: bytes) -> str | None:
    """Why the block does not match its WARC-Block-Digest (None: matches, or no usable digest)."""
    if not header or ":" not in header:
        return None
    algorithm, _, expected = header.strip().partition(":")
    factory = _DIGESTS.get(algorithm.lower())
    if factory is None:
        return None
    digest = factory(block).digest()
    expected = expected.strip()
    if expected.lower() in (digest.hex(), base64.b16encode(digest).decode().lower()):
        return None
    if expected.upper().rstrip("=") == base64.b32encode(digest).decode().rstrip("="):
        return None
    return f"corrupt record: its {algorithm} block digest does not match (truncated or altered)"


def _is_panic(error: BaseException) -> bool:
    return type(error).__name__ == "PanicException"


def _short(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__
