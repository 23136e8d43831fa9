"""Predictions for a DOCS file: read it with rasd.ingest and run the pipeline over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rasd.evaluate.records import EvalInputError


def predict_records(docs: str | Path, *, workers: int = 1, pipeline: Any = None) -> Iterator[dict[str, Any]]:
    """One `rasd extract --format jsonl` record per document of `docs`, in input order, each
    event with the `incident` that in-memory fusion puts it in.

    `pipeline` defaults to `rasd.pipeline.Pipeline()`; anything with the same `run(items,
    workers)` method will do. A document the pipeline fails on comes back with `error`.
    """
    path = Path(docs)
    if not path.exists():
        raise EvalInputError(f"{path}: no such file")
    from rasd.ingest import read

    if pipeline is None:
        from rasd.pipeline import Pipeline

        pipeline = Pipeline()
    from rasd.fuse.cluster import fuse_results

    results = list(pipeline.run(read([path]), workers=workers))
    incidents = fuse_results(results)  # fused as `rasd ingest` would, for the fusion score
    for result in results:
        record = result.to_dict()
        for index, event in enumerate(record["events"]):
            event["incident"] = incidents.get((result.id, index))
        yield record
