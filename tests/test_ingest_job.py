"""`rasd ingest` end to end on real databases: idempotent, and safe to kill at any moment."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rasd.store.database import open_database
from rasd.store.schema import DocumentRow, EventRow, IncidentRow

pytestmark = pytest.mark.slow


def _rasd(*args: str) -> list[str]:
    return [sys.executable, "-m", "rasd.cli", *args]


def _state(url: str) -> tuple[int, int, int, frozenset[frozenset[str]]]:
    db = open_database(url, write=False)
    with db.transaction() as session:
        documents = session.scalar(select(func.count()).select_from(DocumentRow))
        events = session.scalar(select(func.count()).select_from(EventRow))
        incidents = session.scalar(select(func.count()).select_from(IncidentRow))
        groups: dict[str, set[str]] = {}
        for event_id, incident in session.execute(select(EventRow.id, EventRow.incident_id)):
            if incident:
                groups.setdefault(incident, set()).add(event_id)
    db.close()
    return documents, events, incidents, frozenset(frozenset(g) for g in groups.values())


def _ingest(url: str, docs: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_rasd("ingest", "--db", url, "--batch-size", "5", str(docs)),
                          capture_output=True, text=True, timeout=600)


def _fresh(url: str, tmp_path: Path, name: str) -> str:
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / name}"
    from tests.conftest import _reset_postgres

    _reset_postgres(url)
    return url


def test_ingest_twice_and_after_kills_gives_the_same_database(
    database_url: str, shared_dir: Path, tmp_path: Path
) -> None:
    docs = shared_dir / "eval" / "dev.docs.jsonl"
    reference_url = _fresh(database_url, tmp_path, "reference.db")
    first = _ingest(reference_url, docs)
    assert first.returncode == 0, first.stderr
    reference = _state(reference_url)
    assert reference[0] == 73 and reference[1] > 0
    again = _ingest(reference_url, docs)
    assert again.returncode == 0, again.stderr
    assert "0 new documents, 73 already stored" in again.stdout
    assert _state(reference_url) == reference

    url = _fresh(database_url, tmp_path, "killed.db")
    rng = random.Random(7)
    for _ in range(3):  # start, kill -9 at a random moment, repeat
        process = subprocess.Popen(_rasd("ingest", "--db", url, "--batch-size", "5", str(docs)),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.0, 6.0))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
    final = _ingest(url, docs)
    assert final.returncode == 0, final.stderr
    assert _state(url) == reference
