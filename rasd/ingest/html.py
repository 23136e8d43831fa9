"""HTML reader: a saved or fetched web page to one document, its main text only.

trafilatura finds the article among the menus, teasers and footers. What the page's
metadata says is kept: the title (first paragraph of the text unless the text already
opens with it), the publication date from the page's markup only (`<meta>` tags, JSON-LD,
`<time>`: never a date guessed from the body, which the text stage weighs itself) as
`Document.published_hint`, the canonical URL as `Document.url`, and the declared language
(`<html lang>`, Content-Language) as `Document.language_hint`.

Bytes become text in this order: a byte-order mark, the charset the server declared, the
`<meta charset>` of the page, then rasd.ingest.decode (UTF-8, else Windows-1256 when it
reads as Arabic) — so an Arabic page saved in cp1256 without any charset still reads.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from typing import Any

from rasd.ingest.base import Item, ReadLimits, failure, make_document, over_size, whole_input_readers
from rasd.ingest.decode import DecodeError, decode

log = logging.getLogger(__name__)

MEDIA_TYPES = ("text/html", "application/xhtml+xml")
_HEAD = 4096  # where a <meta charset> must be (the HTML standard says 1024; pages are sloppy)
_SNIFF = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)[\s>/]", re.IGNORECASE | re.DOTALL)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]{1,40})""", re.IGNORECASE)
_MARKUP = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]{0,15}|!doctype|!--)[\s>/]", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html\b[^>]{0,500}?\blang\s*=\s*["']?([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*""", re.IGNORECASE)
_META_LANG = re.compile(
    r"""<meta[^>]{0,200}?http-equiv\s*=\s*["']?content-language["']?[^>]{0,200}?content\s*=\s*["']?([a-zA-Z]{2,3})""",
    re.IGNORECASE,
)
_MIN_MARKUP = 2  # tags a text needs before we call it HTML


@dataclass(frozen=True, slots=True)
class Page:
    """What we keep of a page: its main text and the metadata that helps later stages."""

    text: str
    title: str | None
    date: str | None  # YYYY-MM-DD from the page's metadata
    url: str | None  # canonical URL, else the URL it was read from
    language: str | None  # two- or three-letter code the page declares


def sniff(head: bytes) -> bool:
    """Input whose first tag is <!DOCTYPE html>, <html>, <head>, <body>, <meta> or <title>."""
    return _SNIFF.match(head) is not None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Text of an HTML page's bytes; DecodeError (with the offset) when it is not text."""
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            return decode(data).text
    if b"\x00" in data[:_HEAD] and not (declared or "").lower().startswith(("utf-16", "utf-32")):
        raise DecodeError("binary file (NUL bytes and no UTF-16 byte-order mark)")
    candidates = [_codec(declared)]
    meta = _META_CHARSET.search(data[:_HEAD])
    if meta:
        candidates.append(_codec(meta.group(1).decode("ascii", "replace")))
    for codec in candidates:
        if codec is None:
            continue
        if codec in ("ascii", "latin-1", "iso8859-1"):
            codec = "cp1252"  # what browsers do with these labels
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            log.debug("page does not decode as its declared %s; guessing", codec)
    return decode(data).text


def declared_language(html: str, content_language: str | None = None) -> str | None:
    head = html[: 16 * 1024]
    for match in (_HTML_LANG.search(head), _META_LANG.search(head)):
        if match:
            return match.group(1).lower()
    if content_language:
        code = content_language.split(",")[0].strip().split("-")[0].lower()
        return code if 2 <= len(code) <= 3 and code.isalpha() else None
    return None


def extract(html: str, url: str | None = None) -> Page | str:
    """The page's main text and metadata, or the reason there is none."""
    if len(_MARKUP.findall(html, 0, 64 * 1024)) < _MIN_MARKUP:
        return "not HTML: no markup found"
    from trafilatura import bare_extraction

    language = declared_language(html)
    try:
        result: Any = bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # trafilatura on pathological markup
        log.debug("trafilatura failed", exc_info=True)
        return f"HTML extraction failed: {type(error).__name__}: {error}"
    if result is None or not (result.text or "").strip():
        return "no article text found in the page"
    body = "\n\n".join(line.strip() for line in result.text.splitlines() if line.strip())
    title = (result.title or "").strip() or None
    if title and not _opens_with(body, title):
        body = f"{title}\n\n{body}"
    return Page(body, title, result.date or None, result.url or url, language)


def _opens_with(body: str, title: str) -> bool:
    first = body.split("\n", 1)[0].strip()
    return bool(first) and (first in title or title in first)


def from_text(
    html: str,
    origin: str,
    limits: ReadLimits,
    *,
    url: str | None = None,
    fallback_date: str | None = None,
    language: str | None = None,
) -> Item:
    """One document from a decoded page (the date falls back to `fallback_date`)."""
    page = extract(html, url)
    if isinstance(page, str):
        return failure(origin, page)
    return make_document(
        page.text,
        origin,
        limits,
        url=page.url,
        title=page.title,
        published_hint=page.date or fallback_date,
        language_hint=page.language or language,
    )


def from_bytes(
    data: bytes,
    origin: str,
    limits: ReadLimits,
    *,
    url: str | None = None,
    charset: str | None = None,
    fallback_date: str | None = None,
    language: str | None = None,
) -> Item:
    """One document from a page's bytes as saved or served (`charset` from the server)."""
    if len(data) > limits.max_bytes:
        return failure(origin, over_size(len(data), limits))
    try:
        html = decode_html(data, charset)
    except DecodeError as error:
        return failure(origin, f"not an HTML page: {error.reason}")
    return from_text(html, origin, limits, url=url, fallback_date=fallback_date, language=language)


read_path, read_stream = whole_input_readers(from_bytes)
