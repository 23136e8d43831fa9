"""The cache folder: things rasd builds once from its data and reuses in every process.

The gazetteer index, the decompressed language-identification model and the compiled
lexicons (pickled automata and tables) live in $RASD_CACHE (default ~/.cache/rasd), each
file named after what it holds and a fingerprint of everything it was built from (the
language data files, the building code, the versions of the packages it reads), so a
change to any of them makes a new file and the old one is never read again.

Files are written to a temporary name in the same folder and renamed into place, so a
reader never sees half a file and two processes building at once both end with a whole
one. A file that cannot be read (truncated, corrupt, from another format) is rebuilt; a
folder that cannot be written only costs the build in every process.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

_MAGIC = b"rasd-cache/1\n"
_KEEP = 3  # files of one kind kept when a new one is written (the newest)


def cache_dir() -> Path:
    """$RASD_CACHE, else ~/.cache/rasd."""
    root = os.environ.get("RASD_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "rasd")
    return Path(root)


def package_stamp(name: str) -> str:
    """Where an installed package is and when it was installed: changes when it is
    reinstalled or upgraded. (importlib.metadata would take ~0.1 s to say the version.)"""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    origin = getattr(spec, "origin", None)
    if not origin:
        return f"{name}:missing"
    try:
        stat = os.stat(origin)
    except OSError:
        return f"{name}:{origin}"
    return f"{name}:{origin}:{stat.st_size}:{stat.st_mtime_ns}"


def lang_files() -> list[Path]:
    """Every table of every language pack (rasd/lang/<code>/*.tsv)."""
    root = Path(__file__).resolve().parent / "lang"
    return sorted(p for p in root.glob("*/*.tsv") if p.is_file() and not p.parent.name.startswith((".", "_")))


def fingerprint(*parts: str | bytes | Path | Iterable[Path]) -> str:
    """A short hash of strings, bytes and the contents of files (a missing file counts as
    missing). Include everything the cached thing is built from, and the building code."""
    digest = hashlib.sha1(_MAGIC)
    digest.update(f"{sys.version_info[:2]}".encode())
    for part in parts:
        paths = [part] if isinstance(part, (str, bytes, Path)) else list(part)
        for item in paths:
            if isinstance(item, Path):
                digest.update(item.name.encode())
                try:
                    digest.update(item.read_bytes())
                except OSError:
                    digest.update(b"\0missing")
            else:
                digest.update(item if isinstance(item, bytes) else item.encode())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def write_atomic(path: Path, chunks: Iterable[bytes]) -> None:
    """Write `chunks` to `path` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(handle, 0o644)  # mkstemp makes it private; the cache is readable like any file
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def prune(path: Path, keep: int = _KEEP) -> None:
    """Remove older files of the same kind as `path` (same name before the fingerprint),
    keeping the `keep` newest. Processes that still have one open keep reading it."""
    kind, _, _ = path.name.rpartition("-")
    if not kind:
        return
    try:
        siblings = [p for p in path.parent.glob(f"{kind}-*{path.suffix}") if p.name.rpartition("-")[0] == kind]
        siblings.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in siblings[keep:]:
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass


def _unpickle(data: memoryview):
    """pickle.loads without the garbage collector: a lexicon is tens of thousands of new
    objects, none of them garbage, and the collector would walk them all several times."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """The value `build()` returns, pickled once into the cache as `<name>-<key>.pickle`
    and read back in later processes. `key` must change whenever the value would
    (see `fingerprint`)."""
    path = cache_dir() / f"{name}-{key}.pickle"
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        if data.startswith(_MAGIC):
            return _unpickle(memoryview(data)[len(_MAGIC) :])
        log.warning("cache file %s is not rasd's: rebuilding it", path)
    except FileNotFoundError:
        pass
    except Exception as error:  # truncated, corrupt, or pickled by other code: rebuild
        log.warning("cache file %s unreadable (%s: %s): rebuilding it", path, type(error).__name__, error)
    value = build()
    try:
        write_atomic(path, [_MAGIC, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)])
        prune(path)
    except (OSError, pickle.PicklingError) as error:
        log.info("could not cache %s (%s): it will be rebuilt next time", path, error)
    return value
