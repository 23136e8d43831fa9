"""rasd on Spark: the same readers, pipeline and fusion as `rasd ingest`, distributed.

Work units: one JSON line (JSON Lines files are split by Spark's own text reader, so a
file on HDFS or S3 splits across tasks), a run of records of a WARC file (the driver
lists record offsets once, then each task opens the file and reads its records), or a
whole file of any other kind (text, HTML, feed). Each executor process builds the pipeline
once (`default_pipeline`) and units flow through `mapPartitions`. Documents that occur
twice (same id) are kept once, the first in input order, as the ingest job does.

Output (Parquet) under the output folder:

    events/     one row per event, partitioned by year, month and country, with its
                incident id; `record` holds the full event record as JSON
    incidents/  one row per incident, summarised exactly as the database does it
    documents/  one row per document
    failures/   one row per input or document that failed (origin, stage, reason)

Fusion is a DataFrame job: blocking (type family, country, dates within a day) gives the
candidate pairs, the single-machine pairwise rule (rasd.fuse.rules.same_incident) keeps
the links, and connected components come from label propagation (each event takes the
smallest id in its component). Incident ids derive from the smallest member event id, so
the incidents equal those of `rasd ingest` on the same documents.

    rasd spark INPUT... --output DIR [--master local[2]]
    spark-submit --py-files rasd.zip -m ... : see docs/SPARK.md (python -m rasd.scale.spark)
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

WARC_CHUNK = 200  # records per WARC work unit (about 60 pages of CC-NEWS: request/response/metadata)
LINE_CHUNK = 200  # JSON lines per work unit

EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("document_id", "string"), ("idx", "int"), ("type", "string"),
    ("mode", "string"), ("acled_event_type", "string"), ("acled_sub_event_type", "string"),
    ("cameo", "string"), ("date_start", "date"), ("date_end", "date"), ("date_precision", "string"),
    ("location_name", "string"), ("geonameid", "string"), ("admin1", "string"), ("country", "string"),
    ("lat", "double"), ("lon", "double"), ("location_precision", "string"), ("actor1_name", "string"),
    ("actor1_sector", "string"), ("actor1_country", "string"), ("actor2_name", "string"),
    ("actor2_sector", "string"), ("actor2_country", "string"), ("fatalities", "int"),
    ("injured", "int"), ("weapon", "string"), ("background", "boolean"), ("confidence", "double"),
    ("language", "string"), ("record", "string"), ("seq", "string"),
)
DOCUMENT_COLUMNS = (("id", "string"), ("input_id", "string"), ("origin", "string"), ("url", "string"),
                    ("title", "string"), ("published", "string"), ("language", "string"), ("events", "int"),
                    ("seq", "string"))
FAILURE_COLUMNS = (("origin", "string"), ("document_id", "string"), ("stage", "string"), ("reason", "string"),
                   ("seq", "string"))
INCIDENT_COLUMNS = (
    ("id", "string"), ("type", "string"), ("mode", "string"), ("acled_event_type", "string"),
    ("acled_sub_event_type", "string"), ("date_start", "date"), ("date_end", "date"),
    ("date_precision", "string"), ("country", "string"), ("admin1", "string"), ("location_name", "string"),
    ("lat", "double"), ("lon", "double"), ("location_precision", "string"), ("fatalities", "int"),
    ("fatalities_max", "int"), ("injured", "int"), ("injured_max", "int"), ("actor1", "string"),
    ("actor2", "string"), ("n_events", "int"), ("n_documents", "int"), ("languages", "array<string>"),
    ("event_ids", "array<string>"),
)
_INCIDENT_FIELDS = [name for name, _ in INCIDENT_COLUMNS]


@dataclass(slots=True)
class SparkReport:
    documents: int
    events: int
    failures: int
    incidents: int


def _schema(columns: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f"`{name}` {kind}" for name, kind in columns)


# --- the work units ---------------------------------------------------------------------------
# A unit is (kind, path, origin, seq, a, b): kind "lines" (a = byte offset, b = (first line
# number, line count)), "warc" (a = start offset, b = record count), "warc-tail" (a = start
# offset), "file". `seq` orders units as `rasd ingest` meets them ("first occurrence wins").
# Paths must be readable from every executor (a shared file system; see docs/SPARK.md).


def _files(inputs: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """(reader name, path, origin) for every file the inputs name, in the order `rasd ingest` reads them."""
    from pathlib import Path

    from rasd.ingest.folder import FolderFile, walk
    from rasd.ingest.registry import SNIFF_BYTES, sniff, spec_for_name

    for source in inputs:
        if os.path.isdir(source):
            for found in walk(Path(source), source):
                if isinstance(found, FolderFile):
                    yield found.reader, str(found.path), found.origin
            continue
        spec = spec_for_name(Path(source).name)
        if spec is None and os.path.isfile(source):
            with open(source, "rb") as handle:
                yield sniff(handle.read(SNIFF_BYTES)), source, source
        else:
            yield (spec.name if spec else "text"), source, source


def _seq(*parts: int) -> str:
    return ":".join(f"{p:012d}" for p in parts)


def _warc_units(path: str, origin: str, seq: str) -> list[tuple]:
    from rasd.ingest.warc import record_offsets

    offsets, complete = record_offsets(path)
    units: list[tuple] = []
    for i in range(0, len(offsets), WARC_CHUNK):
        last = i + WARC_CHUNK >= len(offsets)
        if last and not complete:  # the scan stopped at damage: read on from here, resuming
            units.append(("warc-tail", path, origin, f"{seq}:{_seq(offsets[i])}", offsets[i], 0))
        else:
            units.append(("warc", path, origin, f"{seq}:{_seq(offsets[i])}", offsets[i], min(WARC_CHUNK, len(offsets) - i)))
    if not offsets:
        units.append(("warc-tail", path, origin, f"{seq}:{_seq(0)}", 0, 0))
    return units


def _jsonl_units(path: str, origin: str, seq: str) -> list[tuple]:
    from rasd.ingest.jsonl import line_offsets

    with open(path, "rb") as handle:
        if handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16/32: rare; read whole
            return [("file", path, origin, f"{seq}:{_seq(0)}", 0, 0)]
    points = line_offsets(path, LINE_CHUNK)
    return [("lines", path, origin, f"{seq}:{_seq(line)}", offset, (line, LINE_CHUNK)) for offset, line in points]


def work_units(inputs: list[str]) -> list[tuple]:
    """The units of work for all inputs, in input order (indexing big files costs one read)."""
    units: list[tuple] = []
    for number, (reader, path, origin) in enumerate(_files(inputs)):
        seq = _seq(number)
        if reader == "jsonl" and os.path.isfile(path):
            units.extend(_jsonl_units(path, origin, seq))
        elif reader == "warc" and os.path.isfile(path):
            units.extend(_warc_units(path, origin, seq))
        else:
            units.append(("file", path, origin, f"{seq}:{_seq(0)}", 0, 0))
    return units


def _items(unit: tuple) -> Iterator[Any]:
    """Documents (or failures) of one unit."""
    from rasd.ingest import ReadLimits
    from rasd.ingest.sources import read_path

    kind, path, origin, _seq_, a, b = unit
    limits = ReadLimits.from_env()
    if kind == "lines":
        from rasd.ingest.jsonl import read_lines

        with open(path, "rb") as handle:
            handle.seek(a)
            yield from read_lines(handle, origin, limits, first_number=b[0], count=b[1])
    elif kind == "warc":
        from rasd.ingest.warc import read_range

        yield from read_range(path, origin, limits, a, b)
    elif kind == "warc-tail":
        from rasd.ingest.warc import read_from

        yield from read_from(path, origin, limits, a)
    else:
        yield from read_path(path, limits, origin)


def _guarded(unit: tuple) -> Iterator[Any]:
    """The items of a unit; a reader bug fails that unit (as a Failure), not the job."""
    from rasd.ingest.base import failure

    try:
        yield from _items(unit)
    except Exception as error:  # noqa: BLE001 - one bad unit must not kill the job after 4 task retries
        log.exception("%s: reading failed", unit[2])
        yield failure(f"{unit[2]}:offset {unit[4]}" if unit[0] != "file" else unit[2], f"reader failed: {type(error).__name__}: {error}")


def process_partition(units: Iterable[tuple]) -> Iterator[tuple[str, str]]:
    """Run the pipeline over a partition; emit ("event"|"document"|"failure", JSON row)."""
    from rasd.pipeline import default_pipeline
    from rasd.runtime import use_batch_collection
    from rasd.store.repository import event_columns

    use_batch_collection()  # an executor's Python worker runs nothing but rasd
    pipeline = default_pipeline()  # built once per executor process
    for unit in units:
        for number, item in enumerate(_guarded(unit)):
            seq = f"{unit[3]}:{_seq(number)}"
            processed = pipeline.analyse(item)
            document, result = processed.document, processed.result
            if processed.failed_stage is not None or document is None:
                origin = document.origin if document else result.id
                yield "failure", json.dumps({"origin": origin, "document_id": result.document_id, "seq": seq,
                                             "stage": processed.failed_stage or "read", "reason": result.error})
                continue
            yield "document", json.dumps({
                "id": document.id, "input_id": document.input_id, "origin": document.origin, "url": document.url,
                "title": document.title, "published": result.published, "language": result.language,
                "events": len(result.events), "seq": seq}, ensure_ascii=False)
            for index, event in enumerate(result.events):
                row = event_columns(document.id, index, event)
                row.pop("search_text")
                row["record"] = json.dumps(row["record"], ensure_ascii=False)
                row["seq"] = seq
                for key in ("date_start", "date_end"):
                    row[key] = row[key].isoformat() if row[key] else None
                yield "event", json.dumps(row, ensure_ascii=False)


# --- the session --------------------------------------------------------------------------------


def session(master: str | None = "local[2]", app_name: str = "rasd"):  # type: ignore[no-untyped-def]
    """A SparkSession. `local[N]` is set up to run offline here (no UI, loopback only, the
    workers on this interpreter); None keeps what spark-submit configured."""
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.appName(app_name)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false"))
    if master and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        builder = (builder.master(master)
                   .config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.sql.shuffle.partitions", "4")
                   .config("spark.python.worker.reuse", "true")
                   # The driver JVM shares the cores with the Python workers that do the
                   # work; C1-only JIT halves the CPU it spends compiling.
                   .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1"))
    elif master:
        builder = builder.master(master)
    return builder.getOrCreate()


def extract(spark, inputs: list[str], partitions: int | None = None):  # type: ignore[no-untyped-def]
    """DataFrames (documents, events, failures) for the inputs, each document once."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    context = spark.sparkContext
    units = work_units(inputs)
    # One partition per unit (a unit is a few seconds of work): the cores finish together
    # instead of one of them working alone through a big last partition.
    slices = partitions or max(2, len(units))
    tagged = context.parallelize(units, max(1, slices)).mapPartitions(process_partition)
    rows = spark.createDataFrame(tagged, "tag string, json string").cache()

    def table(tag: str, columns):  # type: ignore[no-untyped-def]
        parsed = rows.where(F.col("tag") == tag).select(F.from_json("json", _schema(columns)).alias("r"))
        return parsed.select("r.*")

    documents, events, failures = table("document", DOCUMENT_COLUMNS), table("event", EVENT_COLUMNS), table("failure", FAILURE_COLUMNS)
    # A document that occurs more than once is kept where it first occurs, as `rasd ingest`
    # does. Only the ids (a small table) are shuffled to find repeats; most inputs have none,
    # and then documents and events are used as they are, with no join at all. (This action
    # runs the pipeline over the input; `rows` keeps its output.)
    repeated = (documents.groupBy("id").agg(F.min("seq").alias("_first"), F.count(F.lit(1)).alias("_n"))
                .where("_n > 1").drop("_n").cache())
    if repeated.take(1):
        first = F.col("_first").isNull() | (F.col("seq") == F.col("_first"))
        documents = documents.join(repeated, "id", "left").where(first).select(*documents.columns)
        events = (events.join(repeated.withColumnRenamed("id", "document_id"), "document_id", "left")
                  .where(first).select(*events.columns))
    last = Window.partitionBy("origin", "stage").orderBy(F.col("seq").desc())
    failures = failures.withColumn("_n", F.row_number().over(last)).where("_n = 1").drop("_n")
    return documents.drop("seq"), events.drop("seq"), failures.drop("seq")


