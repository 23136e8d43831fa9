"""What the bench scripts share: the default documents, loading them, and a machine-speed
reference (on a shared machine every figure scales with it)."""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

DEV_DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev.docs.jsonl"


def load_records(path: Path) -> list[tuple[str, str | None, str | None]]:
    """(text, url, id) of each JSON line of `path`."""
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                records.append((record["text"], record.get("url"), record.get("id")))
    return records


def reference_loop() -> float:
    """Seconds for a 1M-step pure-Python loop: how fast this machine is right now."""
    started = time.perf_counter()
    total = 0
    for step in range(1_000_000):
        total += step
    return time.perf_counter() - started


def set_up_like_the_command() -> str:
    """Set this process up the way the `rasd` command sets up its own (rasd.runtime), and
    say so for the report."""
    from rasd.runtime import BATCH_THRESHOLD, use_batch_collection

    use_batch_collection()
    return (f"process set up like the rasd command (collector threshold {BATCH_THRESHOLD:,}); "
            f"{interpreter()}")


def interpreter() -> str:
    """Which CPython runs the bench: builds of one version differ in speed (README, "Speed")."""
    return f"Python {platform.python_version()} ({sys.base_prefix}, {platform.python_compiler()})"
