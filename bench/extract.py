"""Speed and memory of event extraction: the whole pipeline (prepare, annotate, extract) per
document, on one core and on `--workers` processes.

Reads a JSON Lines file of documents (default: the dev documents), repeats them to N documents
(default 5,000) as fresh `Document` objects, and prints:

- documents per second through `Pipeline.run` on one core (CPU time and wall clock) and the
  share of each stage (prepare, places, times, numbers, actors, triggers, extract) measured on
  a second pass over the distinct documents (the first fills the word-form caches, as any long
  batch does; the per-segment memo holds 128 segments, fewer than one pass, so repetition does
  not flatter the figures),
- documents per second with `--workers` processes (wall clock),
- the cold start of a fresh process to its first event (a subprocess that imports rasd and
  extracts from one short Arabic report; the gazetteer index must already be built),
- peak memory (max RSS) of this process and of the worker pool.

Resources load before the clock starts, as a long batch pays for them once. On a machine
shared with other jobs the wall-clock figures fall; the CPU-time figure does not.

    .venv/bin/python bench/extract.py [DOCS.jsonl] [--docs 5000] [--workers 2]
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEV_DOCS, set_up_like_the_command  # noqa: E402  (bench/common.py)

DEFAULT = DEV_DOCS

COLD_START = """
import time
started = time.perf_counter()
import rasd
events = rasd.extract("استهدفت طائرة مسيرة مقرا عسكريا في بغداد صباح اليوم.", published="2024-03-12")
elapsed = time.perf_counter() - started
assert events, "no event"
print(f"{elapsed:.3f} {events[0].type}/{events[0].mode}")
"""


def cold_start() -> tuple[float, float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", COLD_START], capture_output=True, text=True,
                          check=False, timeout=600)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"cold-start child failed: {done.stderr.strip()[-500:]}")
    inner, _, found = done.stdout.strip().partition(" ")
    return float(inner), wall, found


def stage_shares(texts: list[str]) -> dict[str, float]:
    """Seconds per stage over one pass of the distinct documents."""
    from rasd.annotate import Annotations
    from rasd.annotate.actors import find_actors
    from rasd.annotate.numbers import find_numbers
    from rasd.annotate.places import find_places
    from rasd.annotate.times import find_times
    from rasd.annotate.triggers import find_triggers
    from rasd.document import Document
    from rasd.extract import extract_events
    from rasd.text import prepare

    spent = dict.fromkeys(("prepare", "places", "times", "numbers", "actors", "triggers", "extract"), 0.0)
    for text in texts:
        clock = time.process_time()
        prepared = prepare(Document(text=text))
        spent["prepare"] += time.process_time() - clock
        found = {}
        for name, finder in (("places", find_places), ("times", find_times), ("numbers", find_numbers),
                             ("actors", find_actors), ("triggers", find_triggers)):
            clock = time.process_time()
            found[name] = finder(prepared)
            spent[name] += time.process_time() - clock
        clock = time.process_time()
        extract_events(prepared, Annotations(**found))
        spent["extract"] += time.process_time() - clock
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--docs", type=int, default=5000, help="documents to process (default 5000)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the parallel run (default 2)")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the subprocess measurement")
    args = parser.parse_args()
    print(set_up_like_the_command())

    from rasd.document import Document
    from rasd.pipeline import Pipeline

    texts = [json.loads(line)["text"] for line in args.path.open(encoding="utf-8") if line.strip()]
    pipeline = Pipeline()
    for text in texts[:3]:  # load every resource before the clock starts
        pipeline.process(Document(text=text))

    def documents():
        return (Document(text=text, input_id=str(i)) for i, text in zip(range(args.docs), itertools.cycle(texts)))

    stage_shares(texts)  # warm-up: word-form caches fill with the corpus's vocabulary
    spent = stage_shares(texts)
    total = sum(spent.values())
    print(f"documents: {args.docs} (the {len(texts)} of {args.path.name}, repeated)")
    print("stage shares (CPU, second pass): " + ", ".join(
        f"{name} {1000 * seconds / len(texts):.2f} ms ({100 * seconds / total:.0f}%)" for name, seconds in spent.items()))

    cpu, wall = time.process_time(), time.perf_counter()
    events = sum(len(result.events) for result in pipeline.run(documents(), workers=1))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"one core: {args.docs / cpu:.0f} docs/s by CPU time, {args.docs / wall:.0f} docs/s wall clock "
          f"({events} events)")

    if args.workers > 1:
        wall = time.perf_counter()
        events = sum(len(result.events) for result in pipeline.run(documents(), workers=args.workers))
        wall = time.perf_counter() - wall
        print(f"{args.workers} workers: {args.docs / wall:.0f} docs/s wall clock ({events} events)")

    if not args.no_cold_start:
        inner, outer, found = cold_start()
        print(f"cold start to the first event: {inner:.2f} s in the process ({outer:.2f} s with the "
              f"interpreter), found {found}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {own:.0f} MB (this process), {children:.0f} MB (largest child)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
