"""Polite, bounded HTTP fetching for the URL, feed and watch readers.

One `Fetcher` per run: it keeps one connection pool, the time of the last request to each
host (so no host gets more than one request per `host_delay`, or its robots.txt
`Crawl-delay`), and each host's robots.txt rules. Every request is bounded: connect and
read timeouts plus an overall deadline, a size cap enforced while the body streams in (a
2 GB page costs `max_bytes`, never 2 GB), a redirect limit with loop detection. Transient
trouble (timeouts, dropped connections, 429 and 5xx) is retried with exponential backoff,
honouring Retry-After. Conditional requests (ETag / Last-Modified) let a watcher poll a
feed for the price of a 304.

Nothing here raises for a bad page: `get` raises `FetchError`, whose `reason` is a short
sentence the readers turn into a recorded `Failure`.

    >>> with Fetcher(FetchConfig(host_delay=2.0)) as fetcher:
    ...     page = fetcher.get("https://news.example/article", max_bytes=5_000_000)
"""

from __future__ import annotations

import email.utils
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from rasd.ingest.base import DEFAULT_MAX_BYTES

log = logging.getLogger(__name__)

USER_AGENT_ENV = "RASD_USER_AGENT"
ROBOTS_TOKEN = "rasd"  # the product token robots.txt rules name
INFO_URL = "https://rasd.invalid/bot"  # where a site owner learns what this client is
REDIRECTS = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429, 500, 502, 503, 504}
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB
ROBOTS_TTL = 3600.0  # seconds a host's robots.txt is trusted before it is fetched again
MAX_CRAWL_DELAY = 60.0  # a robots.txt asking for more is capped (and logged)
_CHUNK = 64 * 1024


def default_user_agent() -> str:
    """"rasd/<version> (+<info url>)", or $RASD_USER_AGENT when set."""
    configured = os.environ.get(USER_AGENT_ENV)
    if configured:
        return configured
    try:
        version = metadata.version("rasd")
    except metadata.PackageNotFoundError:  # running from a source tree
        version = "0"
    return f"rasd/{version} (+{INFO_URL})"


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """How patient and how polite to be. Times are in seconds."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # longest silence while waiting for bytes
    total_timeout: float = 120.0  # one response, first byte to last (slow-drip servers)
    retries: int = 2  # extra attempts after a transient failure
    backoff: float = 1.0  # first wait before a retry; doubles each time
    max_backoff: float = 30.0
    host_delay: float = 1.0  # least time between two requests to one host
    max_redirects: int = 5
    robots: bool = True  # obey robots.txt
    follow_links: bool = True  # feeds: fetch each item's page (else use the item's own text)
    user_agent: str = field(default_factory=default_user_agent)

    def __post_init__(self) -> None:
        if min(self.connect_timeout, self.read_timeout, self.total_timeout) <= 0:
            raise ValueError("timeouts must be positive")
        if self.retries < 0 or self.max_redirects < 0 or self.host_delay < 0 or self.backoff < 0:
            raise ValueError(f"fetch settings must not be negative: {self}")


class FetchError(Exception):
    """A URL that could not be fetched; `reason` says why, for people and the failures table."""

    def __init__(self, reason: str, *, status: int | None = None, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.transient = transient  # worth trying again later (timeouts, 5xx)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response body (complete, within the size cap) and what the reader needs of its headers."""

    url: str  # after redirects
    status: int  # 200..299, or 304 for a conditional request that found nothing new
    content: bytes
    media_type: str | None  # "text/html", lower case, without parameters
    charset: str | None  # from the Content-Type header, if any
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    parts = [p.strip() for p in value.split(";")]
    media = parts[0].lower() or None
    charset = None
    for part in parts[1:]:
        key, _, raw = part.partition("=")
        if key.strip().lower() == "charset" and raw:
            charset = raw.strip().strip("\"'").lower() or None
    return media, charset


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def check_url(url: str) -> str:
    """The URL if it is an absolute http(s) URL with a host; FetchError otherwise."""
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise FetchError(f"not a valid URL: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url[:200]!r}")
    return url


