"""Folder walking: which files of a folder tree are read, in a stable order.

Recursive, sorted by name at each level (so runs are reproducible), picking the files whose
suffix has a reader (see rasd.ingest.registry). Hidden entries, other files, special files
and symbolic-link loops are skipped, each one logged at INFO, never silently. A folder with
nothing to read is a Failure, so an empty or mistyped folder does not look like success.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rasd.document import Failure
from rasd.ingest.base import failure, os_reason
from rasd.ingest.registry import folder_suffixes, spec_for_name

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FolderFile:
    path: Path
    origin: str
    reader: str  # reader module name


@dataclass(slots=True)
class _Walk:
    files: int = 0
    skipped: int = 0

    def skip(self, origin: str, why: str) -> None:
        self.skipped += 1
        log.info("%s: skipped (%s)", origin, why)


def walk(root: Path | str, origin: str | None = None) -> Iterator[FolderFile | Failure]:
    """The files to read under `root`, depth-first in name order, and folder-level failures."""
    top = os.fspath(root)
    state = _Walk()
    seen: set[tuple[int, int]] = set()
    try:
        info = os.stat(top)
        seen.add((info.st_dev, info.st_ino))
    except OSError as error:
        yield failure(origin or top, os_reason(error))
        return
    yield from _visit(top, state, seen)
    if state.files == 0:
        wanted = ", ".join(f"*{suffix}" for suffix in folder_suffixes())
        yield failure(
            origin or top,
            f"no files to read in this folder ({wanted}); {state.skipped} entries skipped",
        )
    elif state.skipped:
        log.info("%s: %d files to read, %d entries skipped", origin or top, state.files, state.skipped)


def _visit(directory: str, state: _Walk, seen: set[tuple[int, int]]) -> Iterator[FolderFile | Failure]:
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        yield failure(directory, os_reason(error))
        return
    for entry in entries:
        if entry.name.startswith("."):
            state.skip(entry.path, "hidden")
            continue
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as error:
            yield failure(entry.path, os_reason(error))
            continue
        if is_dir:
            try:
                info = entry.stat()
            except OSError as error:
                yield failure(entry.path, os_reason(error))
                continue
            key = (info.st_dev, info.st_ino)
            if key in seen:
                state.skip(entry.path, "folder already visited through a symbolic link")
                continue
            seen.add(key)
            yield from _visit(entry.path, state, seen)
            continue
        spec = spec_for_name(entry.name)
        if is_file:
            if spec is None or not spec.in_folders:
                state.skip(entry.path, "no reader for this file type")
                continue
            state.files += 1
            yield FolderFile(Path(entry.path), entry.path, spec.name)
        elif entry.is_symlink() and spec is not None:
            state.files += 1
            yield failure(entry.path, "broken symbolic link")
        else:
            state.skip(entry.path, "not a regular file")
