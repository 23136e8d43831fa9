"""What the watcher remembers, in the database's `seen` table (so a restart forgets nothing).

Keys, one row each:

    feed:<url>                      the feed's validators (etag, last_modified) for 304s
    item:<sha1 of feed url + key>   a feed item already ingested; etag "retry:N" while its
                                    page keeps failing (given up after MAX_ATTEMPTS)
    alert:<sha1 of rule/action>:<event id>
                                    an alert sent for the incident this event belongs to;
                                    etag = a hash of the figures it was sent with
    watch:alerts-checked            last_modified = when incidents were last looked at
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rasd.store.schema import FailureRow, SeenItem, utcnow

MAX_ATTEMPTS = 3  # cycles an item whose page fails is tried before it is given up
WATERMARK = "watch:alerts-checked"
_IN_CHUNK = 500


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def feed_key(url: str) -> str:
    return "feed:" + url if len(url) <= 500 else "feed:" + _sha1(url)


def item_key(feed_url: str, key: str) -> str:
    return "item:" + _sha1(f"{feed_url}\n{key}")


def alert_prefix(rule: str, action: int) -> str:
    return "alert:" + _sha1(f"{rule}\n{action}")[:16] + ":"


def validators(session: Session, url: str) -> tuple[str | None, str | None]:
    row = session.get(SeenItem, feed_key(url))
    return (row.etag, row.last_modified) if row else (None, None)


def save_validators(session: Session, url: str, etag: str | None, last_modified: str | None) -> None:
    _upsert(session, feed_key(url), etag, last_modified)


def unseen(session: Session, keys: Iterable[str]) -> set[str]:
    """Which item keys are new, or failed fewer than MAX_ATTEMPTS times so far."""
    wanted = list(dict.fromkeys(keys))
    rows = _rows(session, wanted)
    return {k for k in wanted if k not in rows or _attempts(rows[k]) is not None}


def mark_seen(session: Session, keys: Iterable[str]) -> None:
    for key in keys:
        _upsert(session, key, None, None)


def mark_failed(session: Session, keys: Iterable[str]) -> list[str]:
    """Count a failed attempt for each key; returns the keys now given up."""
    keys = list(keys)
    rows = _rows(session, keys)
    given_up = []
    for key in keys:
        attempts = (_attempts(rows[key]) or 0) if key in rows else 0
        attempts += 1
        if attempts >= MAX_ATTEMPTS:
            _upsert(session, key, None, None)
            given_up.append(key)
        else:
            _upsert(session, key, f"retry:{attempts}", None)
    return given_up


def _attempts(row: SeenItem) -> int | None:
    """Failed attempts so far for an item still being retried; None once it is settled."""
    if row.etag and row.etag.startswith("retry:"):
        return int(row.etag.split(":", 1)[1])
    return None


def alerted_figures(session: Session, prefix: str, event_ids: Iterable[str]) -> set[str]:
    """Figure hashes already alerted, for any of these member events, through one destination."""
    return {row.etag or "" for row in _rows(session, [prefix + e for e in event_ids]).values()}


def record_alert(session: Session, prefix: str, event_ids: Iterable[str], figures: str) -> None:
    for event_id in event_ids:
        _upsert(session, prefix + event_id, figures, None)


def watermark(session: Session) -> dt.datetime | None:
    row = session.get(SeenItem, WATERMARK)
    return dt.datetime.fromisoformat(row.last_modified) if row and row.last_modified else None


def save_watermark(session: Session, when: dt.datetime) -> None:
    _upsert(session, WATERMARK, None, when.isoformat())


def clear_failure(session: Session, origin: str) -> None:
    """A feed that reads again is no longer listed among the failures."""
    session.execute(delete(FailureRow).where(FailureRow.origin == origin, FailureRow.stage == "read"))


def _rows(session: Session, keys: list[str]) -> dict[str, SeenItem]:
    found: dict[str, SeenItem] = {}
    for i in range(0, len(keys), _IN_CHUNK):
        chunk = keys[i : i + _IN_CHUNK]
        for row in session.scalars(select(SeenItem).where(SeenItem.key.in_(chunk))):
            found[row.key] = row
    return found


def _upsert(session: Session, key: str, etag: str | None, last_modified: str | None) -> None:
    row = session.get(SeenItem, key)
    if row is None:
        session.add(SeenItem(key=key, etag=etag, last_modified=last_modified, seen_at=utcnow()))
        session.flush()
    else:
        row.etag, row.last_modified, row.seen_at = etag, last_modified, utcnow()