# --- fusion --------------------------------------------------------------------------------------


class _Obj:
    """Attribute access over a dict, so the single-machine `item_of` and `summarise` read Spark rows."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.__dict__.update(data or {})


# every column fusion might read (the rules evolve; `record` is left out of the pair rows)
_FUSION_COLUMNS = tuple(name for name, _ in EVENT_COLUMNS if name not in ("record", "seq"))


def _item(data: dict[str, Any]):  # type: ignore[no-untyped-def]
    """The FusionItem of one event row (a dict of `events` columns; `record` as JSON text)."""
    from rasd.fuse.rules import FusionItem

    record = data.get("record")
    return FusionItem.from_row(_Obj({**data, "record": json.loads(record) if isinstance(record, str) else record}))


def _cluster_group(pair: tuple[Any, Iterable[Any]]) -> Iterator[tuple[str, str]]:
    """(event id, incident id) for one fusion group, by the single-machine `cluster` itself."""
    from rasd.fuse.cluster import cluster

    _key, rows = pair
    assignment = cluster([_item(row.asDict()) for row in rows])
    yield from assignment.items()


def fuse(spark, events):  # type: ignore[no-untyped-def]
    """Incident id for every fusable event: a DataFrame of (id, incident_id).

    Incidents never span a block (type family x country), and reports dated to the day link
    only within their day, so the blocking key is (family, country, day): each group is
    fused on its own by `rasd.fuse.cluster.cluster` (candidate pairs within the group, the
    pairwise rule, connected components, ids from the smallest member). A block that also
    holds reports without a day is one group (family, country): such a report may join any
    compatible incident of its block. One shuffle, no iterations; equal to the database's
    fusion, which runs the same `cluster` block by block.
    """
    from pyspark.sql import functions as F

    from rasd.fuse.rules import TYPE_FAMILY

    family = F.col("type")
    for type_name, name in TYPE_FAMILY.items():
        family = F.when(F.col("type") == type_name, F.lit(name)).otherwise(family)
    fusable = (events.where(~F.col("background") & F.col("country").isNotNull())
               .select(*_FUSION_COLUMNS, "record").withColumn("family", family))
    on_a_day = (F.col("date_precision") == "day") & F.col("date_start").isNotNull()
    mixed = fusable.where(~on_a_day).select("family", "country").distinct().withColumn("_mixed", F.lit(True))
    keyed = (fusable.join(F.broadcast(mixed), ["family", "country"], "left")
             .withColumn("_day", F.when(F.col("_mixed").isNull(), F.col("date_start").cast("string"))))
    groups = keyed.rdd.map(lambda row: ((row.family, row.country, row._day), row)).groupByKey()
    return spark.createDataFrame(groups.flatMap(_cluster_group), "id string, incident_id string")


def _summary(pair: tuple[str, Iterable[Any]]) -> dict[str, Any]:
    """One incident's row, by the database's own `summarise`."""
    from rasd.fuse.summary import summarise

    incident_id, rows = pair
    members = [_Obj(row.asDict()) for row in rows]
    incident = _Obj({"id": incident_id})
    summarise(incident, members)  # type: ignore[arg-type]
    out = {name: getattr(incident, name, None) for name in _INCIDENT_FIELDS}
    out["actor1"] = json.dumps(incident.actor1, ensure_ascii=False) if incident.actor1 else None
    out["actor2"] = json.dumps(incident.actor2, ensure_ascii=False) if incident.actor2 else None
    out["event_ids"] = sorted(m.id for m in members)
    return out


def incidents(spark, events):  # type: ignore[no-untyped-def]
    """The incidents table from events that carry an incident_id."""
    from pyspark.sql import Row

    grouped = events.where("incident_id is not null").rdd.map(lambda row: (row.incident_id, row)).groupByKey()
    rows = grouped.map(_summary).map(lambda d: Row(**d))
    return spark.createDataFrame(rows, _schema(INCIDENT_COLUMNS))


# --- the job -------------------------------------------------------------------------------------


def run(
    inputs: list[str],
    output: str,
    *,
    master: str | None = "local[2]",
    partitions: int | None = None,
    spark=None,  # type: ignore[no-untyped-def]
) -> SparkReport:
    """Extract and fuse `inputs`, writing Parquet tables under `output`. With `spark`, that
    session is used (and left running); otherwise one is started and stopped."""
    from pyspark.sql import functions as F

    own = spark is None
    spark = spark or session(master)
    try:
        documents, events, failures = extract(spark, inputs, partitions)
        documents, events, failures = documents.cache(), events.cache(), failures.cache()
        events = events.join(fuse(spark, events), "id", "left").cache()
        (events.withColumn("year", F.year("date_start")).withColumn("month", F.month("date_start"))
         .write.mode("overwrite").partitionBy("year", "month", "country").parquet(os.path.join(output, "events")))
        documents.write.mode("overwrite").parquet(os.path.join(output, "documents"))
        failures.write.mode("overwrite").parquet(os.path.join(output, "failures"))
        summary = incidents(spark, events).cache()
        summary.write.mode("overwrite").parquet(os.path.join(output, "incidents"))
        return SparkReport(documents.count(), events.count(), failures.count(), summary.count())
    finally:
        if own:
            spark.stop()


def main(argv: list[str] | None = None) -> int:
    """`python -m rasd.scale.spark INPUT... --output DIR` (also the spark-submit entry point)."""
    import argparse

    parser = argparse.ArgumentParser(prog="rasd-spark", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--output", required=True)
    parser.add_argument("--master", default=os.environ.get("RASD_SPARK_MASTER"),
                        help="local[N] to run here; default: what spark-submit configured")
    parser.add_argument("--partitions", type=int)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    report = run(args.inputs, args.output, master=args.master, partitions=args.partitions)
    print(f"{report.documents} documents, {report.events} events, {report.failures} failures, "
          f"{report.incidents} incidents -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
