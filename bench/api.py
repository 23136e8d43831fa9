"""Load on the HTTP API: N concurrent clients against GET /events for S seconds, on loopback.

    .venv/bin/python bench/api.py [--db URL] [--clients 200] [--seconds 20] [--workers 2]

Without --db it builds a SQLite database by running `rasd ingest` on the dev documents
(../shared/eval/dev.docs.jsonl). The server is a separate process (uvicorn, --workers
processes) on 127.0.0.1 and a free port; the clients are asyncio tasks, each with its own
keep-alive connection, each sending its next request as soon as the last one is answered (a
closed loop). They speak HTTP/1.1 on asyncio streams (--httpx: through httpx, which costs
several times the server's CPU per request and so mostly measures itself).
The run stops by itself after --seconds. Prints requests/s, latency percentiles and errors
(non-200 answers and failed requests). Target: p99 < 200 ms and no errors at 200 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEV_DOCS  # noqa: E402  (bench/common.py)


# What a page or a script asks for: first pages, a country, a month, a type, a text search,
# a place, the next page, the other formats.
QUERIES = [
    {},
    {"country": "IRQ"},
    {"since": "2021-11", "until": "2021-11"},
    {"type": "ASSAULT", "limit": 50},
    {"text": "بغداد"},
    {"near": "33.3,44.4", "km": 100},
    {"country": "SYR", "since": "2020"},
    {"limit": 20, "cursor": "5"},
    {"format": "geojson", "limit": 50},
    {"language": "ar", "limit": 50},
]


def make_app():  # type: ignore[no-untyped-def]
    """The served app over $RASD_DB, read-only (what `rasd serve` runs); for uvicorn --factory."""
    from rasd.serve.app import build_app
    from rasd.store.database import open_database

    return build_app(open_database(os.environ["RASD_DB"], write=False))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _dev_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'bench.db'}"
    command = [sys.executable, "-c", "from rasd.cli import main; main()", "ingest", "--db", url, str(DEV_DOCS)]
    started = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True, timeout=1800)
    print(f"database: dev set ingested in {time.perf_counter() - started:.1f} s -> {url}")
    return url


def _start_server(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "api:make_app", "--app-dir", str(Path(__file__).parent),
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning",
               "--no-access-log"]
    server = subprocess.Popen(command, env={**os.environ, "RASD_DB": url})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/events", params={"limit": 1}, timeout=2).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start in 60 s")


class _Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams: GET, then the status line, the
    headers and a Content-Length body. A load generator must cost far less than the server it
    measures; httpx spends ~10x the server's CPU per request, so it would measure itself."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\nAccept: */*\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
        length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
        body = await self.reader.readexactly(length)
        if any(k.lower() == "connection" and "close" in v.lower() for k, v in headers.items()):
            await self.close()
        return status, len(body)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def _targets(uncached: bool) -> list[str]:
    """The request targets; uncached: each one made unique by a `km` that changes nothing (no
    `near`), so that every request misses the server's response cache and reads the database."""
    from urllib.parse import urlencode

    if not uncached:
        return [f"/events?{urlencode(q)}" if q else "/events" for q in QUERIES]
    plain = [q for q in QUERIES if "near" not in q]
    return [f"/events?{urlencode({**plain[i % len(plain)], 'km': 1 + i / 1000})}" for i in range(200_000)]


async def _load(base: str, clients: int, seconds: float, use_httpx: bool, uncached: bool) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    targets = _targets(uncached)
    host, port = base.removeprefix("http://").split(":")
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as shared:
        deadline = time.perf_counter() + seconds

        async def one_client(number: int) -> None:
            nonlocal errors
            connection = _Connection(host, int(port))
            turn = number * 1000 if uncached else number
            while time.perf_counter() < deadline:
                target = targets[turn % len(targets)]
                turn += 1
                started = time.perf_counter()
                try:
                    if use_httpx:
                        response = await shared.get(target)
                        status = response.status_code
                    else:
                        status, _ = await asyncio.wait_for(connection.get(target), 30)
                    if status != 200:
                        errors += 1
                except (httpx.HTTPError, OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    await connection.close()
                latencies.append(time.perf_counter() - started)
            await connection.close()

        await asyncio.gather(*(one_client(i) for i in range(clients)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="database URL (default: ingest the dev set into a temporary SQLite file)")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--uncached", action="store_true", help="make every request miss the response cache")
    parser.add_argument("--httpx", action="store_true", help="send with httpx instead of the minimal asyncio client")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="rasd-bench-") as folder:
        url = args.db or _dev_database(Path(folder))
        server, base = _start_server(url, args.workers)
        try:
            events = len(httpx.get(f"{base}/events", params={"limit": 10000, "background": "true"}).json()["items"])
            print(f"server: uvicorn, {args.workers} worker(s), {events} events; {args.clients} clients "
                  f"({'httpx' if args.httpx else 'asyncio streams'}{', uncached' if args.uncached else ''}) for {args.seconds:.0f} s on {base}/events; "
                  f"load average before: {os.getloadavg()[0]:.1f}")
            started = time.perf_counter()
            latencies, errors = asyncio.run(_load(base, args.clients, args.seconds, args.httpx, args.uncached))
            requests = len(latencies)
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    ms = sorted(x * 1000 for x in latencies)
    quantiles = statistics.quantiles(ms, n=100) if len(ms) > 1 else ms * 99
    print(f"requests: {requests} in {elapsed:.1f} s = {requests / elapsed:.0f}/s; errors: {errors}")
    print(f"latency ms: p50 {quantiles[49]:.1f}  p90 {quantiles[89]:.1f}  p99 {quantiles[98]:.1f}  max {ms[-1]:.1f}")


if __name__ == "__main__":
    main()
