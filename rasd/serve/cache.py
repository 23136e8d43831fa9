"""A response cache for the API's read-only GET answers.

Serving is read-mostly: the same pages and filters are asked for again and again (the web page
loads /stats and /incidents on every visit) while the database changes only when something is
ingested. So an answer is kept, keyed by its path and query string, together with the database's
*data version*: the newest document, event and incident timestamps, read at most once a second.
A write through POST /documents clears the cache at once; a write by another process (a
`rasd ingest` running beside the server) is seen within a second. Only 200 answers up to
`max_bytes` are kept, at most `max_entries` of them (least recently used goes first). When
many clients ask the same new question at once, one computes the answer and the others wait
for it, instead of all of them queueing for the database.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import anyio
from sqlalchemy import func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rasd.store.database import Database
from rasd.store.schema import DocumentRow, EventRow, IncidentRow


def data_version(database: Database) -> tuple:
    """Changes whenever documents are stored, events are updated or incidents are fused."""
    query = select(
        select(func.max(DocumentRow.ingested_at)).scalar_subquery(),
        select(func.max(EventRow.updated_at)).scalar_subquery(),
        select(func.max(IncidentRow.updated_at)).scalar_subquery(),
    )
    with database.transaction() as session:
        return tuple(session.execute(query).one())


@dataclass(slots=True)
class _Entry:
    version: tuple
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """The kept answers and the data version they belong to (one per server process)."""

    def __init__(self, version: Callable[[], tuple], *, max_entries: int = 512, max_bytes: int = 2_000_000,
                 recheck_seconds: float = 1.0) -> None:
        self._read_version = version
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.recheck_seconds = recheck_seconds
        self._entries: OrderedDict[tuple[str, bytes], _Entry] = OrderedDict()
        self._version: tuple | None = None
        self._checked = 0.0
        self._lock = anyio.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()
        self._version = None

    async def version(self) -> tuple:
        if self._version is None or time.monotonic() - self._checked > self.recheck_seconds:
            async with self._lock:  # one reader at a time; the others use its answer
                if self._version is None or time.monotonic() - self._checked > self.recheck_seconds:
                    self._version = await anyio.to_thread.run_sync(self._read_version)
                    self._checked = time.monotonic()
        return self._version

    def get(self, key: tuple[str, bytes], version: tuple) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None or entry.version != version:
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple[str, bytes], entry: _Entry) -> None:
        if len(entry.body) > self.max_bytes:
            return
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)


class CachedGets:
    """ASGI middleware: answer GETs under `prefixes` from the cache, or keep the app's answer."""

    def __init__(self, app: ASGIApp, cache: ResponseCache, prefixes: Iterable[str]) -> None:
        self.app = app
        self.cache = cache
        self.prefixes = tuple(prefixes)
        self.pending: dict[tuple[str, bytes], anyio.Event] = {}  # questions being answered now

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        version = await self.cache.version()
        key = (scope["path"], scope["query_string"])
        entry = self.cache.get(key, version)
        while entry is None and key in self.pending:  # the same question is being answered: wait
            await self.pending[key].wait()
            entry = self.cache.get(key, version)
        if entry is not None:
            await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
            await send({"type": "http.response.body", "body": entry.body})
            return
        self.pending[key] = anyio.Event()
        try:
            await self._answer(scope, receive, send, key, version)
        finally:
            self.pending.pop(key).set()

    async def _answer(self, scope: Scope, receive: Receive, send: Send, key: tuple[str, bytes], version: tuple) -> None:
        started: dict = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and started.get("status") == 200:
                    self.cache.put(key, _Entry(version, 200, list(started.get("headers", [])), b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, keep)
