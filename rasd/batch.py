"""The ingest job: read sources -> pipeline -> store -> fuse, safe to interrupt and re-run.

Documents already in the database are skipped before any work is done on them; each batch
of results is stored in one transaction; fusion runs on whatever is not fused yet every
`fuse_every` seconds and always at the end of a run (a stored event with no incident is
simply "not fused yet"). So a run killed at any moment (even with SIGKILL) leaves only
whole batches behind, and the next run completes the work with nothing lost and nothing
doubled.
"""

from __future__ import annotations

import itertools
import logging
import time
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from rasd.document import Document, Failure
from rasd.pipeline import Pipeline, Processed
from rasd.store.database import Database
from rasd.store.repository import SaveCounts, finish_run, save_batch, start_run, stored_ids

log = logging.getLogger(__name__)

Item = Document | Failure


@dataclass(slots=True)
class IngestReport:
    documents: int = 0  # newly stored
    skipped: int = 0  # already stored
    events: int = 0
    failures: int = 0
    fused_events: int = 0

    def add(self, counts: SaveCounts) -> None:
        self.documents += counts.documents
        self.skipped += counts.skipped
        self.events += counts.events
        self.failures += counts.failures


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _unstored(database: Database, chunk: list[Item], report: IngestReport) -> list[Item]:
    """The items of `chunk` that the database does not have yet."""
    ids = [i.id for i in chunk if isinstance(i, Document)]
    with database.transaction() as session:
        present = stored_ids(session, ids) if ids else set()
    fresh = [i for i in chunk if not (isinstance(i, Document) and i.id in present)]
    report.skipped += len(chunk) - len(fresh)
    return fresh


def ingest(
    database: Database,
    items: Iterable[Item],
    *,
    pipeline: Pipeline | None = None,
    workers: int = 1,
    batch_size: int = 50,
    command: str = "ingest",
    fuse: bool = True,
    fuse_every: float = 30.0,
    on_progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Extract, store and fuse every new document of `items`; return what was done."""
    from rasd.fuse.incremental import fuse_pending
    from rasd.fuse.similarity import Similarity

    pipeline = pipeline or Pipeline()
    similarity = Similarity()  # one embedding cache for the whole run
    report = IngestReport()
    with database.transaction() as session:
        run_id = start_run(session, command)

    def fuse_now() -> None:
        with database.transaction() as session:
            report.fused_events += fuse_pending(session, similarity).events

    last_fused = time.monotonic()

    def store(results: Iterator[Processed]) -> None:
        nonlocal last_fused
        for batch in _chunks(results, batch_size):
            report.add(_save(database, batch, run_id))  # type: ignore[arg-type]
            if fuse and time.monotonic() - last_fused >= fuse_every:
                fuse_now()  # incidents appear while a long run goes on
                last_fused = time.monotonic()
            if on_progress:
                on_progress(report)

    with pipeline.executor(workers) as analyse_all:
        # Database work stays in this thread: look up a chunk, hand it to the workers, and
        # store the previous chunk's results while they work (so they never wait for it).
        in_flight: Iterator[Processed] | None = None
        for chunk in _chunks(items, batch_size * max(1, workers) * 2):
            started = analyse_all(_unstored(database, chunk, report))
            if in_flight is not None:
                store(in_flight)
            in_flight = started
        if in_flight is not None:
            store(in_flight)
    if fuse:
        fuse_now()
    with database.transaction() as session:
        finish_run(session, run_id, SaveCounts(report.documents, report.skipped, report.events, report.failures))
    return report


def _save(database: Database, batch: list[Processed], run_id: int) -> SaveCounts:
    """One transaction per batch; a concurrent writer that stored a document first wins."""
    for attempt in range(3):
        try:
            with database.transaction() as session:
                return save_batch(session, batch, run_id)
        except IntegrityError:
            if attempt == 2:
                raise
            log.info("a concurrent ingest stored some of this batch first; retrying it")
    raise AssertionError("unreachable")


def progress_printer(total: int | None = None) -> tuple[Callable[[IngestReport], None], Callable[[], None]]:
    """A tqdm bar on a terminal (documents/s, events, failures); silent otherwise."""
    if not sys.stderr.isatty():
        return (lambda _report: None), (lambda: None)
    from tqdm import tqdm

    bar = tqdm(total=total, unit="doc", dynamic_ncols=True, file=sys.stderr)
    seen = 0

    def update(report: IngestReport) -> None:
        nonlocal seen
        done = report.documents + report.skipped + report.failures
        bar.update(done - seen)
        seen = done
        bar.set_postfix(events=report.events, failures=report.failures, refresh=False)

    return update, bar.close
