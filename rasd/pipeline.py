"""The pipeline: ingest -> text -> annotate -> extract, for one document or a batch.

`Pipeline` composes the stages; it builds each heavy resource (language model, gazetteer,
lexicon automata) once and reuses it. `process` never raises: a document that fails at any
stage comes back as a `DocumentResult` with `error` set, so a batch always goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from rasd.document import Document, Failure
from rasd.event import DocumentResult

log = logging.getLogger(__name__)

Item = Document | Failure


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
        from rasd.annotate import annotate

        return annotate(prepared)

    def process(self, item: Item) -> DocumentResult:
        """Events and quotes of one document; failures become a result with `error`."""
        if isinstance(item, Failure):
            return DocumentResult(id=item.origin, error=item.message(), document_id=item.document_id)
        document = item
        result = DocumentResult(id=document.label, url=document.url, document_id=document.id)
        stage = "segment"
        try:
            prepared = self.prepare(document)
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
        return result

    def extract_text(
        self, text: str, url: str | None = None, published: str | None = None
    ) -> DocumentResult:
        return self.process(Document(text=text, url=url, published_hint=published, origin="<text>"))

    def run(self, items: Iterable[Item], workers: int = 1) -> Iterator[DocumentResult]:
        """Process a stream of documents in input order, on `workers` processes."""
        if workers <= 1:
            for item in items:
                yield self.process(item)
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_init_worker, initargs=(self.config,)) as pool:
            yield from pool.imap(_process_in_worker, items, chunksize=16)


_worker_pipeline: Pipeline | None = None


def _init_worker(config: PipelineConfig) -> None:
    global _worker_pipeline  # one pipeline per worker process, built once
    _worker_pipeline = Pipeline(config)


def _process_in_worker(item: Item) -> DocumentResult:
    assert _worker_pipeline is not None
    return _worker_pipeline.process(item)


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()
