"""Speed of the text stage: rasd.text.prepare() per document on one core.

Reads a JSON Lines file of documents (default: the dev documents), repeats them to N
documents (default 5,000), and prints documents per second and peak memory. The model
and lexicons are loaded (and timed) before the clock starts, the way a long batch run
pays for them once.

    .venv/bin/python bench/segment.py [DOCS.jsonl] [--docs 5000]
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEV_DOCS, load_records, set_up_like_the_command  # noqa: E402  (bench/common.py)

DEFAULT = DEV_DOCS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--docs", type=int, default=5000, help="documents to prepare (default 5000)")
    args = parser.parse_args()
    print(set_up_like_the_command())

    from rasd.document import Document

    texts = load_records(args.path)
    if not texts:
        print(f"no documents in {args.path}", file=sys.stderr)
        return 1
    # fresh Document objects, so nothing is cached between repeats
    documents = [
        Document(text, url=url, input_id=ident)
        for text, url, ident in itertools.islice(itertools.cycle(texts), args.docs)
    ]

    started = time.perf_counter()
    from rasd.text import prepare
    from rasd.text.language import model

    model()
    prepare(Document("تحميل. Warm-up."))
    warm = time.perf_counter() - started

    segments = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    for document in documents:
        segments += len(prepare(document).segments)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    characters = sum(len(d.text) for d in documents)
    print(f"input            {args.path} ({len(texts)} distinct documents)")
    print(f"documents        {len(documents)}")
    print(f"segments         {segments} ({segments / len(documents):.1f} per document)")
    print(f"load + warm-up   {warm:.2f} s")
    print(f"prepare()        {elapsed:.2f} s wall, {cpu:.2f} s CPU")
    print(f"documents/s      {len(documents) / elapsed:,.0f} (wall), {len(documents) / cpu:,.0f} (CPU)")
    print(f"characters/s     {characters / elapsed:,.0f} (wall)")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average     {load} (other work on the machine slows both figures)")
    print(f"peak RSS         {peak_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
