"""`rasd events` and `rasd incidents`: filtered listings as a table, JSON Lines or CSV."""

from __future__ import annotations

import csv
import sys
from typing import Any

import click

from rasd.cli.common import json_line
from rasd.cli.storeopts import db_option, filter_options, open_db

_TABLE_COLUMNS = ("date_start", "type", "mode", "country", "location_name", "actor1_name",
                  "actor2_name", "fatalities", "injured", "n_documents", "evidence")


def _emit(records: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "jsonl":
        for record in records:
            click.echo(json_line(record))
    elif fmt == "csv":
        if records:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(records[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(records)
    else:
        for record in records:
            cells = [str(record.get(c) if record.get(c) is not None else "-") for c in _TABLE_COLUMNS]
            cells[-1] = cells[-1][:70]
            click.echo("  ".join(cells))
        click.echo(f"({len(records)} rows)", err=True)


def _listing(incidents: bool):  # type: ignore[no-untyped-def]
    noun = "incidents" if incidents else "events"

    @click.command(name=noun, help=f"List stored {noun} matching the filters.")
    @db_option
    @filter_options
    @click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
    @click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
    def listing(db_url: str | None, flt, fmt: str, limit: int) -> None:  # type: ignore[no-untyped-def]
        from rasd.export.records import event_records, incident_records
        from rasd.store.query import Page, find_events, find_incidents

        database = open_db(db_url, write=False)
        with database.transaction() as session:
            if incidents:
                rows = find_incidents(session, flt, Page(limit)).rows
                records = list(incident_records(session, rows))
            else:
                rows = find_events(session, flt, Page(limit)).rows
                records = list(event_records(session, rows))
        _emit(records, fmt)

    return listing


events_command = _listing(incidents=False)
incidents_command = _listing(incidents=True)
