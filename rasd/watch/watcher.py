"""The watch loop: poll feeds, ingest what is new, fuse, alert; again every period.

One cycle: for each feed, a conditional GET (its ETag / Last-Modified from the last
success); a 304 costs nothing more. Items not seen before are read (their page fetched, or
their own text), then all of a cycle's new documents go through the ordinary ingest job
(pipeline -> store -> fuse). Only then are the items marked as seen, so a crash in
between means they are read again, never lost (and documents already stored are skipped).
Then alert rules run over the incidents that changed since the last cycle.

Nothing a feed does stops the loop: an error (HTTP 500, timeout, not a feed) is logged,
recorded in the failures table under the feed's URL, and the feed is tried again next
cycle; the record is cleared when it reads again. An item whose page cannot be had is
tried for MAX_ATTEMPTS cycles. A database that is briefly unavailable costs one cycle.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rasd.document import Document, Failure
from rasd.ingest.base import ReadLimits, failure
from rasd.ingest.feed import item_document, item_origin, parse
from rasd.ingest.fetch import FetchConfig, Fetcher, FetchError
from rasd.pipeline import Pipeline
from rasd.store.database import Database, StoreError
from rasd.store.schema import utcnow
from rasd.watch import state
from rasd.watch.alerts import AlertCounts, Notifier, check
from rasd.watch.rules import Rule

log = logging.getLogger(__name__)

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


@dataclass(slots=True)
class CycleReport:
    started: dt.datetime
    feeds: int = 0
    not_modified: int = 0
    feed_failures: list[str] = field(default_factory=list)  # "url: reason"
    new_items: int = 0
    documents: int = 0  # newly stored
    events: int = 0
    item_failures: int = 0
    alerts: AlertCounts = field(default_factory=AlertCounts)
    error: str | None = None  # the cycle itself failed (e.g. database down)

    def summary(self) -> str:
        text = (
            f"{self.feeds} feeds ({self.not_modified} unchanged, {len(self.feed_failures)} failed), "
            f"{self.new_items} new items, {self.documents} new documents, {self.events} events, "
            f"{self.item_failures} failed items, {self.alerts.sent} alerts sent"
        )
        if self.alerts.failed:
            text += f" ({self.alerts.failed} not delivered)"
        return text + (f"; cycle failed: {self.error}" if self.error else "")


@dataclass
class Watcher:
    """Polls `feeds` into `database` and alerts on `rules`. Not thread-safe; one per process."""

    database: Database
    feeds: Sequence[str]
    rules: Sequence[Rule] = ()
    fetch: FetchConfig = field(default_factory=FetchConfig)
    limits: ReadLimits = field(default_factory=ReadLimits)
    notifier: Notifier = field(default_factory=Notifier)
    pipeline: Pipeline = field(default_factory=Pipeline)
    workers: int = 1

    def __post_init__(self) -> None:
        self._fetcher = Fetcher(self.fetch)
        self._started = utcnow()

    def close(self) -> None:
        self._fetcher.close()
        self.notifier.close()

    def run(
        self,
        every: float,
        *,
        cycles: int | None = None,
        stop: threading.Event | None = None,
        on_cycle: Callable[[CycleReport], None] | None = None,
    ) -> int:
        """Cycle every `every` seconds until `stop` is set or `cycles` are done; returns cycles run."""
        stop = stop or threading.Event()
        done = 0
        while not stop.is_set() and (cycles is None or done < cycles):
            began = time.monotonic()
            report = self.poll_once()
            done += 1
            if on_cycle:
                on_cycle(report)
            if cycles is not None and done >= cycles:
                break
            stop.wait(max(0.0, every - (time.monotonic() - began)))
        return done

    def poll_once(self) -> CycleReport:
        """One cycle: every feed, then the alerts. Never raises for feed or database trouble."""
        report = CycleReport(started=utcnow())
        try:
            with self.database.transaction() as session:
                since = state.watermark(session) or self._started
            items: list[Document | Failure] = []
            settle: list[tuple[str, str, Document | Failure]] = []  # (feed, seen key, what it gave)
            validators: list[tuple[str, str | None, str | None]] = []
            for url in self.feeds:
                report.feeds += 1
                try:
                    self._poll_feed(url, report, items, settle, validators)
                except StoreError:
                    raise
                except Exception as error:  # a bug on one feed must not stop the others
                    log.exception("feed %s: unexpected error", url)
                    self._feed_failed(url, f"unexpected error: {type(error).__name__}: {error}", report, items)
            self._ingest(items, settle, validators, report)
            report.alerts = check(self.database, self.rules, self.notifier, since)
            with self.database.transaction() as session:
                state.save_watermark(session, report.started)
        except StoreError as error:
            report.error = str(error)
            log.error("watch cycle failed: %s (trying again next cycle)", error)
        log.info("watch cycle: %s", report.summary())
        return report

    def _poll_feed(
        self,
        url: str,
        report: CycleReport,
        items: list[Document | Failure],
        settle: list[tuple[str, str, Document | Failure]],
        validators: list[tuple[str, str | None, str | None]],
    ) -> None:
        with self.database.transaction() as session:
            etag, modified = state.validators(session, url)
        try:
            fetched = self._fetcher.get(url, max_bytes=self.limits.max_bytes, etag=etag, last_modified=modified, accept=FEED_ACCEPT)
        except FetchError as error:
            self._feed_failed(url, error.reason, report, items)
            return
        if fetched.not_modified:
            report.not_modified += 1
            return
        feed = parse(fetched.content, fetched.url)
        if isinstance(feed, str):
            self._feed_failed(url, feed, report, items)
            return
        keys = {state.item_key(url, item.key): item for item in feed.items}
        with self.database.transaction() as session:
            new = state.unseen(session, keys)
        follow = self._fetcher if self.fetch.follow_links else None
        for number, (key, item) in enumerate(keys.items(), start=1):
            if key not in new:
                continue
            report.new_items += 1
            try:
                found = item_document(item, item_origin(item, url, number), self.limits, fetcher=follow, language=feed.language)
            except Exception as error:  # a reader bug must not stop the watcher
                log.exception("%s: reading item %s failed", url, item.key)
                found = failure(item_origin(item, url, number), f"reading the item failed: {type(error).__name__}: {error}")
            items.append(found)
            settle.append((url, key, found))
        validators.append((url, fetched.etag, fetched.last_modified))

    def _feed_failed(self, url: str, reason: str, report: CycleReport, items: list[Document | Failure]) -> None:
        log.warning("feed %s: %s (trying again next cycle)", url, reason)
        report.feed_failures.append(f"{url}: {reason}")
        items.append(failure(url, reason))  # recorded in the failures table by the ingest job

    def _ingest(
        self,
        items: list[Document | Failure],
        settle: list[tuple[str, str, Document | Failure]],
        validators: list[tuple[str, str | None, str | None]],
        report: CycleReport,
    ) -> None:
        from rasd.batch import ingest

        if items:
            done = ingest(self.database, items, pipeline=self.pipeline, workers=self.workers, command="watch")
            report.documents, report.events = done.documents, done.events
        failed = [(feed, key) for feed, key, found in settle if isinstance(found, Failure)]
        report.item_failures = len(failed)
        with self.database.transaction() as session:
            state.mark_seen(session, [key for _, key, found in settle if not isinstance(found, Failure)])
            given_up = set(state.mark_failed(session, [key for _, key in failed]))
            for key in given_up:
                log.warning("feed item %s given up after %d failed attempts", key, state.MAX_ATTEMPTS)
            retrying = {feed for feed, key in failed if key not in given_up}
            for url, etag, modified in validators:
                # a feed with items still to retry is fetched whole next time, not answered by a 304
                keep = url not in retrying
                state.save_validators(session, url, etag if keep else None, modified if keep else None)
                state.clear_failure(session, url)


_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_every(text: str) -> float:
    """Seconds from "30s", "10m", "1h30m", "2h", "0.5s" or a plain number of seconds."""
    import re

    value = text.strip().lower()
    try:
        seconds = float(value)
    except ValueError:
        parts = re.fullmatch(r"(?:(\d+(?:\.\d+)?)([smhd]))+", value)
        if not parts:
            raise ValueError(f"not a period: {text!r} (use e.g. 30s, 10m, 1h30m)") from None
        seconds = sum(float(n) * _UNITS[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)([smhd])", value))
    if seconds <= 0:
        raise ValueError(f"the period must be positive, not {text!r}")
    return seconds
