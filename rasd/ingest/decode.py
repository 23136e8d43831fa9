"""Bytes to text for the encodings Arabic and English news actually come in.

Order: a byte-order mark decides (UTF-32, UTF-16, UTF-8); NUL bytes without one mean a
binary file; then strict UTF-8; then Windows-1256, still common on Arabic sites, accepted
only when the result reads as Arabic (cp1256 maps almost every byte to *something*, so
without that check any Latin-1 or binary file would "decode"). The text is otherwise kept
exactly as decoded: no line-ending or Unicode normalisation, only the BOM goes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# A cp1256 decoding is accepted when nearly all its non-ASCII characters are Arabic letters
# in words (runs of two or more: a stray byte in an English file gives a lone letter) or
# the typographic marks cp1256 text uses (no-break space, guillemets, dashes, curly quotes,
# ellipsis, zero-width joiners and direction marks, × ÷).
_ARABIC_WORDS = re.compile(r"[\u0600-\u06ff]{2,}")
_MARKS = re.compile("[\u00a0\u00ab\u00bb\u00d7\u00f7\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u200c-\u200f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MIN_PLAUSIBLE_SHARE = 0.9


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept; `reason` says why for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16-le", ..., "cp1256"


def _undecodable(offset: int) -> DecodeError:
    return DecodeError(
        f"undecodable bytes at offset {offset} (not UTF-8, UTF-16 or Windows-1256)"
    )


def looks_arabic(text: str) -> bool:
    """True if a cp1256 decoding reads as Arabic text rather than mojibake."""
    arabic = sum(len(word) for word in _ARABIC_WORDS.findall(text))
    if arabic == 0:
        return False
    non_ascii = len(_NON_ASCII.findall(text))
    marks = len(_MARKS.findall(text))
    return arabic + marks >= _MIN_PLAUSIBLE_SHARE * non_ascii


def decode(data: bytes) -> Decoded:
    """Decode one document's bytes, or raise DecodeError with a reason naming the offset."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return Decoded(body.decode(encoding), "utf-8-sig" if encoding == "utf-8" else encoding)
            except UnicodeDecodeError as error:
                raise _undecodable(len(bom) + error.start) from None
    if b"\x00" in data:
        raise DecodeError("binary file (NUL bytes and no UTF-16 byte-order mark)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        offset = error.start
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        raise _undecodable(offset) from None
    if looks_arabic(text):
        return Decoded(text, "cp1256")
    raise _undecodable(offset)