@dataclass(slots=True)
class _Robots:
    parser: RobotFileParser | None  # None: everything allowed
    fetched_at: float
    disallow_all: bool = False
    note: str = ""


class Fetcher:
    """An HTTP client for one run (not shared between processes). Use as a context manager."""

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.config = config or FetchConfig()
        self._sleep = sleep
        self._clock = clock
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, _Robots] = {}
        self._lock = threading.Lock()  # the watcher may share a fetcher with a webhook thread
        c = self.config
        self._client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(c.read_timeout, connect=c.connect_timeout, pool=c.connect_timeout),
            headers={"User-Agent": c.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=transport,
        )

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # --- public -------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> Fetched:
        """The body of `url` (following redirects), or FetchError saying why not.

        With `etag` / `last_modified` the request is conditional and may come back as a
        304 (`Fetched.not_modified`) with no body.
        """
        check_url(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        attempt = 0
        while True:
            try:
                return self._follow(url, headers, max_bytes)
            except FetchError as error:
                if not error.transient or attempt >= self.config.retries:
                    raise
                wait = min(self.config.max_backoff, self.config.backoff * 2**attempt)
                retry_after = getattr(error, "retry_after", None)
                if retry_after is not None:
                    wait = min(self.config.max_backoff, max(wait, retry_after))
                attempt += 1
                log.info("%s: %s; retry %d of %d in %.1f s", url, error.reason, attempt, self.config.retries, wait)
                self._sleep(wait)

    def allowed(self, url: str) -> bool:
        """Does robots.txt let us fetch `url`? (Fetches and caches the host's robots.txt.)"""
        if not self.config.robots:
            return True
        robots = self._robots_for(url)
        if robots.disallow_all:
            return False
        return robots.parser is None or robots.parser.can_fetch(ROBOTS_TOKEN, url)

    # --- internals ----------------------------------------------------------------------

    def _follow(self, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        visited = [url]
        current = url
        while True:
            if not self.allowed(current):
                note = self._robots.get(_host_key(current))
                why = f" ({note.note})" if note and note.note else ""
                raise FetchError(f"robots.txt does not allow fetching {current}{why}")
            response = self._request(current, headers)
            try:
                if response.status_code in REDIRECTS and "location" in response.headers:
                    target = urljoin(current, response.headers["location"])
                    try:
                        check_url(target)
                    except FetchError as error:
                        raise FetchError(f"redirect to an unusable URL ({error.reason})") from None
                    if target in visited:
                        chain = " -> ".join([*visited[visited.index(target):], target])
                        raise FetchError(f"redirect loop: {chain}")
                    if len(visited) > self.config.max_redirects:
                        raise FetchError(f"too many redirects (more than {self.config.max_redirects}) from {url}")
                    visited.append(target)
                    current = target
                    continue
                return self._body(current, response, max_bytes)
            finally:
                response.close()

    def _request(self, url: str, headers: dict[str, str]) -> httpx.Response:
        self._wait_turn(url)
        try:
            request = self._client.build_request("GET", url, headers=headers)
            return self._client.send(request, stream=True)
        except httpx.TimeoutException as error:
            raise FetchError(f"timed out ({_timeout_kind(error)}) fetching {url}", transient=True) from None
        except httpx.TransportError as error:
            raise FetchError(f"cannot fetch {url}: {_transport_reason(error)}", transient=True) from None
        except httpx.InvalidURL as error:
            raise FetchError(f"not a valid URL: {error}") from None

    def _body(self, url: str, response: httpx.Response, max_bytes: int) -> Fetched:
        status = response.status_code
        media, charset = _content_type(response.headers.get("content-type"))
        etag = response.headers.get("etag")
        modified = response.headers.get("last-modified")
        if status == 304:
            return Fetched(url, status, b"", media, charset, etag, modified)
        if not 200 <= status < 300:
            error = FetchError(
                f"HTTP {status} {response.reason_phrase or ''}".rstrip() + f" from {url}",
                status=status,
                transient=status in RETRY_STATUSES,
            )
            error.retry_after = _retry_after(response.headers.get("retry-after"))  # type: ignore[attr-defined]
            raise error
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(_too_big(url, max_bytes, int(declared)))
        deadline = self._clock() + self.config.total_timeout
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(_too_big(url, max_bytes))
                chunks.append(chunk)
                if self._clock() > deadline:
                    raise FetchError(
                        f"timed out: {url} took longer than {self.config.total_timeout:g} s to send its page",
                        transient=True,
                    )
        except httpx.TimeoutException as error:
            raise FetchError(f"timed out ({_timeout_kind(error)}) reading {url}", transient=True) from None
        except httpx.DecodingError as error:
            raise FetchError(f"cannot decode the response of {url}: {error}") from None
        except httpx.TransportError as error:
            raise FetchError(f"connection broken while reading {url}: {_transport_reason(error)}", transient=True) from None
        return Fetched(url, status, b"".join(chunks), media, charset, etag, modified)

    def _wait_turn(self, url: str) -> None:
        """Sleep until this host may be asked again (host_delay or its Crawl-delay)."""
        key = _host_key(url)
        with self._lock:
            delay = self.config.host_delay
            robots = self._robots.get(key)
            if robots is not None and robots.parser is not None:
                crawl = robots.parser.crawl_delay(ROBOTS_TOKEN)
                if crawl:
                    delay = max(delay, min(float(crawl), MAX_CRAWL_DELAY))
            now = self._clock()
            last = self._last_request.get(key)
            wait = 0.0 if last is None else last + delay - now
            self._last_request[key] = now + max(0.0, wait)
        if wait > 0:
            self._sleep(wait)

    def _robots_for(self, url: str) -> _Robots:
        key = _host_key(url)
        cached = self._robots.get(key)
        if cached is not None and self._clock() - cached.fetched_at < ROBOTS_TTL:
            return cached
        robots_url = key + "/robots.txt"
        try:
            fetched = self._follow_robots(robots_url)
        except FetchError as error:
            if error.status is not None and 400 <= error.status < 500:
                robots = _Robots(None, self._clock())  # RFC 9309: unavailable -> no rules
            elif error.status is not None:
                robots = _Robots(None, self._clock(), disallow_all=True, note=f"its robots.txt gave HTTP {error.status}")
            else:  # the host cannot be reached: the page fetch would fail the same way
                raise
        else:
            parser = RobotFileParser(robots_url)
            parser.parse(fetched.content.decode("utf-8", errors="replace").splitlines())
            robots = _Robots(parser, self._clock())
            crawl = parser.crawl_delay(ROBOTS_TOKEN)
            if crawl and float(crawl) > MAX_CRAWL_DELAY:
                log.warning("%s asks for a crawl delay of %s s; using %g s", robots_url, crawl, MAX_CRAWL_DELAY)
        self._robots[key] = robots
        return robots

    def _follow_robots(self, robots_url: str) -> Fetched:
        """robots.txt itself: redirects followed (up to 5), no robots check, no retries."""
        current = robots_url
        for _ in range(6):
            response = self._request(current, {})
            try:
                if response.status_code in REDIRECTS and "location" in response.headers:
                    current = urljoin(current, response.headers["location"])
                    check_url(current)
                    continue
                return self._body(current, response, ROBOTS_MAX_BYTES)
            finally:
                response.close()
        raise FetchError(f"too many redirects for {robots_url}", status=404)  # treated as no rules


def _too_big(url: str, limit: int, declared: int | None = None) -> str:
    what = f"{declared:,} bytes" if declared is not None else f"more than {limit:,} bytes"
    return f"{url}: {what}, over the size limit of {limit:,} bytes (raise it with --max-bytes)"


def _timeout_kind(error: httpx.TimeoutException) -> str:
    if isinstance(error, httpx.ConnectTimeout):
        return "no connection"
    if isinstance(error, httpx.ReadTimeout):
        return "no answer"
    if isinstance(error, httpx.PoolTimeout):
        return "no free connection"
    return "write"


def _transport_reason(error: httpx.TransportError) -> str:
    text = str(error).strip()
    if isinstance(error, httpx.ConnectError):
        return f"connection failed ({text})" if text else "connection failed"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
