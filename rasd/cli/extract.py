"""`rasd extract FILE|DIR|-`: the events (and quotes) of every document.

`--format jsonl` (default) prints one object per document as in spec/event-record.md, with
`error` set for a document that failed; `table` is for people: one row per event (document,
type/mode, date, place, country, actor1 -> actor2, killed/injured, evidence); `csv` is one
row per event for spreadsheets. `--workers N` runs N processes.
"""

from __future__ import annotations

import csv
import io
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from rasd.cli.common import Inputs, Outcome, input_options, json_line, output_guard

FORMATS = ("jsonl", "table", "csv")
CSV_COLUMNS = (
    "id", "event", "type", "mode", "acled_event_type", "acled_sub_event_type", "cameo",
    "date_start", "date_end", "date_precision", "location", "admin1", "country", "lat", "lon",
    "geo_precision", "actor1", "actor1_sector", "actor1_country", "actor2", "actor2_sector",
    "actor2_country", "fatalities", "injured", "weapon", "background", "confidence", "evidence",
    "error",
)
_EXCERPT = 90


def _one_line(text: str, limit: int = _EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _actor(actor: Any) -> str:
    if actor is None:
        return "-"
    label = actor.name or actor.text or "?"
    extra = "/".join(x for x in (actor.sector, actor.country) if x)
    return f"{label} ({extra})" if extra else label


def _excerpt(event: Any) -> str:
    sentence = next((e for e in event.evidence if e.field == "sentence"), None)
    source = sentence or (event.evidence[0] if event.evidence else None)
    return _one_line(source.text) if source is not None else ""


def table_rows(result: Any, name: str | None = None) -> Iterator[list[str]]:
    """Rows of the people's table for one document."""
    name = name or result.id
    if result.error:
        yield [name, "ERROR", "", "", "", "", "", result.error]
        return
    if not result.events:
        yield [name, "(no events)", "", "", "", "", "", ""]
        return
    for event in result.events:
        kind = event.type + (f"/{event.mode}" if event.mode else "") + (" (history)" if event.background else "")
        date = event.date.start if event.date else "-"
        if event.date and event.date.precision != "day":
            date = f"{date[:7] if event.date.precision == 'month' else date[:4]} ({event.date.precision})"
        place = event.location.name if event.location else "-"
        country = event.location.country or "-" if event.location else "-"
        counts = f"{'-' if event.fatalities is None else event.fatalities}/{'-' if event.injured is None else event.injured}"
        actors = f"{_actor(event.actor1)} → {_actor(event.actor2)}"
        yield [name, kind, date, place, country, actors, counts, _excerpt(event)]


def _print_table(results: Iterator[Any], outcome: Outcome) -> None:
    header = ["doc", "type/mode", "date", "place", "country", "actor1 → actor2", "killed/injured", "evidence"]
    click.echo("  ".join(header))
    for name, result in results:
        _count(result, outcome)
        for row in table_rows(result, name):
            click.echo("  ".join(cell if cell else "-" for cell in row))


def csv_rows(result: Any) -> Iterator[dict[str, Any]]:
    if result.error or not result.events:
        yield {"id": result.id, "error": result.error or ""}
        return
    for index, event in enumerate(result.events):
        location, date = event.location, event.date
        row: dict[str, Any] = {
            "id": result.id, "event": index, "type": event.type, "mode": event.mode,
            "acled_event_type": event.acled_event_type, "acled_sub_event_type": event.acled_sub_event_type,
            "cameo": event.cameo, "date_start": date.start if date else None,
            "date_end": date.end if date else None, "date_precision": date.precision if date else None,
            "location": location.name if location else None, "admin1": location.admin1 if location else None,
            "country": location.country if location else None, "lat": location.lat if location else None,
            "lon": location.lon if location else None, "geo_precision": location.precision if location else None,
            "fatalities": event.fatalities, "injured": event.injured, "weapon": event.weapon,
            "background": event.background, "confidence": event.confidence, "evidence": _excerpt(event),
            "error": "",
        }
        for name in ("actor1", "actor2"):
            actor = getattr(event, name)
            row[name] = (actor.name or actor.text) if actor else None
            row[f"{name}_sector"] = actor.sector if actor else None
            row[f"{name}_country"] = actor.country if actor else None
        yield row


def _print_csv(results: Iterator[Any], outcome: Outcome) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    sys.stdout.write(buffer.getvalue())
    for _, result in results:
        _count(result, outcome)
        buffer.seek(0)
        buffer.truncate()
        for row in csv_rows(result):
            writer.writerow(row)
        sys.stdout.write(buffer.getvalue())


def _name(item: Any) -> str:
    """What people call a document: the input's id, else its file (and line)."""
    label = getattr(item, "input_id", None)
    if label:
        return label
    origin = str(getattr(item, "origin", "") or "")
    return Path(origin).name if origin and not origin.startswith("<") else (origin or "-")


def _named(results: Iterator[Any], names: deque[str]) -> Iterator[tuple[str, Any]]:
    """(name of its input, result), in input order: people read the table by file name."""
    for result in results:
        yield (names.popleft() if names else result.id), result


def _count(result: Any, outcome: Outcome) -> None:
    if result.error:
        outcome.failed += 1
        click.echo(f"rasd: {result.error}", err=True)
    else:
        outcome.ok += 1


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="jsonl: one record per document (spec/event-record.md); table: for people; csv: one row per event.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes to run the pipeline on.")
@input_options
def command(inputs: Inputs, fmt: str, workers: int) -> None:
    """Extract the events and quotes of each document."""
    from rasd.pipeline import Pipeline

    outcome = Outcome()
    names: deque[str] = deque()

    def items():
        for item in inputs.read():
            names.append(_name(item))
            yield item

    results = _named(Pipeline().run(items(), workers=workers), names)
    with output_guard():
        if fmt == "table":
            _print_table(results, outcome)
        elif fmt == "csv":
            _print_csv(results, outcome)
        else:
            for _, result in results:
                _count(result, outcome)
                click.echo(json_line(result.to_dict()))
    outcome.exit()
