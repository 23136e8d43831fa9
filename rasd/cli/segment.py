"""`rasd segment FILE|DIR|-`: every segment of every document, with kind, language, span.

Text output is aligned for reading (one line per segment, posts followed by their
attribution); `--format jsonl` gives one object per segment with its document's id.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

from rasd.cli.common import Inputs, format_option, input_options, print_each

_LINE_BREAKS = str.maketrans({"\r": None, "\n": "⏎", "\t": " ", "\u2028": "⏎", "\u2029": "⏎"})


def one_line(text: str) -> str:
    """A segment's text on one output line (line breaks shown as ⏎)."""
    return text.translate(_LINE_BREAKS)


def post_fields(post: Any) -> dict[str, Any] | None:
    if post is None:
        return None
    return {"author": post.author, "handle": post.handle, "date": post.date, "links": list(post.links)}


def post_line(post: Any) -> str:
    parts = []
    if post.author:
        parts.append(post.author)
    if post.handle:
        parts.append(post.handle if post.handle.startswith("@") else f"@{post.handle}")
    if post.date:
        parts.append(post.date)
    parts.extend(post.links)
    return "↳ post: " + (" · ".join(parts) if parts else "no attribution found")


def segment_records(prepared: Any) -> Iterator[dict[str, Any]]:
    document = prepared.document
    for index, segment in enumerate(prepared.segments):
        yield {
            "document": document.id,
            "input_id": document.input_id,
            "origin": document.origin,
            "index": index,
            "start": segment.start,
            "end": segment.end,
            "kind": str(segment.kind),
            "language": segment.language,
            "paragraph": segment.paragraph,
            "text": document.text[segment.start : segment.end],
            "post": post_fields(segment.post),
        }


def text_lines(prepared: Any) -> Iterator[str]:
    document = prepared.document
    segments = prepared.segments
    name = f"{document.input_id} ({document.origin})" if document.input_id else document.origin
    yield f"== {name} · id {document.id} · {prepared.language} · {len(segments)} segments"
    width = len(str(len(document.text)))
    kind_width = max((len(str(s.kind)) for s in segments), default=4)
    lang_width = max((len(s.language) for s in segments), default=2)
    par_width = len(str(max((s.paragraph for s in segments), default=0))) + 1
    for index, segment in enumerate(segments):
        lead = (
            f"{segment.start:>{width}}-{segment.end:<{width}}  {str(segment.kind):<{kind_width}}  "
            f"{segment.language:<{lang_width}}  {'¶' + str(segment.paragraph):<{par_width}}  "
        )
        yield lead + one_line(document.text[segment.start : segment.end])
        following = segments[index + 1] if index + 1 < len(segments) else None
        if segment.post is not None and (following is None or following.post != segment.post):
            # once per post: after its last segment
            yield " " * len(lead) + post_line(segment.post)


@click.command()
@format_option
@input_options
def command(inputs: Inputs, fmt: str) -> None:
    """Show the segments of each document: kind, language, span and text.

    \b
    Inputs: text files (an optional first line "date YYYY[-MM[-DD]]" gives the
    date), JSON Lines (.jsonl, one {"id", "url", "text", "published"} per line),
    .json, folders (read recursively), and - for standard input. Failures are
    printed to stderr; the exit status is 1 if any document failed.
    """
    print_each(inputs, fmt, segment_records, text_lines)
