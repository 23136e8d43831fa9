"""Speed and memory of annotation: prepare + places + times + numbers per document, one core.

Reads a JSON Lines file of documents (default: the dev documents), repeats them to N
documents (default 5,000) as fresh `Document` objects, and prints:

- annotated documents per second on one core, by CPU time (and the share of each stage),
  and by the wall clock (the two differ when other processes share the machine),
- the cold start of a fresh process to its first resolved place (a subprocess that
  imports rasd and resolves "بغداد"; the gazetteer index must already be built),
- peak memory (max RSS) of this process with everything loaded.

Resources (language model, gazetteer, lexicons) are loaded before the clock starts, as a
long batch pays for them once. The per-segment memo that lets the number tagger reuse the
time tagger's work holds 64 segments, far fewer than one cycle of the dev documents, so
repeating them does not flatter the figures.

    .venv/bin/python bench/annotate.py [DOCS.jsonl] [--docs 5000]
"""

from __future__ import annotations

import argparse
import itertools
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEV_DOCS, load_records, reference_loop, set_up_like_the_command  # noqa: E402  (bench/common.py)

DEFAULT = DEV_DOCS

COLD_START = """
import time
started = time.perf_counter()
from rasd.annotate.places import find_places_in_text
found = find_places_in_text("انفجار في بغداد")
elapsed = time.perf_counter() - started
assert found and found[0].name, found
print(f"{elapsed:.3f} {found[0].name} {found[0].geonameid}")
"""


def cold_start() -> tuple[float, float, str]:
    """(seconds in the child from import to first place, wall seconds of the whole
    process including the interpreter, what it found)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", COLD_START], capture_output=True, text=True, check=False, timeout=600
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"cold-start child failed: {done.stderr.strip()[-500:]}")
    inner, _, found = done.stdout.strip().partition(" ")
    return float(inner), wall, found



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--docs", type=int, default=5000, help="documents to annotate (default 5000)")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the subprocess measurement")
    args = parser.parse_args()
    print(set_up_like_the_command())

    from rasd.document import Document

    texts = load_records(args.path)
    if not texts:
        print(f"no documents in {args.path}", file=sys.stderr)
        return 1

    if not args.no_cold_start:
        # first, so that a gazetteer build (if the cache is empty) is not counted
        from rasd.annotate.places import gazetteer

        gazetteer()
        inner, wall, found = cold_start()
        print(f"cold start to first resolved place: {inner:.2f} s in the process "
              f"({wall:.2f} s wall with interpreter start-up) -> {found}")

    documents = [
        Document(text, url=url, input_id=ident)
        for text, url, ident in itertools.islice(itertools.cycle(texts), args.docs)
    ]

    started = time.perf_counter()
    from rasd.annotate.numbers import find_numbers
    from rasd.annotate.places import find_places
    from rasd.annotate.times import find_times
    from rasd.text import prepare

    warm = prepare(Document("date 2021-11-07\nتحميل في بغداد الجمعة 3 أشخاص. Warm-up in Baghdad on Friday."))
    find_places(warm), find_times(warm), find_numbers(warm)
    print(f"loading (language model, gazetteer, lexicons): {time.perf_counter() - started:.2f} s")

    stages = {"prepare": 0.0, "places": 0.0, "times": 0.0, "numbers": 0.0}
    counts = {"places": 0, "times": 0, "numbers": 0}
    clock = time.process_time  # CPU time of this process: "one core" even on a busy machine
    wall_started = time.perf_counter()
    started = clock()
    for document in documents:
        t0 = clock()
        prepared = prepare(document)
        t1 = clock()
        counts["places"] += len(find_places(prepared))
        t2 = clock()
        counts["times"] += len(find_times(prepared))
        t3 = clock()
        counts["numbers"] += len(find_numbers(prepared))
        t4 = clock()
        stages["prepare"] += t1 - t0
        stages["places"] += t2 - t1
        stages["times"] += t3 - t2
        stages["numbers"] += t4 - t3
    elapsed = clock() - started
    wall = time.perf_counter() - wall_started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    n = len(documents)
    print(f"documents: {n} ({len(texts)} distinct, {sum(len(t) for t, _, _ in texts) // len(texts)} chars on average)")
    print(f"annotated: {n / elapsed:.0f} docs/s on one core, CPU time ({elapsed * 1000 / n:.2f} ms per document); "
          f"{n / wall:.0f} docs/s by the wall clock ({'the machine is busy' if wall > 1.3 * elapsed else 'idle machine'})")
    for stage, seconds in stages.items():
        print(f"  {stage:<8} {seconds * 1000 / n:6.3f} ms/doc  {100 * seconds / elapsed:5.1f} %")
    print(f"mentions per document: places {counts['places'] / n:.1f}, times {counts['times'] / n:.1f}, "
          f"numbers {counts['numbers'] / n:.1f}")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    print(f"machine reference: a 1M-step Python loop takes {reference_loop():.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
