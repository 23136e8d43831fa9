"""JSON Lines reader: one document per line, `{"id", "url", "text", "published"}`.

Only `text` is required; `id` becomes `Document.input_id`, `published` becomes
`Document.published_hint`, a string `title` is kept, other keys are ignored. Each document's
origin is "path:line N" so that every message names its line. The file is streamed line by
line: a corpus may be far bigger than memory, and `ReadLimits.max_bytes` bounds each line.
"""

from __future__ import annotations

import codecs
import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from rasd.ingest.base import (
    Item,
    ReadLimits,
    failure,
    make_document,
    os_reason,
    over_size,
    read_opened,
    replay,
)
from rasd.ingest.decode import DecodeError, decode

log = logging.getLogger(__name__)

_LOOKS_LIKE_JSON_OBJECT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\{\s*[\"}]")
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DRAIN_CHUNK = 1 << 20


def sniff(head: bytes) -> bool:
    """Input that starts with a JSON object (`{"` or `{}`) is JSON Lines, not prose."""
    return _LOOKS_LIKE_JSON_OBJECT.match(head) is not None


def json_type(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "null"


def _optional_str(record: dict[str, Any], key: str, *, numbers: bool) -> str | None:
    """record[key] as a string; None if absent or null; ValueError if of the wrong type."""
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    kinds = "a string or a number" if numbers else "a string"
    raise ValueError(f'"{key}" must be {kinds}, not {json_type(value)}')


def from_record(record: Any, origin: str, limits: ReadLimits) -> Item:
    """A Document from one parsed JSON value, or the Failure saying what is wrong with it."""
    if not isinstance(record, dict):
        return failure(origin, f'expected a JSON object with a "text" field, got {json_type(record)}')
    if "text" not in record:
        keys = ", ".join(sorted(record)[:8]) or "none"
        return failure(origin, f'no "text" field (keys: {keys})')
    text = record["text"]
    if not isinstance(text, str):
        return failure(origin, f'"text" must be a string, not {json_type(text)}')
    try:
        input_id = _optional_str(record, "id", numbers=True)
        url = _optional_str(record, "url", numbers=False)
        published = _optional_str(record, "published", numbers=True)
    except ValueError as error:
        return failure(origin, str(error))
    title = record.get("title")
    return make_document(
        text,
        origin,
        limits,
        input_id=input_id,
        url=url,
        published_hint=published,
        title=title if isinstance(title, str) else None,
    )


def from_line(line: str, origin: str, limits: ReadLimits) -> Item:
    try:
        record = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as error:
        return failure(origin, f"not valid JSON: {error.msg} (column {error.colno})")
    except RecursionError:
        return failure(origin, "not valid JSON: nested too deeply")
    return from_record(record, origin, limits)


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode(raw).text  # Windows-1256 lines, or a DecodeError with the offset


def line_item(raw: bytes, origin: str, limits: ReadLimits, *, first: bool = False) -> Item | None:
    """The document (or failure) of one raw line (UTF-8, else Windows-1256); None if blank.

    Shared with the Spark job, which splits JSON Lines files itself."""
    if first and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if raw.isspace() or not raw:
        return None
    size = len(raw.rstrip(b"\r\n"))
    if size > limits.max_bytes:
        return failure(origin, over_size(size, limits))
    try:
        line = _decode_line(raw)
    except DecodeError as error:
        return failure(origin, error.reason)
    return from_line(line, origin, limits)


def read_lines(
    stream: BinaryIO, origin: str, limits: ReadLimits, *, first_number: int = 1, count: int | None = None
) -> Iterator[Item]:
    """`count` lines (all if None) of a UTF-8 JSON Lines stream positioned at the start of
    line `first_number`: how the Spark job reads its share of a big file."""
    yield from _utf8_lines(stream, origin, limits, first_number - 1, count)


def line_offsets(path: str | Path, every: int) -> list[tuple[int, int]]:
    """(byte offset, line number) of line 1, 1 + every, 1 + 2 * every, ...: split points."""
    points = [(0, 1)]
    line = 1
    offset = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_DRAIN_CHUNK):
            start = 0
            while (found := chunk.find(b"\n", start)) >= 0:
                line += 1
                start = found + 1
                if (line - 1) % every == 0:
                    points.append((offset + start, line))
            offset += len(chunk)
    if points[-1][0] >= offset and len(points) > 1:
        points.pop()  # a split point at the very end: no line there
    return points


def _utf8_lines(
    stream: BinaryIO, origin: str, limits: ReadLimits, skipped: int = 0, count: int | None = None
) -> Iterator[Item]:
    number = skipped
    blank = 0
    while count is None or number - skipped < count:
        raw = stream.readline(limits.max_bytes + 1)
        if not raw:
            break
        number += 1
        here = f"{origin}:line {number}"
        if len(raw) > limits.max_bytes and not raw.endswith(b"\n"):
            size = len(raw)
            while chunk := stream.readline(_DRAIN_CHUNK):  # skip the rest of this line
                size += len(chunk)
                if chunk.endswith(b"\n"):
                    break
            yield failure(here, over_size(size, limits))
            continue
        item = line_item(raw, here, limits, first=number == 1)
        if item is None:
            blank += 1
            continue
        yield item
    if blank:
        log.info("%s: %d blank line(s) ignored", origin, blank)


def _wide_lines(stream: BinaryIO, encoding: str, origin: str, limits: ReadLimits) -> Iterator[Item]:
    """JSON Lines in UTF-16/32 (with a BOM): rare, decoded as a text stream."""
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    number = 0
    try:
        while line := text.readline(limits.max_bytes + 1):
            number += 1
            here = f"{origin}:line {number}"
            if len(line) > limits.max_bytes and not line.endswith("\n"):
                while (rest := text.readline(_DRAIN_CHUNK)) and not rest.endswith("\n"):
                    pass
                yield failure(here, over_size(len(line), limits, exact=False))
                continue
            if line.strip():
                yield from_line(line, here, limits)
    except UnicodeDecodeError:
        yield failure(f"{origin}:line {number + 1}", f"undecodable bytes (not valid {encoding.upper()})")
    finally:
        text.detach()


def read_stream(stream: BinaryIO, origin: str, limits: ReadLimits) -> Iterator[Item]:
    if stream.seekable():
        start = stream.tell()
        head = stream.read(4)
        stream.seek(start)
    else:
        head = stream.read(4)
        stream = replay(head, stream)
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            yield from _wide_lines(stream, encoding, origin, limits)
            return
    yield from _utf8_lines(stream, origin, limits)


def read_path(path: Path, origin: str, limits: ReadLimits) -> Iterator[Item]:
    def lines(handle: BinaryIO) -> Iterator[Item]:
        try:
            yield from read_stream(handle, origin, limits)
        except OSError as error:  # e.g. an I/O error halfway through
            yield failure(origin, os_reason(error))

    yield from read_opened(path, origin, lines)
