"""The text stage: from a raw scraped report to a prepared document.

`prepare(document)` cuts the text into segments (sentence-sized spans of the original
text, each with a kind — body, post, quote, caption, boilerplate — and a language), finds
the publication date, and names the document's dominant language. Later stages read only
the prepared document; the original text is never modified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rasd.document import Document, PublicationDate, Segment

if TYPE_CHECKING:
    from rasd.text.normalize import Normalized

__all__ = ["PreparedDocument", "prepare"]


@dataclass(slots=True)
class PreparedDocument:
    """A document with its segments, publication date and dominant language."""

    document: Document
    segments: list[Segment]  # in text order, non-overlapping, covering all non-blank text
    published: PublicationDate | None
    language: str  # dominant language of body segments: "ar", "en", other ISO 639-1 code, or "und"
    # normalize(document.text), made once by segmentation and shared with the annotators
    # that read the whole text (see `normalized`)
    folded: "Normalized | None" = field(default=None, repr=False, compare=False)

    def normalized(self) -> "Normalized":
        """The whole text normalised for matching (rasd.text.normalize), computed at most
        once per document: segmentation and several annotators need it."""
        if self.folded is None:
            from rasd.text.normalize import normalize

            self.folded = normalize(self.document.text)
        return self.folded


def prepare(document: Document) -> PreparedDocument:
    """Segment `document`, date it and name its language."""
    # imported here so that `rasd.text.segment` stays the module (not shadowed by the
    # function) and importing the package for its types stays cheap
    from rasd.text.normalize import normalize
    from rasd.text.pubdate import find_publication_date
    from rasd.text.segment import document_language, segment

    folded = normalize(document.text)
    segments = segment(document, folded)
    published = find_publication_date(document, segments)
    return PreparedDocument(document, segments, published, document_language(segments), folded)
