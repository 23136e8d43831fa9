"""What every reader shares: the read limits, the checks every document text passes, and
the wording of read failures.

Readers never raise for bad input: they yield a `Failure` naming the file (and line) and
go on, so one broken file never stops a batch.
"""

from __future__ import annotations

import errno
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from rasd.document import Document, Failure

if TYPE_CHECKING:
    from rasd.ingest.fetch import FetchConfig

Item = Document | Failure

MAX_BYTES_ENV = "RASD_MAX_BYTES"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # 20 MiB
DEFAULT_MAX_LINE_CHARS = 1_000_000

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def parse_size(text: str | int) -> int:
    """Bytes from "20971520", "20M", "20 MB", "512k", "1.5GiB" (units are powers of 1024)."""
    if isinstance(text, int):
        value = text
    else:
        match = _SIZE.match(text)
        if not match:
            raise ValueError(f"not a size: {text!r} (use e.g. 20000000, 20M, 512k)")
        value = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if value <= 0:
        raise ValueError(f"size must be positive, got {text!r}")
    return value


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Bounds that keep one huge or pathological input from exhausting memory or time.

    `max_bytes` bounds one document as stored: a text file, a `.json` file, one JSON line,
    standard input read as text. It is checked with `stat` before a file is read, so a
    2 GB file costs nothing. (A `.jsonl` file may be bigger than that: it is streamed, and
    the limit applies to each of its lines.) `max_line_chars` bounds a single line of a
    document text, which is what hurts line- and sentence-based stages.

    `fetch` lets readers of local files go to the network: a feed file's items are fetched
    from their links only when it is set (reading files never touches the network
    otherwise). URL sources are always fetched, with these settings or the defaults.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS
    fetch: "FetchConfig | None" = None

    def __post_init__(self) -> None:
        if self.max_bytes <= 0 or self.max_line_chars <= 0:
            raise ValueError(f"read limits must be positive: {self}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "ReadLimits":
        """Defaults, with `max_bytes` from RASD_MAX_BYTES when set (e.g. "50M")."""
        raw = environ.get(MAX_BYTES_ENV)
        return cls(max_bytes=parse_size(raw)) if raw else cls()


def failure(origin: str, reason: str) -> Failure:
    return Failure(origin=origin, stage="read", reason=reason)


def os_reason(error: OSError) -> str:
    """A short, stable wording of an OS error ("permission denied", "no such file ...")."""
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    if error.errno is not None and error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    if error.errno is not None:
        return os.strerror(error.errno) or errno.errorcode.get(error.errno, str(error))
    return str(error) or type(error).__name__


def over_size(size: int, limits: ReadLimits, *, exact: bool = True) -> str:
    what = f"{size:,} bytes" if exact else f"more than {limits.max_bytes:,} bytes"
    return (
        f"{what}, over the size limit of {limits.max_bytes:,} bytes "
        f"(raise it with --max-bytes or {MAX_BYTES_ENV})"
    )


def text_problem(text: str, limits: ReadLimits) -> str | None:
    """Why a document text cannot go on to the text stage, or None if it can.

    Cheap on the common path: the line scan only runs on texts longer than the line limit.
    """
    if not text or text.isspace():
        return "empty document"
    if len(text) > limits.max_line_chars:
        for number, line in enumerate(text.splitlines(), start=1):
            if len(line) > limits.max_line_chars:
                return (
                    f"a single line of {len(line):,} characters "
                    f"(limit {limits.max_line_chars:,}) at line {number}"
                )
    return None


def make_document(text: str, origin: str, limits: ReadLimits, **fields: Any) -> Item:
    """A Document for `text` (kept exactly as given), or the Failure saying why not."""
    problem = text_problem(text, limits)
    if problem is not None:
        return failure(origin, problem)
    return Document(text=text, origin=origin, **fields)


def read_bounded(path: os.PathLike[str] | str, origin: str, limits: ReadLimits) -> bytes | Failure:
    """The bytes of one file, or a Failure: missing, unreadable, or over `max_bytes`.

    The size is checked with `stat` before anything is read; the read itself is bounded too,
    for files that grow meanwhile and for pipes or devices whose size `stat` cannot tell.
    """
    try:
        size = os.stat(path).st_size
        if size > limits.max_bytes:
            return failure(origin, over_size(size, limits))
        with open(path, "rb") as handle:
            # Ask for what stat promised (+1 to notice growth): a read of max_bytes would
            # allocate the whole limit for every small file.
            data = handle.read(size + 1 if size else limits.max_bytes + 1)
            if size and len(data) > size:
                data += handle.read(limits.max_bytes + 1 - len(data))
    except OSError as error:
        return failure(origin, os_reason(error))
    if len(data) > limits.max_bytes:
        return failure(origin, over_size(len(data), limits, exact=False))
    return data


def read_opened(
    path: os.PathLike[str] | str, origin: str, read: Callable[[BinaryIO], Iterator[Item]], start: int = 0
) -> Iterator[Item]:
    """The items `read` finds in a file opened for binary reading at byte `start`; a file
    that cannot be opened is one Failure. Errors while reading are `read`'s to report."""
    try:
        handle = open(path, "rb")
    except OSError as error:
        yield failure(origin, os_reason(error))
        return
    with handle:
        if start:
            handle.seek(start)
        yield from read(handle)


def read_stream_bounded(stream: BinaryIO, origin: str, limits: ReadLimits) -> bytes | Failure:
    """All of a stream, or a Failure when it is over `max_bytes` (never read past the limit)."""
    data = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        return failure(origin, over_size(len(data), limits, exact=False))
    return data


Parse = Callable[[bytes, str, ReadLimits], Item | Iterable[Item]]


def whole_input_readers(parse: Parse) -> tuple[Callable[..., Iterator[Item]], Callable[..., Iterator[Item]]]:
    """`read_path` and `read_stream` for a format read whole: bounded read, then `parse`
    (which returns one item or several)."""

    def items(data: bytes | Failure, origin: str, limits: ReadLimits) -> Iterator[Item]:
        if isinstance(data, Failure):
            yield data
            return
        parsed = parse(data, origin, limits)
        if isinstance(parsed, (Document, Failure)):
            yield parsed
        else:
            yield from parsed

    def read_path(path: os.PathLike[str] | str, origin: str, limits: ReadLimits) -> Iterator[Item]:
        yield from items(read_bounded(path, origin, limits), origin, limits)

    def read_stream(stream: BinaryIO, origin: str, limits: ReadLimits) -> Iterator[Item]:
        yield from items(read_stream_bounded(stream, origin, limits), origin, limits)

    return read_path, read_stream


class _Replay(io.RawIOBase):
    """A raw stream that first gives back `head` (already read, for sniffing), then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        chunk = self._rest.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def replay(head: bytes, rest: BinaryIO) -> io.BufferedReader:
    """`rest` with `head` put back in front: sniff a stream without losing its first bytes."""
    return io.BufferedReader(_Replay(head, rest), buffer_size=1 << 16)
