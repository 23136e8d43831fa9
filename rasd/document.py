"""The stand-off document model that every pipeline stage shares.

A `Document` keeps the text exactly as it was read. Everything found in it later
(segments, annotations, evidence) is a character span into that text, so a user can
always see the original words behind any field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range [start, end) into a document's original text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start


class SegmentKind(StrEnum):
    """What voice a piece of a scraped page speaks in."""

    BODY = "body"  # the article's own voice (headline included)
    POST = "post"  # an embedded social-media post
    QUOTE = "quote"  # a quotation set off on its own
    CAPTION = "caption"  # image or video caption
    BOILERPLATE = "boilerplate"  # teasers, related headlines, widgets, share text, debris


@dataclass(frozen=True, slots=True)
class PostInfo:
    """Attribution of an embedded social-media post."""

    author: str | None = None
    handle: str | None = None
    date: str | None = None  # ISO date (YYYY-MM-DD) when the attribution line gives one
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence-sized piece of the document with its kind and language."""

    start: int
    end: int
    kind: SegmentKind
    language: str
    paragraph: int
    post: PostInfo | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def text(self, document: "Document") -> str:
        return document.text[self.start : self.end]


class DatePrecision(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class PublicationDate:
    """When a document was published, how precisely we know it, and from where."""

    value: dt.date  # first day of the month/year for coarser precisions
    precision: DatePrecision
    source: str  # "header", "url", "dateline", "post", "metadata", "input"
    evidence: Span | None = None

    def iso(self) -> str:
        if self.precision is DatePrecision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision is DatePrecision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()


def document_id(text: str) -> str:
    """Stable id: a hash of the text after Unicode and whitespace normalisation.

    The same article read twice (other encoding, other line endings) gets the same id,
    which is what makes ingesting twice a no-op.
    """
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]


@dataclass(slots=True)
class Document:
    """One input document as read, before any analysis."""

    text: str
    url: str | None = None
    origin: str = "<unknown>"  # where it came from, for messages: "path", "path:line 7", "<stdin>"
    input_id: str | None = None  # the id the input gave, if any
    published_hint: str | None = None  # a publication date the input declared (e.g. a JSON field)
    title: str | None = None
    id: str = field(default="")
    language_hint: str | None = None  # a language the input declared (HTML lang, feed language)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = document_id(self.text)

    @property
    def label(self) -> str:
        """The name people know this document by: the input's id, else ours."""
        return self.input_id or self.id


@dataclass(frozen=True, slots=True)
class Failure:
    """A document (or part of an input) that could not be processed, and why."""

    origin: str
    stage: str  # "read", "segment", "extract", "store", ...
    reason: str
    document_id: str | None = None

    def message(self) -> str:
        return f"{self.origin}: {self.stage} failed: {self.reason}"
