"""RSS / Atom reader: each item of a feed becomes one document.

An item's page is fetched from its link and its main text extracted (rasd.ingest.html)
when fetching is on; otherwise — or when the page cannot be had — the item's own content
(`content:encoded`, Atom `content`, else the summary) is the document, under the item's
title. The item's date (the date as the feed wrote it, in its own time zone) stands in for
the publication date when the page's metadata gives none; the item's link is the URL.

Fetching is on for feeds read from a URL (rasd.ingest.url) and for `rasd watch`; for a
feed file it is on only when `ReadLimits.fetch` is set — reading local files never goes
to the network unasked.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rasd.document import Failure
from rasd.ingest import html
from rasd.ingest.base import Item, ReadLimits, failure, make_document, over_size, whole_input_readers

if TYPE_CHECKING:
    from rasd.ingest.fetch import Fetcher

log = logging.getLogger(__name__)

MEDIA_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+xml",
)
_SNIFF = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:(?:<\?[^>]{0,300}\?>|<!--.*?-->)\s*)*<(?:rss|feed|rdf:RDF)[\s>]",
    re.IGNORECASE | re.DOTALL,
)
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article", "figcaption", "pre"}
_DROP = {"script", "style", "iframe", "object", "noscript", "template"}


@dataclass(frozen=True, slots=True)
class FeedItem:
    key: str  # stable identity: the item's id (guid), else its link, else a hash of its text
    link: str | None
    title: str | None
    published: str | None  # YYYY-MM-DD, in the feed's own time zone
    content: str | None  # the item's own text (HTML fragments turned into plain paragraphs)


@dataclass(frozen=True, slots=True)
class Feed:
    title: str | None
    language: str | None
    items: list[FeedItem]


def sniff(head: bytes) -> bool:
    """An XML document whose root is <rss>, <feed> (Atom) or <rdf:RDF> (RSS 1.0)."""
    return _SNIFF.match(head) is not None


def parse(data: bytes, url: str | None = None) -> Feed | str:
    """The feed's items, or the reason it is not a feed."""
    import feedparser

    try:
        parsed: Any = feedparser.parse(data, response_headers={"content-location": url} if url else None)
    except Exception as error:  # feedparser is lenient, but not on everything
        return f"not a feed: {type(error).__name__}: {error}"
    entries = parsed.get("entries") or []
    if not parsed.get("version") and not entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({_short(problem)})" if problem else ""
        return f"not an RSS or Atom feed{detail}"
    if parsed.get("bozo") and entries:
        log.info("%s: malformed feed, read leniently: %s", url or "feed", _short(parsed.get("bozo_exception")))
    info = parsed.get("feed") or {}
    language = (info.get("language") or "").split("-")[0].lower() or None
    items = [_item(entry) for entry in entries]
    return Feed(info.get("title"), language, [i for i in items if i is not None])


def _short(error: object) -> str:
    return str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__


def _item(entry: Any) -> FeedItem | None:
    link = entry.get("link") or None
    title = _text(entry.get("title") or "") or None
    content = None
    for block in entry.get("content") or []:
        value = block.get("value") or ""
        if len(value) > len(content or ""):
            content = value
    summary = entry.get("summary") or ""
    if not content or len(summary) > len(content):
        content = summary or content
    content = _text(content) if content else None
    key = entry.get("id") or link
    if not key:
        if not (title or content):
            return None
        key = "sha1:" + hashlib.sha1(f"{title}\n{content}".encode()).hexdigest()
    return FeedItem(key=str(key), link=link, title=title, published=_date(entry), content=content or None)


def _date(entry: Any) -> str | None:
    """The item's date as written (its own time zone), so a 01:00 +03:00 item keeps its day."""
    for field in ("published", "updated", "created"):
        raw = entry.get(field)
        if not raw:
            continue
        try:
            return email.utils.parsedate_to_datetime(raw).date().isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            pass
        parsed = entry.get(f"{field}_parsed")
        if parsed:
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    return None


def _text(fragment: str) -> str:
    """Plain text of an HTML fragment: one paragraph per block element, tags dropped."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # not even tag soup: keep the characters
        return fragment.strip()
    for bad in list(root.iter(*_DROP)):
        bad.drop_tree()
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node.tag, str) and node.tag.lower() in _BLOCKS:
            parts.append("\n\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                parts.append(child.tail)
        if isinstance(node.tag, str) and node.tag.lower() in _BLOCKS:
            parts.append("\n\n")

    walk(root)
    paragraphs = [" ".join(p.split()) for p in "".join(parts).split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _own_text(item: FeedItem) -> str | None:
    """The item's title and content as one text, or None when it has no content."""
    if not item.content:
        return None
    if item.title and not item.content.startswith(item.title):
        return f"{item.title}\n\n{item.content}"
    return item.content


def item_origin(item: FeedItem, feed_origin: str, number: int) -> str:
    return item.link or f"{feed_origin}#item {number}"


def item_document(
    item: FeedItem,
    origin: str,
    limits: ReadLimits,
    *,
    fetcher: "Fetcher | None" = None,
    language: str | None = None,
) -> Item:
    """One document for a feed item: its page if it can be fetched, else its own content."""
    own = _own_text(item)
    reason = "the item has no link and no content"
    if fetcher is not None and item.link:
        from rasd.ingest.fetch import FetchError

        try:
            page = fetcher.get(item.link, max_bytes=limits.max_bytes, accept="text/html,application/xhtml+xml")
        except FetchError as error:
            reason = error.reason
        else:
            if page.media_type in (None, *html.MEDIA_TYPES) or html.sniff(page.content[:512]):
                document = html.from_bytes(
                    page.content,
                    origin,
                    limits,
                    url=page.url,
                    charset=page.charset,
                    fallback_date=item.published,
                    language=language,
                )
                if not isinstance(document, Failure) or own is None:
                    return document
                reason = document.reason
            else:
                reason = f"{page.url} is {page.media_type}, not a web page"
        if own is not None:
            log.info("%s: using the feed's own text (%s)", origin, reason)
    elif item.link and own is None:
        reason = "the item has no content of its own and fetching its link is off"
    if own is None:
        return failure(origin, reason)
    return make_document(
        own, origin, limits, url=item.link, title=item.title, published_hint=item.published, language_hint=language
    )


def from_bytes(
    data: bytes,
    origin: str,
    limits: ReadLimits,
    *,
    url: str | None = None,
    fetcher: "Fetcher | None" = None,
) -> Iterator[Item]:
    """A document (or failure) per item of the feed in `data`."""
    if len(data) > limits.max_bytes:
        yield failure(origin, over_size(len(data), limits))
        return
    feed = parse(data, url)
    if isinstance(feed, str):
        yield failure(origin, feed)
        return
    if not feed.items:
        log.info("%s: the feed has no items", origin)
    for number, item in enumerate(feed.items, start=1):
        yield item_document(item, item_origin(item, origin, number), limits, fetcher=fetcher, language=feed.language)


def _local(data: bytes, origin: str, limits: ReadLimits) -> Iterator[Item]:
    if limits.fetch is None or not limits.fetch.follow_links:
        yield from from_bytes(data, origin, limits)
        return
    from rasd.ingest.fetch import Fetcher

    with Fetcher(limits.fetch) as fetcher:
        yield from from_bytes(data, origin, limits, fetcher=fetcher)


read_path, read_stream = whole_input_readers(_local)
