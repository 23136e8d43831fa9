"""rasd on Spark: the same pipeline and the same fusion, distributed.

Work units (a JSON line, or a whole file: text, HTML, WARC) are spread over the cluster;
each executor process builds the pipeline once (`default_pipeline`) and documents flow
through `mapPartitions`. Events are written as Parquet partitioned by year, month and
country; failures and documents as their own tables. Fusion is a DataFrame job — blocking
keys, candidate pairs, the same pairwise rule as the single-machine fusion, then connected
components by label propagation — so its incidents equal `rasd ingest`'s on the same input.

Run it with `rasd spark INPUT... --output DIR`, or `spark-submit -m rasd.scale.spark`-style
via `python -m rasd.scale.spark` (see docs/SPARK.md).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("document_id", "string"), ("idx", "int"), ("type", "string"),
    ("mode", "string"), ("acled_event_type", "string"), ("acled_sub_event_type", "string"),
    ("cameo", "string"), ("date_start", "date"), ("date_end", "date"), ("date_precision", "string"),
    ("location_name", "string"), ("geonameid", "string"), ("admin1", "string"), ("country", "string"),
    ("lat", "double"), ("lon", "double"), ("location_precision", "string"), ("actor1_name", "string"),
    ("actor1_sector", "string"), ("actor1_country", "string"), ("actor2_name", "string"),
    ("actor2_sector", "string"), ("actor2_country", "string"), ("fatalities", "int"),
    ("injured", "int"), ("weapon", "string"), ("background", "boolean"), ("confidence", "double"),
    ("language", "string"), ("record", "string"),
)
DOCUMENT_COLUMNS = (("id", "string"), ("input_id", "string"), ("origin", "string"), ("url", "string"),
                    ("published", "string"), ("language", "string"), ("events", "int"))
FAILURE_COLUMNS = (("origin", "string"), ("document_id", "string"), ("stage", "string"), ("reason", "string"))


@dataclass(slots=True)
class SparkReport:
    documents: int
    events: int
    failures: int
    incidents: int


def _schema(columns: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f"`{name}` {kind}" for name, kind in columns)


def work_units(inputs: Iterable[str]) -> Iterator[tuple[str, str]]:
    """("jsonl", path) for JSON Lines files (split by line later), ("file", path) otherwise."""
    from rasd.ingest.folder import FolderFile, walk

    for source in inputs:
        path = Path(source)
        if path.is_dir():
            for found in walk(path):
                if isinstance(found, FolderFile):
                    yield from work_units([str(found.path)])
        elif path.suffix.lower() == ".jsonl":
            yield "jsonl", str(path)
        else:
            yield "file", str(path)


def _items(unit: tuple[str, str, int, str]) -> Iterator[Any]:
    """Documents (or failures) of one unit: a JSON line, or a whole file."""
    from rasd.ingest import ReadLimits, read_path
    from rasd.ingest.jsonl import from_line

    kind, path, line_number, line = unit
    if kind == "line":
        yield from_line(line, f"{path}:line {line_number}", ReadLimits())
    else:
        yield from read_path(path)


def process_partition(units: Iterable[tuple[str, str, int, str]]) -> Iterator[tuple[str, str]]:
    """Run the pipeline over a partition; emit ("event"|"document"|"failure", JSON row)."""
    from rasd.pipeline import default_pipeline
    from rasd.store.repository import event_columns

    pipeline = default_pipeline()  # built once per executor process
    for unit in units:
        for item in _items(unit):
            processed = pipeline.analyse(item)
            document, result = processed.document, processed.result
            if processed.failed_stage is not None or document is None:
                origin = document.origin if document else result.id
                yield "failure", json.dumps({"origin": origin, "document_id": result.document_id,
                                             "stage": processed.failed_stage or "read", "reason": result.error})
                continue
            yield "document", json.dumps({
                "id": document.id, "input_id": document.input_id, "origin": document.origin,
                "url": document.url, "published": result.published, "language": result.language,
                "events": len(result.events)})
            for index, event in enumerate(result.events):
                row = event_columns(document.id, index, event)
                row.pop("search_text")
                row["record"] = json.dumps(row["record"], ensure_ascii=False)
                for key in ("date_start", "date_end"):
                    row[key] = row[key].isoformat() if row[key] else None
                yield "event", json.dumps(row, ensure_ascii=False)


def session(master: str | None = "local[2]", app_name: str = "rasd"):  # type: ignore[no-untyped-def]
    """A SparkSession: `local[N]` set up to run offline here (no UI, loopback only); None
    keeps what spark-submit configured."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name).config("spark.ui.enabled", "false")
    if master and not master.startswith("local"):
        builder = builder.master(master)
    if master and master.startswith("local"):
        builder = (builder.master(master)
                   .config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.sql.shuffle.partitions", "8"))
    return builder.getOrCreate()


def _rows(spark, tagged, tag: str, columns):  # type: ignore[no-untyped-def]
    strings = tagged.filter(lambda pair: pair[0] == tag).map(lambda pair: pair[1])
    if strings.isEmpty():
        return spark.createDataFrame([], _schema(columns))
    return spark.read.schema(_schema(columns)).json(strings)


def extract(spark, inputs: list[str], partitions: int | None = None):  # type: ignore[no-untyped-def]
    """DataFrames (documents, events, failures) for the inputs."""
    context = spark.sparkContext
    rdds = []
    for kind, path in work_units(inputs):
        if kind == "jsonl":
            lines = context.textFile(path).zipWithIndex()
            rdds.append(lines.map(lambda pair, p=path: ("line", p, pair[1] + 1, pair[0])))
        else:
            rdds.append(context.parallelize([("file", path, 0, "")], 1))
    units = context.union(rdds) if rdds else context.parallelize([])
    units = units.repartition(partitions or max(2, context.defaultParallelism))
    tagged = units.mapPartitions(process_partition).cache()
    documents = _rows(spark, tagged, "document", DOCUMENT_COLUMNS)
    events = _rows(spark, tagged, "event", EVENT_COLUMNS)
    failures = _rows(spark, tagged, "failure", FAILURE_COLUMNS)
    return documents, events, failures


def fuse(spark, events):  # type: ignore[no-untyped-def]
    """Incident id for every fusable event: DataFrame of (id, incident_id)."""
    from pyspark.sql import functions as F

    from rasd.fuse.incremental import item_of
    from rasd.fuse.rules import TYPE_FAMILY, same_incident

    family = F.col("type")
    for type_name, name in TYPE_FAMILY.items():
        family = F.when(F.col("type") == type_name, F.lit(name)).otherwise(family)
    fusable = (events.where(~F.col("background") & F.col("date_start").isNotNull() & F.col("country").isNotNull())
               .withColumn("family", family)
               .withColumn("date_last", F.coalesce("date_end", "date_start")))
    a, b = fusable.alias("a"), fusable.alias("b")
    pairs = a.join(
        b,
        (F.col("a.family") == F.col("b.family")) & (F.col("a.country") == F.col("b.country"))
        & (F.col("a.id") < F.col("b.id"))
        & (F.col("a.date_start") <= F.date_add(F.col("b.date_last"), 1))
        & (F.col("b.date_start") <= F.date_add(F.col("a.date_last"), 1)),
    )
    columns = [name for name, _ in EVENT_COLUMNS if name != "record"]
    left = [F.col(f"a.{c}").alias(f"a_{c}") for c in columns]
    right = [F.col(f"b.{c}").alias(f"b_{c}") for c in columns]

    def linked(rows):  # type: ignore[no-untyped-def]
        for row in rows:
            data = row.asDict()
            one = _Obj({c: data[f"a_{c}"] for c in columns})
            two = _Obj({c: data[f"b_{c}"] for c in columns})
            if same_incident(item_of(one), item_of(two)):
                yield one.id, two.id

    edges_rdd = pairs.select(*left, *right).rdd.mapPartitions(linked)
    edges = spark.createDataFrame(edges_rdd, "src string, dst string")
    edges = edges.union(edges.select(F.col("dst").alias("src"), F.col("src").alias("dst"))).cache()
    labels = fusable.select(F.col("id"), F.col("id").alias("label"))
    while True:  # label propagation: every node takes the smallest label among its neighbours
        proposed = (edges.join(labels, edges.src == labels.id)
                    .groupBy(edges.dst.alias("id")).agg(F.min("label").alias("candidate")))
        updated = (labels.join(proposed, "id", "left")
                   .select("id", F.least("label", F.coalesce("candidate", "label")).alias("label"))
                   .localCheckpoint())
        changed = updated.join(labels.withColumnRenamed("label", "old"), "id").where(F.col("label") != F.col("old")).count()
        labels = updated
        if changed == 0:
            break
    return labels.select("id", F.concat(F.lit("inc-"), F.substring(F.sha1("label"), 1, 16)).alias("incident_id"))


class _Obj:
    """Attribute access over a dict, so the single-machine `item_of` reads Spark rows too."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.__dict__.update(data)


def run(inputs: list[str], output: str, *, master: str | None = "local[2]", partitions: int | None = None) -> SparkReport:
    """Extract and fuse `inputs`, writing Parquet tables under `output`."""
    from pyspark.sql import functions as F

    spark = session(master)
    try:
        documents, events, failures = extract(spark, inputs, partitions)
        incidents = fuse(spark, events)
        events = events.join(incidents, "id", "left")
        (events.withColumn("year", F.year("date_start")).withColumn("month", F.month("date_start"))
         .write.mode("overwrite").partitionBy("year", "month", "country").parquet(os.path.join(output, "events")))
        documents.write.mode("overwrite").parquet(os.path.join(output, "documents"))
        failures.write.mode("overwrite").parquet(os.path.join(output, "failures"))
        summary = (events.where(F.col("incident_id").isNotNull()).groupBy("incident_id").agg(
            F.count("*").alias("n_events"), F.countDistinct("document_id").alias("n_documents"),
            F.min("fatalities").alias("fatalities"), F.max("fatalities").alias("fatalities_max"),
            F.min("injured").alias("injured"), F.max("injured").alias("injured_max"),
            F.min("date_start").alias("date_start"), F.first("country").alias("country")))
        summary.write.mode("overwrite").parquet(os.path.join(output, "incidents"))
        return SparkReport(documents.count(), events.count(), failures.count(), summary.count())
    finally:
        spark.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point for `spark-submit rasd/scale/spark.py INPUT... --output DIR`."""
    import argparse

    parser = argparse.ArgumentParser(prog="rasd-spark", description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--output", required=True)
    parser.add_argument("--master", default=os.environ.get("RASD_SPARK_MASTER"),
                        help="local[N] to run here; default: what spark-submit configured")
    parser.add_argument("--partitions", type=int)
    args = parser.parse_args(argv)
    report = run(args.inputs, args.output, master=args.master, partitions=args.partitions)
    print(f"{report.documents} documents, {report.events} events, {report.failures} failures, "
          f"{report.incidents} incidents -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
