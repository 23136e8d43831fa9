"""The pipeline: ingest -> text -> annotate -> extract, for one document or a batch.

`Pipeline` composes the stages; it builds each heavy resource (language model, gazetteer,
lexicon automata) once and reuses it. `process` never raises: a document that fails at any
stage comes back as a `DocumentResult` with `error` set, so a batch always goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from rasd.document import Document, Failure, PublicationDate, Segment
from rasd.event import DocumentResult

log = logging.getLogger(__name__)

Item = Document | Failure
# Documents per task sent to a worker: each task costs the parent a round of pickling and
# thread hand-offs, which at 8 documents took ~7 % of the parent's share of the cores.
_TASK_ITEMS = 32


@dataclass(slots=True)
class Processed:
    """A document after the pipeline: what storage needs beyond the output record."""

    result: DocumentResult
    document: Document | None = None  # None when the input could not even be read
    segments: list[Segment] = field(default_factory=list)
    published: PublicationDate | None = None
    failed_stage: str | None = None  # "read", "segment", "annotate", "extract"


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """Settings that change what the pipeline produces (none yet beyond defaults)."""

    keep_background: bool = True


class Pipeline:
    """Runs the stages over documents. Cheap to create; resources load on first use."""

    def __init__(self, config: PipelineConfig | None = None) -> None:
        self.config = config or PipelineConfig()

    def prepare(self, document: Document):  # -> rasd.text.PreparedDocument
        from rasd.text import prepare

        return prepare(document)

    def annotate(self, prepared):  # -> rasd.annotate.Annotations
        """What extraction reads (a document without a trigger gets only its actors)."""
        from rasd.annotate import annotate

        return annotate(prepared, for_events=True)

    def process(self, item: Item) -> DocumentResult:
        """Events and quotes of one document; failures become a result with `error`."""
        return self.analyse(item).result

    def analyse(self, item: Item) -> Processed:
        """Run every stage on one document, keeping what storage needs; never raises."""
        if isinstance(item, Failure):
            result = DocumentResult(id=item.origin, error=item.message(), document_id=item.document_id)
            return Processed(result, failed_stage=item.stage)
        document = item
        result = DocumentResult(id=document.label, url=document.url, document_id=document.id)
        processed = Processed(result, document)
        stage = "segment"
        try:
            prepared = self.prepare(document)
            processed.segments = prepared.segments
            processed.published = prepared.published
            result.published = prepared.published.iso() if prepared.published else None
            result.language = prepared.language
            stage = "annotate"
            annotations = self.annotate(prepared)
            stage = "extract"
            from rasd.extract import extract_events

            result.events, result.quotes = extract_events(prepared, annotations)
        except Exception as error:  # one bad document must never stop a batch
            log.warning("%s: %s failed", document.origin, stage, exc_info=True)
            result.error = f"{document.origin}: {stage} failed: {type(error).__name__}: {error}"
            processed.failed_stage = stage
        return processed

    def extract_text(
        self, text: str, url: str | None = None, published: str | None = None
    ) -> DocumentResult:
        return self.process(Document(text=text, url=url, published_hint=published, origin="<text>"))

    def run(self, items: Iterable[Item], workers: int = 1) -> Iterator[DocumentResult]:
        """Output records of a stream of documents, in input order, on `workers` processes."""
        for processed in self.run_analysed(items, workers, results_only=True):
            yield processed.result

    def run_analysed(
        self, items: Iterable[Item], workers: int = 1, results_only: bool = False
    ) -> Iterator[Processed]:
        """`analyse` over a stream, in input order, on `workers` processes (`results_only`:
        see `executor`)."""
        with self.executor(workers, results_only) as analyse_all:
            yield from analyse_all(items)

    @contextmanager
    def executor(
        self, workers: int = 1, results_only: bool = False
    ) -> Iterator[Callable[[Iterable[Item]], Iterator[Processed]]]:
        """A function that analyses items in order, on `workers` processes kept alive for
        the whole `with` block (each worker builds its pipeline once). `results_only`: the
        caller reads only `Processed.result`, so workers send back nothing else."""
        if workers <= 1:
            yield lambda items: (self.analyse(item) for item in items)
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_init_worker, initargs=(self.config,)) as pool:

            def analyse_all(items: Iterable[Item]) -> Iterator[Processed]:
                # The items go to the workers now, not when the caller starts reading: the
                # ingest job hands over its next chunk before it stores the previous one.
                # A worker sends back no copy of the document: this process still holds it
                # (a copy would be pickled twice more, and the parent shares the cores).
                sent: deque[Item] = deque()

                def feed() -> Iterator[Item]:  # runs in the pool's feeder thread
                    for item in items:
                        sent.append(item)
                        yield item

                work = _result_in_worker if results_only else _analyse_in_worker
                results = pool.imap(work, feed(), chunksize=_TASK_ITEMS)

                def in_order() -> Iterator[Processed]:
                    for processed in results:
                        item = sent.popleft()  # results come back in input order
                        if isinstance(item, Document):
                            processed.document = item
                        yield processed

                return in_order()

            yield analyse_all


_worker_pipeline: Pipeline | None = None


def _init_worker(config: PipelineConfig) -> None:
    global _worker_pipeline  # one pipeline per worker process, built once
    from rasd.runtime import use_batch_collection

    use_batch_collection()  # a process of our own (see rasd.runtime)
    _worker_pipeline = Pipeline(config)


def _analyse_in_worker(item: Item) -> Processed:
    assert _worker_pipeline is not None
    processed = _worker_pipeline.analyse(item)
    processed.document = None  # the parent has it (see Pipeline.executor)
    return processed


def _result_in_worker(item: Item) -> Processed:
    """`_analyse_in_worker` for a caller that reads only the result: what storage needs
    (segments, the publication date) stays here instead of being pickled."""
    processed = _analyse_in_worker(item)
    processed.segments, processed.published = [], None
    return processed


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()
