"""`.json` reader: one object `{"text", ...}`, or an array of them, or (a common mislabel)
JSON Lines saved as `.json`. Fields as in JSON Lines (see rasd.ingest.jsonl).

The whole file is parsed at once, so `ReadLimits.max_bytes` bounds the file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

from rasd.ingest import jsonl
from rasd.ingest.base import Item, ReadLimits, failure, whole_input_readers
from rasd.ingest.decode import DecodeError, decode


def from_bytes(data: bytes, origin: str, limits: ReadLimits) -> Iterator[Item]:
    try:
        text = decode(data).text
    except DecodeError as error:
        yield failure(origin, error.reason)
        return
    if not text.strip():
        yield failure(origin, "empty document")
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":  # several values: JSON Lines under a .json name
            yield from jsonl.read_stream(io.BytesIO(text.encode("utf-8")), origin, limits)
            return
        yield failure(origin, f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
        return
    except RecursionError:
        yield failure(origin, "not valid JSON: nested too deeply")
        return
    if isinstance(value, list):
        if not value:
            yield failure(origin, "empty JSON array: no documents")
        for number, record in enumerate(value, start=1):
            yield jsonl.from_record(record, f"{origin}:item {number}", limits)
        return
    yield jsonl.from_record(value, origin, limits)


read_path, read_stream = whole_input_readers(from_bytes)
