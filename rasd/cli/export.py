"""`rasd export`: ACLED CSV, PLOVER JSON Lines, GeoJSON or Parquet, of events or incidents."""

from __future__ import annotations

import sys

import click

from rasd.cli.storeopts import db_option, filter_options, open_db


@click.command()
@db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["acled-csv", "plover-jsonl", "geojson", "parquet"]), required=True)
@click.option("--incidents", is_flag=True, help="One row per incident instead of per event.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default stdout; required for parquet).")
def command(db_url: str | None, flt, fmt: str, incidents: bool, output: str | None) -> None:  # type: ignore[no-untyped-def]
    """Write stored events (or incidents) in a format other tools load."""
    from rasd.export import formats
    from rasd.export.records import event_records, incident_records
    from rasd.store.query import iter_all

    if fmt == "parquet" and not output:
        raise click.UsageError("parquet needs --output FILE")
    database = open_db(db_url, write=False)
    with database.transaction() as session:
        rows = iter_all(session, flt, incidents=incidents)
        records = incident_records(session, rows) if incidents else event_records(session, rows)
        if fmt == "parquet":
            count = formats.write_parquet(records, output)
        else:
            writer = {"acled-csv": formats.write_acled_csv, "plover-jsonl": formats.write_plover_jsonl,
                      "geojson": formats.write_geojson}[fmt]
            if output:
                with open(output, "w", encoding="utf-8", newline="") as handle:
                    count = writer(records, handle)
            else:
                count = writer(records, sys.stdout)
    click.echo(f"rasd: wrote {count} {'incidents' if incidents else 'events'} as {fmt}", err=True)
