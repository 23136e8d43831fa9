"""`rasd annotate FILE|DIR|-`: the places, times and numbers found in each document, with
their spans and what each resolves to (coordinates, calendar dates, counts).

Text output is for reading (one line per mention, grouped by kind); `--format jsonl` gives
one object per document with "places", "times" and "numbers" lists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import click

from rasd.cli.common import Inputs, format_option, input_options, print_each


@dataclasses.dataclass(slots=True)
class Annotated:
    prepared: Any  # rasd.text.PreparedDocument
    places: list[Any]
    times: list[Any]
    numbers: list[Any]


def annotate_document(document: Any) -> Annotated:
    """Prepare `document` and run the place, time and number annotators on it."""
    from rasd.annotate.numbers import find_numbers
    from rasd.annotate.places import find_places
    from rasd.annotate.times import find_times
    from rasd.text import prepare

    prepared = prepare(document)
    return Annotated(prepared, find_places(prepared), find_times(prepared), find_numbers(prepared))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def mention_fields(mention: Any) -> dict[str, Any]:
    return {f.name: _plain(getattr(mention, f.name)) for f in dataclasses.fields(mention)}


def record(result: Annotated) -> dict[str, Any]:
    prepared = result.prepared
    document = prepared.document
    published = prepared.published
    return {
        "document": document.id,
        "input_id": document.input_id,
        "origin": document.origin,
        "language": prepared.language,
        "published": published.iso() if published else None,
        "published_source": published.source if published else None,
        "places": [mention_fields(m) for m in result.places],
        "times": [mention_fields(m) for m in result.times],
        "numbers": [mention_fields(m) for m in result.numbers],
    }


def one_line(text: str) -> str:
    return " ".join(text.split())


def date_range(mention: Any) -> str:
    """"2021-11-07", "2021-10" (a month), "2021" (a year), or "start..end"."""
    start, end, precision = mention.start_date, mention.end_date, mention.precision
    if start is None:
        return "unresolved"
    if precision == "month" and start.day == 1 and end and (end + dt.timedelta(days=1)).day == 1 \
            and start.month == end.month:
        return f"{start.year:04d}-{start.month:02d}"
    if precision == "year" and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) \
            and start.year == end.year:
        return f"{start.year:04d}"
    if end is None or end == start:
        return start.isoformat()
    return f"{start.isoformat()}..{end.isoformat()}"


def place_line(m: Any) -> str:
    where = f"{m.lat:.4f},{m.lon:.4f}" if m.lat is not None and m.lon is not None else "no coordinates"
    ident = f" ({m.geonameid})" if m.geonameid is not None else ""
    inside = f" in {m.parent}" if getattr(m, "parent", None) else ""
    admin = f" · {m.admin1}" if m.admin1 else ""
    return f"→ {m.name}{ident}{inside}{admin} · {m.country or '?'} · {m.precision} · {where} · {m.reason}"


def time_line(m: Any) -> str:
    future = " · future" if m.future else ""
    return f"→ {date_range(m)} · {m.precision or '-'} · {m.kind}{future} · {m.reason}"


def number_line(m: Any) -> str:
    if m.qualifier == "range":
        value = f"{m.value}..{m.high}"
    else:
        value = "?" if m.value is None else str(m.value)
    reason = getattr(m, "reason", "")
    return f"→ {value} · {m.qualifier}" + (f" · {reason}" if reason else "")


def text_lines(result: Annotated) -> Iterator[str]:
    prepared = result.prepared
    document = prepared.document
    published = prepared.published
    name = f"{document.input_id} ({document.origin})" if document.input_id else document.origin
    when = f"published {published.iso()} ({published.source})" if published else "no publication date"
    yield f"== {name} · id {document.id} · {prepared.language} · {when}"
    width = len(str(len(document.text)))
    for title, mentions, describe in (
        ("places", result.places, place_line),
        ("times", result.times, time_line),
        ("numbers", result.numbers, number_line),
    ):
        yield f"{title} ({len(mentions)})"
        for m in mentions:
            yield f"  {m.start:>{width}}-{m.end:<{width}}  {one_line(m.text)}  {describe(m)}"


@click.command()
@format_option
@input_options
def command(inputs: Inputs, fmt: str) -> None:
    """Show the places, times and numbers found in each document.

    \b
    Places with their gazetteer entry and coordinates, time expressions with the
    calendar dates they resolve to (against the publication date), numbers with
    their qualifier (exact, min, max, approx, range, vague), each with its span
    in the original text and the reason it was read that way.
    Inputs: text files (an optional first line "date YYYY[-MM[-DD]]"), JSON Lines,
    .json, folders, and - for standard input. Failures are printed to stderr; the
    exit status is 1 if any document failed.
    """
    print_each(inputs, fmt, lambda result: [record(result)], text_lines,
               stage="annotate", step=annotate_document)
