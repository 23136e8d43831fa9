"""Paragraphs of a scraped page: where lines and blank lines put the breaks.

A paragraph is a run of text between line breaks. A line break is kept as a paragraph
break unless the text was hard-wrapped: the line before does not end a sentence and the
next goes on in lower case ("safety forces\\nconfronted crowds"), or a block of three or
more lines has the same width and no sentence end but the last (Arabic print copies). A
headline line and the lede under it stay two paragraphs.

Spans are into the original text and trimmed of blank characters (white space and the
invisible format characters scrapers leave: zero-width spaces, BOM, direction marks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# White space plus invisible format characters: never the content of a segment.
BLANK = (
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200f\u2028\u2029"
    "\u202a-\u202f\u205f\u2060-\u2069\u3000\ufeff"
)
_CONTENT = re.compile(f"[^{BLANK}]")
_BLANK_CHARS = frozenset(re.findall(f"[{BLANK}]", "".join(map(chr, range(0x3100))))) | {"\ufeff"}
_HEADER = re.compile(f"^[{BLANK}]*((?i:date)[ \t]+\\d{{4}}(?:-\\d{{1,2}}(?:-\\d{{1,2}})?)?)(?=[{BLANK}]|$)")
WRAPPED_LINES = 3  # a hard-wrapped block has at least this many lines
WRAP_MIN_WIDTH = 55  # ... each (but the last) at least this long
WRAP_SHARE = 0.8  # ... and at least this share of the block's longest line
# Characters after which a line may end a sentence (closing quotes and brackets included).
_ENDS_SENTENCE = frozenset(".!?؟…:;؛\"'”’»)]")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph's trimmed span in the original text and its position among paragraphs."""

    start: int
    end: int
    index: int


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without blank characters at either edge; (start, start) if all blank."""
    match = _CONTENT.search(text, start, end)
    if match is None:
        return start, start
    first = match.start()
    while end > first and text[end - 1] in _BLANK_CHARS:
        end -= 1
    return first, end


def is_blank(text: str) -> bool:
    return _CONTENT.search(text) is None


def header_span(text: str) -> tuple[int, int] | None:
    """The `date YYYY[-MM[-DD]]` token a text file may start with (see rasd.ingest.text)."""
    match = _HEADER.match(text)
    return match.span(1) if match else None


def _continues(text: str, previous_end: int, next_start: int) -> bool:
    """True when a single line break sits inside Latin-script text: the line before does
    not end a sentence and the next goes on in lower case."""
    last = text[previous_end - 1]
    first = text[next_start]
    return last.isascii() and last not in _ENDS_SENTENCE and first.islower() and first.isascii()


def _wrapped(text: str, block: list[tuple[int, int]]) -> bool:
    """A block of lines hard-wrapped at a fixed width (common in Arabic e-mail and print
    copies): at least WRAPPED_LINES lines, and every line but the last is about as long as
    the longest and does not end a sentence."""
    if len(block) < WRAPPED_LINES:
        return False
    width = max(end - start for start, end in block)
    floor = max(WRAP_MIN_WIDTH, WRAP_SHARE * width)
    return all(
        end - start >= floor and text[end - 1] not in _ENDS_SENTENCE for start, end in block[:-1]
    )


def paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of `text`, in order, covering every non-blank character."""
    blocks: list[list[tuple[int, int]]] = []  # lines between blank lines
    breaks_since = 2  # line breaks since the last non-blank line
    offset = 0
    for line in text.splitlines(keepends=True):  # \n, \r\n, \r, \v, \f, \x1c-\x1e, \x85, U+2028/9
        line_start, offset = offset, offset + len(line)
        start, end = trim(text, line_start, offset)
        if end > start:
            if blocks and breaks_since == 1:
                blocks[-1].append((start, end))
            else:
                blocks.append([(start, end)])
            breaks_since = 0
        if line.rstrip("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029") != line:
            breaks_since += 1
    result: list[Paragraph] = []
    for block in blocks:
        if _wrapped(text, block):
            result.append(Paragraph(block[0][0], block[-1][1], len(result)))
            continue
        open_start, open_end = block[0]
        for start, end in block[1:]:
            if _continues(text, open_end, start):
                open_end = end
                continue
            result.append(Paragraph(open_start, open_end, len(result)))
            open_start, open_end = start, end
        result.append(Paragraph(open_start, open_end, len(result)))
    return result
