"""`rasd doc FILE|DIR|-`: what rasd knows about each document before looking for events.

Id, input id, origin, url, publication date (precision, source and the text it came from),
languages with their segment counts, and segments by kind. `--format jsonl` gives one object
per document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import click

from rasd.cli.common import Inputs, format_option, input_options, print_each
from rasd.cli.segment import one_line
from rasd.document import SegmentKind

_EVIDENCE_CHARS = 120


def _languages(prepared: Any) -> dict[str, int]:
    counts = Counter(segment.language for segment in prepared.segments)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _kinds(prepared: Any) -> dict[str, int]:
    counts = Counter(str(segment.kind) for segment in prepared.segments)
    ordered = {str(kind): counts.pop(str(kind)) for kind in SegmentKind if str(kind) in counts}
    ordered.update(sorted(counts.items()))  # kinds added later still show
    return ordered


def _published(prepared: Any) -> dict[str, Any] | None:
    published = prepared.published
    if published is None:
        return None
    evidence = None
    if published.evidence is not None:
        span = published.evidence
        evidence = {
            "start": span.start,
            "end": span.end,
            "text": prepared.document.text[span.start : span.end],
        }
    return {
        "date": published.iso(),
        "precision": str(published.precision),
        "source": published.source,
        "evidence": evidence,
    }


def document_record(prepared: Any) -> dict[str, Any]:
    document = prepared.document
    kinds = _kinds(prepared)
    return {
        "id": document.id,
        "input_id": document.input_id,
        "origin": document.origin,
        "url": document.url,
        "title": document.title,
        "published_hint": document.published_hint,
        "published": _published(prepared),
        "language": prepared.language,
        "languages": _languages(prepared),
        "segments": len(prepared.segments),
        "kinds": kinds,
        "characters": len(document.text),
    }


def text_lines(record: dict[str, Any]) -> Iterator[str]:
    def row(label: str, value: Any) -> str:
        return f"{label:<12} {value}"

    yield row("id", record["id"])
    yield row("input id", record["input_id"] or "-")
    yield row("origin", record["origin"])
    yield row("url", record["url"] or "-")
    if record["title"]:
        yield row("title", one_line(record["title"]))
    published = record["published"]
    if published is None:
        yield row("published", "unknown")
    else:
        line = f"{published['date']} ({published['precision']}, from {published['source']})"
        evidence = published["evidence"]
        if evidence is not None:
            text = one_line(evidence["text"])
            if len(text) > _EVIDENCE_CHARS:
                text = text[: _EVIDENCE_CHARS - 1] + "…"
            line += f" “{text}” at {evidence['start']}-{evidence['end']}"
        yield row("published", line)
    if record["published_hint"]:
        yield row("declared", record["published_hint"])
    yield row("language", record["language"])
    languages = ", ".join(f"{code} {count}" for code, count in record["languages"].items())
    yield row("languages", f"{languages or '-'} (segments)")
    kinds = ", ".join(f"{kind} {count}" for kind, count in record["kinds"].items())
    yield row("segments", f"{record['segments']}: {kinds}" if kinds else "0")
    yield row("characters", f"{record['characters']:,}")


@click.command()
@format_option
@input_options
def command(inputs: Inputs, fmt: str) -> None:
    """Show each document's id, url, publication date and its source, and languages.

    \b
    Inputs: text files (an optional first line "date YYYY[-MM[-DD]]" gives the
    date), JSON Lines (.jsonl, one {"id", "url", "text", "published"} per line),
    .json, folders (read recursively), and - for standard input. Failures are
    printed to stderr; the exit status is 1 if any document failed.
    """
    print_each(
        inputs, fmt, lambda prepared: [document_record(prepared)],
        lambda prepared: text_lines(document_record(prepared)),
    )
