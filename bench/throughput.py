"""Throughput of the whole extraction: one process, `--workers 2`, and Spark local[2].

The dev documents (../shared/eval/dev.docs.jsonl, read at run time) are repeated to N
documents (default 20,000), each copy made distinct by a trailing marker line so that its
id differs, and written as JSON Lines and as a WARC.gz of HTML pages (warcio). Each mode
reads and analyses them (read -> text -> annotate -> extract) at 1x (N/10) and 10x (N); the
1x run is made before and after the 10x one and the two times averaged:

    single    Pipeline.run_analysed(read(...), workers=1)
    workers2  the same with workers=2 (a process pool, as `rasd ingest --workers 2`)
    spark     rasd.scale.spark.extract on local[2] (documents, events, failures counted);
              the session start is timed apart ("once the session is up": JVM and Python
              workers started, pipeline resources loaded in them, the extract job run once on
              one document, as the other modes load their resources first), and the full
              `rasd spark` job (+ fusion, Parquet) is timed too

Each run is its own process; peak RSS is the largest sum of resident memory over that
process and all its descendants (pool workers, the JVM and its Python workers), sampled
every 0.2 s from /proc. Pipeline resources are loaded before the clock starts in the
single and workers2 modes (a long run pays for them once), and in Spark's Python workers
during the session start.

    .venv/bin/python bench/throughput.py                 # 20,000 documents: long
    .venv/bin/python bench/throughput.py --docs 1000     # a quick run
    .venv/bin/python bench/throughput.py --docs 2000 --modes single,workers2 --inputs jsonl
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEV_DOCS, set_up_like_the_command  # noqa: E402  (bench/common.py)

REPO = Path(__file__).resolve().parents[1]
MODES = ("single", "workers2", "spark")
WARM_TEXT = "تحميل الموارد. Loading resources."  # one short document that loads every resource
INPUTS = ("jsonl", "warc")


def marker(n: int) -> str:
    """A trailing line without digits (digits could read as figures): copy 0 -> 'ref aaaa'."""
    letters = []
    for _ in range(4):
        n, r = divmod(n, 26)
        letters.append(chr(97 + r))
    return "ref " + "".join(reversed(letters))


def build(source: Path, count: int, folder: Path) -> dict[str, Path]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    jsonl, warc = folder / f"docs-{count}.jsonl", folder / f"docs-{count}.warc.gz"
    with jsonl.open("w", encoding="utf-8") as out, warc.open("wb") as raw:
        writer = WARCWriter(raw, gzip=True)
        for n in range(count):
            record = records[n % len(records)]
            text = record["text"].rstrip() + "\n\n" + marker(n) + "\n"
            url = (record.get("url") or "https://dev.example/doc") + f"#{marker(n).replace(' ', '-')}"
            out.write(json.dumps({"id": f"{record['id']}-{n}", "url": url, "text": text}, ensure_ascii=False) + "\n")
            page = "<html><head><title></title></head><body><article>" + "".join(
                f"<p>{line}</p>" for line in text.split("\n") if line.strip()
            ) + "</article></body></html>"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(page.encode("utf-8")), http_headers=headers))
    return {"jsonl": jsonl, "warc": warc}


# --- one measured run (a child process) -----------------------------------------------------------


def child(mode: str, path: str) -> dict:
    from rasd.document import Document
    from rasd.ingest import read

    if mode in ("single", "workers2"):
        from rasd.pipeline import Pipeline

        pipeline = Pipeline()
        started = time.perf_counter()
        pipeline.analyse(Document(WARM_TEXT))
        load = time.perf_counter() - started
        started = time.perf_counter()
        documents = events = failures = 0
        for processed in pipeline.run_analysed(read([path]), workers=1 if mode == "single" else 2):
            if processed.failed_stage is not None:
                failures += 1
            else:
                documents += 1
                events += len(processed.result.events)
        return {"seconds": time.perf_counter() - started, "load": load, "documents": documents, "events": events, "failures": failures}
    from rasd.scale.spark import extract, run, session

    started = time.perf_counter()
    spark = session("local[2]", app_name="rasd-bench")
    spark.sparkContext.setLogLevel("ERROR")
    _warm_up(spark)
    load = time.perf_counter() - started
    started = time.perf_counter()
    docs, events, failed = extract(spark, [path])
    counts = (docs.count(), events.count(), failed.count())
    seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="rasd-bench-") as output:
        started = time.perf_counter()
        report = run([path], output, spark=spark)
        full = time.perf_counter() - started
    spark.stop()
    return {"seconds": seconds, "load": load, "documents": counts[0], "events": counts[1], "failures": counts[2],
            "full_job_seconds": full, "incidents": report.incidents}


def _warm_up(spark) -> None:  # type: ignore[no-untyped-def]
    """Bring the session up the way the other modes are before their clock starts: the
    Python workers (kept alive: spark.python.worker.reuse) with the pipeline's resources
    loaded, and the JVM having planned and run the extract job once, on one document."""
    from rasd.scale.spark import extract

    def load(_rows):  # type: ignore[no-untyped-def]
        from rasd.document import Document
        from rasd.pipeline import default_pipeline

        default_pipeline().analyse(Document(WARM_TEXT))
        yield 1

    context = spark.sparkContext
    context.parallelize(range(context.defaultParallelism), context.defaultParallelism).mapPartitions(load).count()
    with tempfile.TemporaryDirectory(prefix="rasd-warm-") as folder:
        one = Path(folder) / "one.jsonl"
        one.write_text(json.dumps({"id": "warm", "text": WARM_TEXT}) + "\n", encoding="utf-8")
        documents, events, failures = extract(spark, [str(one)])
        documents.count(), events.count(), failures.count()


# --- the parent: run children, sample their memory ----------------------------------------------


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as handle:
                rss[int(entry)] = int(handle.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def measure(mode: str, path: Path) -> dict:
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", mode, str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{mode} on {path.name} failed (exit {process.returncode})")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_rss_mb"] = peak / 1024**2
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000, help="documents at 10x (1x is a tenth)")
    parser.add_argument("--source", type=Path, default=DEV_DOCS)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--inputs", default=",".join(INPUTS))
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        set_up_like_the_command()  # the child runs the job the way the rasd command does
        print(json.dumps(child(*args.child)))
        return 0
    modes = [m for m in args.modes.split(",") if m]
    inputs = [i for i in args.inputs.split(",") if i]
    if not args.source.is_file():
        print(f"no documents at {args.source}", file=sys.stderr)
        return 1
    small = max(1, args.docs // 10)
    with tempfile.TemporaryDirectory(prefix="rasd-throughput-") as tmp:
        folder = Path(tmp)
        files = {small: build(args.source, small, folder), args.docs: build(args.source, args.docs, folder)}
        print(f"{args.docs:,} documents (1x = {small:,}); machine load {os.getloadavg()[0]:.1f}; {os.cpu_count()} cores")
        print(f"{'input':6} {'mode':9} {'docs':>7} {'seconds':>9} {'docs/s':>8} {'peak RSS':>9} {'10x/1x':>7}  notes")
        rates: dict[tuple[str, str], float] = {}
        for kind in inputs:
            for mode in modes:
                # 1x runs before and after 10x, their mean taken: the machine's speed drifts
                # (shared host), and bracketing keeps a drift out of the 10x/1x ratio.
                before = measure(mode, files[small][kind])
                ten = measure(mode, files[args.docs][kind])
                after = measure(mode, files[small][kind])
                one = {**before, "seconds": (before["seconds"] + after["seconds"]) / 2,
                       "peak_rss_mb": max(before["peak_rss_mb"], after["peak_rss_mb"])}
                rate = ten["documents"] / ten["seconds"] if ten["seconds"] else 0.0
                rates[(kind, mode)] = rate
                notes = f"resources {ten['load']:.1f} s before the clock; {ten['events']:,} events, {ten['failures']} failed"
                if mode == "spark":
                    notes = (f"session start and warm-up {ten['load']:.1f} s (not counted); full job with fusion and Parquet "
                             f"{ten['full_job_seconds']:.1f} s ({ten['documents'] / ten['full_job_seconds']:.1f} docs/s), "
                             f"{ten['incidents']:,} incidents")
                bracket = f"mean of {before['seconds']:.1f} s before and {after['seconds']:.1f} s after the 10x run"
                for size, result in ((small, one), (args.docs, ten)):
                    ratio = f"{ten['seconds'] / one['seconds']:.2f}" if size == args.docs else ""
                    print(f"{kind:6} {mode:9} {result['documents']:>7,} {result['seconds']:>9.1f} {result['documents'] / result['seconds']:>8.1f} "
                          f"{result['peak_rss_mb']:>7.0f}MB {ratio:>7}  {notes if size == args.docs else bracket}", flush=True)
        for kind in inputs:
            single, two, spark = (rates.get((kind, m)) for m in MODES)
            if single and two:
                print(f"{kind}: --workers 2 / single = {two / single:.2f} (target >= 1.7)")
            if two and spark:
                print(f"{kind}: spark local[2] / --workers 2 = {spark / two:.2f} (target >= 0.8)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
