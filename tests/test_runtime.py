"""The process settings of batch runs (rasd.runtime)."""

from __future__ import annotations

import subprocess
import sys


def _thresholds_after(code: str) -> tuple[int, ...]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport gc; print(*gc.get_threshold())"],
                          capture_output=True, text=True, check=True)
    return tuple(int(x) for x in done.stdout.split())


def test_batch_collection_makes_young_collections_rarer_and_keeps_the_older_ratios() -> None:
    default = _thresholds_after("")
    batch = _thresholds_after("from rasd.runtime import use_batch_collection; use_batch_collection()")
    from rasd.runtime import BATCH_THRESHOLD

    assert batch == (BATCH_THRESHOLD, *default[1:])
    assert BATCH_THRESHOLD > default[0]


def test_importing_the_library_leaves_the_collector_alone() -> None:
    default = _thresholds_after("")
    assert _thresholds_after("import rasd.pipeline, rasd.annotate, rasd.extract") == default
