"""The text stage: from a raw scraped report to a prepared document.

`prepare(document)` cuts the text into segments (sentence-sized spans of the original
text, each with a kind — body, post, quote, caption, boilerplate — and a language), finds
the publication date, and names the document's dominant language. Later stages read only
the prepared document; the original text is never modified.
"""

from __future__ import annotations

from dataclasses import dataclass

from rasd.document import Document, PublicationDate, Segment

__all__ = ["PreparedDocument", "prepare"]


@dataclass(slots=True)
class PreparedDocument:
    """A document with its segments, publication date and dominant language."""

    document: Document
    segments: list[Segment]  # in text order, non-overlapping, covering all non-blank text
    published: PublicationDate | None
    language: str  # dominant language of body segments: "ar", "en", other ISO 639-1 code, or "und"


def prepare(document: Document) -> PreparedDocument:
    """Segment `document`, date it and name its language."""
    # imported here so that `rasd.text.segment` stays the module (not shadowed by the
    # function) and importing the package for its types stays cheap
    from rasd.text.pubdate import find_publication_date
    from rasd.text.segment import document_language, segment

    segments = segment(document)
    published = find_publication_date(document, segments)
    return PreparedDocument(document, segments, published, document_language(segments))
