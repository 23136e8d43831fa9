"""Ingest throughput into SQLite and PostgreSQL, and fusion time at 1x and 10x the documents.

    .venv/bin/python bench/ingest.py [--docs 5000] [--workers 2] [--pg URL]

The dev documents are repeated to --docs, each copy made distinct by a marker line so it
gets its own id. Prints documents/s per database and the time of `rasd fuse --rebuild`
over the stored events at 1x and 10x the documents (target: 10x in at most 12x the time).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEV_DOCS, set_up_like_the_command  # noqa: E402  (bench/common.py)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rasd.batch import ingest  # noqa: E402
from rasd.document import Document  # noqa: E402
from rasd.fuse.incremental import rebuild  # noqa: E402
from rasd.store.database import open_database  # noqa: E402

DEV = DEV_DOCS


def documents(source: Path, count: int) -> list[Document]:
    base = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
    out = []
    for i in range(count):
        record = base[i % len(base)]
        copy = i // len(base)
        text = record["text"] if copy == 0 else f"{record['text']}\n\n[copy {copy}]"
        out.append(Document(text=text, url=record.get("url"), input_id=f"{record['id']}#{copy}",
                            origin=f"bench:{i}"))
    return out


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def time_ingest(url: str, docs: list[Document], workers: int) -> tuple[float, int]:
    database = open_database(url)
    start = time.perf_counter()
    report = ingest(database, docs, workers=workers)
    elapsed = time.perf_counter() - start
    database.close()
    return elapsed, report.events


def time_rebuild(url: str) -> float:
    database = open_database(url)
    start = time.perf_counter()
    with database.transaction() as session:
        rebuild(session)
    elapsed = time.perf_counter() - start
    database.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--source", type=Path, default=DEV)
    parser.add_argument("--pg", default=os.environ.get("RASD_TEST_PG"), help="PostgreSQL URL (dropped and recreated!)")
    parser.add_argument("--fusion-docs", type=int, default=500, help="documents for the 1x fusion timing")
    args = parser.parse_args()
    print(set_up_like_the_command())

    docs = documents(args.source, args.docs)
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{folder}/bench.db"
        elapsed, events = time_ingest(sqlite_url, docs, args.workers)
        print(f"sqlite      {args.docs} docs, {events} events in {elapsed:.1f} s: "
              f"{args.docs / elapsed:.0f} docs/s with {args.workers} workers")
        if args.pg:
            reset_postgres(args.pg)
            elapsed, events = time_ingest(args.pg, docs, args.workers)
            print(f"postgresql  {args.docs} docs, {events} events in {elapsed:.1f} s: "
                  f"{args.docs / elapsed:.0f} docs/s with {args.workers} workers")

        timings = {}
        for factor in (1, 10):
            url = f"sqlite:///{folder}/fusion-{factor}.db"
            time_ingest(url, documents(args.source, args.fusion_docs * factor), args.workers)
            timings[factor] = time_rebuild(url)
            print(f"fusion      {args.fusion_docs * factor} docs: rebuild in {timings[factor]:.2f} s")
        print(f"fusion      10x the documents took {timings[10] / timings[1]:.1f}x the time (target <= 12x)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS    {peak:.0f} MB (this process)")


if __name__ == "__main__":
    main()
