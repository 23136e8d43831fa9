"""Machine instructions per document, counted by valgrind: a speed figure that the load on a
shared machine hardly moves.

docs/s on this machine swings by ±20 % within minutes (other tenants share the cores), so
a 3 % gain cannot be seen in one timing. Valgrind's cachegrind tool counts the instructions
the interpreter executes instead, which changes with the work done, not with the load. The
script runs itself three times under valgrind: once to write bytecode and caches (not
counted), once loading everything and warming up on the documents, and once doing that and
then processing N more; it prints the difference of the last two divided by N. Loading
itself varies a little from run to run, and that variation is divided by N: with the
default N, two runs of the same code differ by up to ~3 %, so compare changes of that size
with a larger N or several runs. It is slow (valgrind runs Python ~30 times slower).
Needs valgrind (Debian: valgrind).

    .venv/bin/python bench/instructions.py [prepare|annotate|pipeline] [--docs 146]
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEV_DOCS, load_records, set_up_like_the_command  # noqa: E402  (bench/common.py)

STAGES = ("prepare", "annotate", "pipeline")
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def work(stage: str, path: Path, count: int) -> None:
    """Warm up on every document of `path`, then run `stage` over `count` fresh copies."""
    from rasd.annotate.numbers import find_numbers
    from rasd.annotate.places import find_places
    from rasd.annotate.times import find_times
    from rasd.document import Document
    from rasd.pipeline import Pipeline
    from rasd.text import prepare

    set_up_like_the_command()
    records = load_records(path)
    pipeline = Pipeline()
    for text, url, ident in records:
        pipeline.process(Document(text, url=url, input_id=ident))
    documents = [Document(text, url=url, input_id=ident)
                 for text, url, ident in itertools.islice(itertools.cycle(records), count)]
    for document in documents:
        if stage == "prepare":
            prepare(document)
        elif stage == "annotate":  # what bench/annotate.py times
            prepared = prepare(document)
            find_places(prepared), find_times(prepared), find_numbers(prepared)
        else:  # what bench/extract.py times
            pipeline.process(document)


def instructions(stage: str, path: Path, count: int) -> int:
    """Instructions of a child process that does `work(stage, path, count)`."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               sys.executable, __file__, stage, str(path), "--docs", str(count), "--child"]
    env = dict(os.environ, PYTHONHASHSEED="0")  # the same dict and set layouts in every run
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    found = _REFS.search(done.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no instruction count:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", nargs="?", choices=STAGES, default="pipeline")
    parser.add_argument("path", nargs="?", type=Path, default=DEV_DOCS)
    parser.add_argument("--docs", type=int, default=146, help="documents counted (default 146)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        work(args.stage, args.path, args.docs)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 1
    # A first child writes what later runs only read (bytecode, caches): not counted.
    instructions(args.stage, args.path, 0)
    base = instructions(args.stage, args.path, 0)
    total = instructions(args.stage, args.path, args.docs)
    print(f"{args.stage}: {(total - base) / args.docs / 1e6:.2f} M instructions per document "
          f"({args.docs} documents of {args.path.name}, net of loading and warm-up)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
