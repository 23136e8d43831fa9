"""Plain-text reader: one file (or stream) is one document, its text exactly as decoded.

An optional first line `date YYYY[-MM[-DD]]` (leading spaces allowed) stays in the text:
the text stage reads the publication date from there, and spans stay true to the file.
"""

from __future__ import annotations

import logging

from rasd.ingest.base import Item, ReadLimits, failure, make_document, whole_input_readers
from rasd.ingest.decode import DecodeError, decode

log = logging.getLogger(__name__)


def from_bytes(data: bytes, origin: str, limits: ReadLimits) -> Item:
    """One document from the bytes of a text file."""
    try:
        decoded = decode(data)
    except DecodeError as error:
        return failure(origin, error.reason)
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        log.debug("%s: decoded as %s", origin, decoded.encoding)
    return make_document(decoded.text, origin, limits)


read_path, read_stream = whole_input_readers(from_bytes)
