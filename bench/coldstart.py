"""Cold start: how long a fresh process takes to its first result, and its peak memory.

Each scenario runs in a new interpreter (subprocess), several times; the median is printed.
The clock starts before `import rasd` and stops when the first result is in hand, so it
covers imports, loading the caches (language model, lexicon automata, gazetteer keys) and
the first call. The interpreter's own start-up is shown apart ("wall").

The caches in $RASD_CACHE (default ~/.cache/rasd) are built first by one warm-up run per
scenario, so the figures are those of every later start (issue targets: first place
≤ 0.3 s, first event ≤ 1 s, after the gazetteer index exists). `--cold-cache` gives every
run a fresh RASD_CACHE that holds only the gazetteer index (linked), to see the one-off
cost of a first start after installation, when the other caches are built.

Python's compiled bytecode is kept between runs (in a folder of the temporary directory,
via PYTHONPYCACHEPREFIX), as it is for an installed package, even where the environment
sets PYTHONDONTWRITEBYTECODE (compiling rasd's modules from source would add ~0.3 s to
every start); `--no-bytecode` measures that case instead.

    .venv/bin/python bench/coldstart.py [--runs 5] [--cold-cache]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import reference_loop  # noqa: E402  (bench/common.py)

# The kadhimi sentence of issue 4, and a mixed Arabic/English report with an embedded post.
_ARABIC = "استهدفت طائرة مسيرة منزل رئيس الوزراء العراقي في بغداد صباح الأحد."
_MIXED = (
    "date 2021-11\n"
    "أعلنت السلطات العراقية أن ستة من أفراد الحماية أصيبوا في الهجوم على منزل رئيس الوزراء في بغداد.\n\n"
    "The State Department condemned the attack on the prime minister's residence in Baghdad.\n"
    "— Ned Price (@StateDeptSpox) November 7, 2021\n"
)

SCENARIOS = {
    "import rasd": "import rasd\nresult = rasd.__version__",
    "first place (بغداد)": (
        "from rasd.annotate.places import find_places_in_text\n"
        "result = find_places_in_text('انفجار في بغداد')[0].name"
    ),
    "first prepare (Arabic)": (
        "from rasd.document import Document\nfrom rasd.text import prepare\n"
        f"result = prepare(Document({_ARABIC!r})).language"
    ),
    "first event (Arabic sentence)": (
        "import rasd\n"
        f"result = len(rasd.extract({_ARABIC!r}, published='2021-11-07'))"
    ),
    "first event (mixed ar/en report)": (
        "import rasd\n"
        f"result = len(rasd.extract({_MIXED!r}))"
    ),
}

_CHILD = """
import resource, time
started, cpu = time.perf_counter(), time.process_time()
{code}
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{elapsed:.4f}} {{cpu:.4f}} {{peak:.0f}} {{result}}")
"""


def run(code: str, env: dict[str, str]) -> tuple[float, float, float, float, str]:
    """(seconds from the first import to the result, the CPU seconds of that, wall seconds
    of the whole process, peak RSS in MB, what the child found)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD.format(code=code)],
        capture_output=True, text=True, env=env, check=False, timeout=900,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"child failed:\n{done.stderr.strip()[-2000:]}")
    inner, cpu, peak, found = done.stdout.strip().splitlines()[-1].split(" ", 3)
    return float(inner), float(cpu), wall, float(peak), found



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per scenario (default 5)")
    parser.add_argument("--cold-cache", action="store_true", help="use an empty RASD_CACHE (builds everything)")
    parser.add_argument("--only", help="run only the scenarios whose name contains this")
    parser.add_argument("--no-bytecode", action="store_true", help="compile every module from source in every run")
    args = parser.parse_args()

    base = dict(os.environ)
    if args.no_bytecode:
        base["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        base["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "rasd-bench-pycache")

    from rasd.annotate.places.gazetteer import ensure_index

    index = ensure_index()  # built once (20-40 s) if missing; never counted
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average {load}; a 1M-step Python loop takes {reference_loop():.3f} s "
          "(on a busy machine every figure grows; CPU time less than the wall clock)")
    where = "a fresh folder per run holding only the gazetteer index" if args.cold_cache else str(index.parent)
    print(f"cache: {where}; bytecode: {'compiled from source every run' if args.no_bytecode else 'kept'}")
    for name, code in SCENARIOS.items():
        if args.only and args.only not in name:
            continue
        if not args.cold_cache:
            run(code, dict(base))  # builds whatever cache this scenario needs, if missing
        timings = []
        for _ in range(args.runs):
            env = dict(base)
            with tempfile.TemporaryDirectory(prefix="rasd-cache-") as scratch:
                if args.cold_cache:
                    os.symlink(index, os.path.join(scratch, index.name))
                    env["RASD_CACHE"] = scratch
                timings.append(run(code, env))
        inner = statistics.median(t[0] for t in timings)
        cpu = statistics.median(t[1] for t in timings)
        wall = statistics.median(t[2] for t in timings)
        peak = max(t[3] for t in timings)
        print(f"{name:<34} {inner:6.3f} s ({cpu:.3f} s CPU) in the process, median of {args.runs} "
              f"(min {min(t[0] for t in timings):.3f}); {wall:.2f} s wall with the interpreter; "
              f"peak RSS {peak:.0f} MB -> {timings[-1][4]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
