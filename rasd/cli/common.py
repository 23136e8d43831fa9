"""What every `rasd` verb that reads documents shares: the INPUT arguments and read limits,
`--format`, how failures are printed, and the exit status.

    @click.command()
    @format_option
    @input_options
    def command(inputs: Inputs, fmt: str) -> None:
        outcome = Outcome()
        with output_guard():
            for document in outcome.documents(inputs.read()):
                result = outcome.attempt(document, "segment", prepare)
                ...
        outcome.exit()

Exit status: 0 when every document went through, 1 when any failed (each failure printed to
stderr as "rasd: <origin>: <reason>" as it happens, the run going on), 2 for usage errors
(click's own convention).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

import click

from rasd.document import Document, Failure
from rasd.ingest.base import DEFAULT_MAX_LINE_CHARS, MAX_BYTES_ENV, ReadLimits, parse_size

log = logging.getLogger(__name__)

FORMATS = ("text", "jsonl")
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class SizeType(click.ParamType):
    """A byte count: 20000000, 20M, 512k, 1.5G (powers of 1024)."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            return parse_size(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


@dataclass(frozen=True, slots=True)
class Inputs:
    """The documents a command was asked to read: sources plus the limits to read them with."""

    sources: tuple[str, ...]
    limits: ReadLimits

    def read(self) -> Iterator[Document | Failure]:
        from rasd.ingest import read

        return read(self.sources, limits=self.limits)


def input_options(command: F) -> F:
    """Add `FILE|DIR|-...`, `--max-bytes` (env RASD_MAX_BYTES) and `--max-line-chars`.

    The decorated function receives one `inputs: Inputs` keyword instead of the three.
    Paths are not checked by click: a missing file is a failure of that input, not a usage
    error, so the other inputs are still read.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, sources: tuple[str, ...], max_bytes: int, max_line_chars: int, **kwargs: Any) -> Any:
        limits = ReadLimits(max_bytes=max_bytes, max_line_chars=max_line_chars)
        return command(*args, inputs=Inputs(tuple(sources), limits), **kwargs)

    wrapper = click.option(
        "--max-line-chars",
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_LINE_CHARS,
        show_default=True,
        help="Longest single line a document may have, in characters.",
    )(wrapper)
    wrapper = click.option(
        "--max-bytes",
        type=SizeType(),
        envvar=MAX_BYTES_ENV,
        show_envvar=True,
        default="20M",
        show_default=True,
        help="Largest document (file, JSON line, stdin) read, e.g. 50M.",
    )(wrapper)
    wrapper = click.argument("sources", nargs=-1, required=True, metavar="FILE|DIR|-...")(wrapper)
    return wrapper  # type: ignore[return-value]


def format_option(command: F) -> F:
    """`--format text|jsonl`: aligned text for people, one JSON object per line for programs."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="text for people, jsonl for programs.",
    )(command)


def failure_line(failure: Failure) -> str:
    """"rasd: <origin>: <reason>", with the stage named when it is not reading."""
    if failure.stage == "read":
        return f"rasd: {failure.origin}: {failure.reason}"
    return f"rasd: {failure.origin}: {failure.stage} failed: {failure.reason}"


@dataclass(slots=True)
class Outcome:
    """Counts what went through and what failed; prints failures; gives the exit status."""

    ok: int = 0
    failed: int = 0

    def report(self, failure: Failure) -> None:
        self.failed += 1
        click.echo(failure_line(failure), err=True)

    def documents(self, items: Iterable[Document | Failure]) -> Iterator[Document]:
        """The documents of `items`; failures are reported on the way."""
        for item in items:
            if isinstance(item, Failure):
                self.report(item)
            else:
                yield item

    def attempt(self, document: Document, stage: str, step: Callable[[Document], T]) -> T | None:
        """`step(document)`, or None after reporting the failure if it raised."""
        try:
            result = step(document)
        except Exception as error:  # one bad document must not stop the batch
            log.debug("%s: %s failed", document.origin, stage, exc_info=True)
            self.report(
                Failure(document.origin, stage, f"{type(error).__name__}: {error}", document.id)
            )
            return None
        self.ok += 1
        return result

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.failed else EXIT_OK

    def exit(self) -> NoReturn:
        """Print a summary line if anything failed, then exit with the status."""
        if self.failed:
            click.echo(
                f"rasd: {self.failed} of {self.ok + self.failed} documents failed", err=True
            )
        sys.exit(self.exit_code)


def json_line(value: Any) -> str:
    """One JSON Lines record: compact, UTF-8 (Arabic stays readable), no trailing newline."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@contextmanager
def output_guard() -> Iterator[None]:
    """Stop quietly when the reader of our output goes away (`rasd segment big/ | head`)."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        sys.exit(EXIT_FAILED)


def print_each(
    inputs: Inputs,
    fmt: str,
    records: Callable[[Any], Iterable[dict[str, Any]]],
    text_lines: Callable[[Any], Iterable[str]],
    *,
    stage: str = "segment",
    step: Callable[[Document], Any] | None = None,
) -> NoReturn:
    """Run `step` (default: the text stage) on each document and print the result:
    `records(result)` as JSON Lines, or `text_lines(result)` as a block for people;
    failures reported as they happen; then exit with the status."""
    if step is None:
        from rasd.text import prepare as step

    outcome = Outcome()
    first = True
    with output_guard():
        for document in outcome.documents(inputs.read()):
            result = outcome.attempt(document, stage, step)
            if result is None:
                continue
            if fmt == "jsonl":
                for line in records(result):
                    click.echo(json_line(line))
                continue
            if not first:
                click.echo()
            first = False
            click.echo("\n".join(text_lines(result)))
    outcome.exit()
