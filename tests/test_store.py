"""Storage and fusion on real databases (SQLite file and PostgreSQL), with events we build."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from rasd.document import DatePrecision, Document, PublicationDate, Segment, SegmentKind
from rasd.event import Actor, DocumentResult, Event, EventDate, Evidence, Location
from rasd.fuse.incremental import fuse_pending, rebuild
from rasd.pipeline import Processed
from rasd.store.database import StoreError, open_database
from rasd.store.repository import save_batch
from rasd.store.schema import DocumentRow, EventRow, FailureRow, IncidentRow

import datetime as dt

BAGHDAD = Location("Baghdad", 98182, "Baghdad", "IRQ", 33.34, 44.40, "city")
GREEN_ZONE = Location("Green Zone", "rasd:green-zone", "Baghdad", "IRQ", 33.30, 44.38, "site")
BASRA = Location("Basra", 99532, "Basra", "IRQ", 30.51, 47.78, "city")


def _processed(text: str, *events: Event) -> Processed:
    document = Document(text=text, origin=f"test:{text[:10]}")
    segments = [Segment(0, len(text), SegmentKind.BODY, "en", 0)]
    result = DocumentResult(id=document.id, events=list(events), language="en", document_id=document.id)
    published = PublicationDate(dt.date(2030, 5, 4), DatePrecision.DAY, "header")
    return Processed(result, document, segments, published)


def _attack(day: str, place: Location, killed: int | None = None, text: str = "attack") -> Event:
    return Event(
        type="ASSAULT",
        mode="explosion",
        date=EventDate(day, None, "day"),
        location=place,
        actor2=Actor("civilians", "civilians", "CVL", "IRQ"),
        fatalities=killed,
        evidence=[Evidence(0, len(text), text, "trigger")],
        language="en",
    )


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_saving_twice_changes_nothing(database_url: str) -> None:
    db = open_database(database_url)
    batch = [
        _processed("A bomb exploded in a market.", _attack("2030-05-04", BAGHDAD, 3)),
        _processed("Nothing happened today."),
    ]
    for _ in range(2):
        with db.transaction() as session:
            save_batch(session, batch)
    assert _count(db, DocumentRow) == 2
    assert _count(db, EventRow) == 1
    db.close()


def test_failures_are_recorded_once_and_cleared_on_success(database_url: str) -> None:
    db = open_database(database_url)
    failed = Processed(
        DocumentResult(id="broken.txt", error="broken.txt: read failed: empty document"),
        failed_stage="read",
    )
    for _ in range(2):
        with db.transaction() as session:
            save_batch(session, [failed])
    assert _count(db, FailureRow) == 1
    db.close()


def test_reports_of_one_incident_fuse_across_documents(database_url: str) -> None:
    db = open_database(database_url)
    batch = [
        _processed("Report one of the blast.", _attack("2030-05-04", BAGHDAD, 3)),
        _processed("Report two of the blast.", _attack("2030-05-04", GREEN_ZONE, 5)),
        _processed("A blast the next day.", _attack("2030-05-05", BAGHDAD, 1)),
        _processed("A blast elsewhere.", _attack("2030-05-04", BASRA, 2)),
    ]
    with db.transaction() as session:
        save_batch(session, batch)
        fuse_pending(session)
    with db.transaction() as session:
        incidents = session.scalars(select(IncidentRow).order_by(IncidentRow.n_events.desc())).all()
        assert [i.n_events for i in incidents] == [2, 1, 1]
        merged = incidents[0]
        assert (merged.fatalities, merged.fatalities_max) == (3, 5)  # conservative headline, range kept
        assert merged.location_name == "Green Zone"  # the most specific place
        assert merged.n_documents == 2
    db.close()


def _assignment(db) -> set[frozenset[str]]:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        rows = session.execute(select(EventRow.record, EventRow.incident_id)).all()
    groups: dict[str, set[str]] = {}
    for record, incident in rows:
        groups.setdefault(incident, set()).add(record["evidence"][0]["text"])
    return {frozenset(g) for g in groups.values()}


def test_fusion_does_not_depend_on_arrival_order_and_equals_rebuild(database_url: str) -> None:
    reports = [
        _processed(f"Report {i}.", _attack(day, place, text=f"report {i}"))
        for i, (day, place) in enumerate(
            [("2030-05-04", BAGHDAD), ("2030-05-04", GREEN_ZONE), ("2030-05-04", BASRA),
             ("2030-05-05", BAGHDAD), ("2030-05-04", BAGHDAD)]
        )
    ]
    outcomes = set()
    for order in itertools.islice(itertools.permutations(reports), 0, 120, 37):
        if "postgresql" in database_url:
            from tests.conftest import _reset_postgres

            _reset_postgres(database_url)
            db = open_database(database_url)
        else:
            import tempfile

            db = open_database(f"sqlite:///{tempfile.mkdtemp()}/rasd.db")
        for report in order:  # one document at a time, fusing as they arrive
            with db.transaction() as session:
                save_batch(session, [report])
                fuse_pending(session)
        incremental = _assignment(db)
        with db.transaction() as session:
            rebuild(session)
        assert _assignment(db) == incremental
        outcomes.add(frozenset(incremental))
        db.close()
    assert len(outcomes) == 1


def test_newer_schema_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'rasd.db'}"
    open_database(url).close()
    import sqlite3

    with sqlite3.connect(tmp_path / "rasd.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num='9999'")
    with pytest.raises(StoreError, match="newer"):
        open_database(url)


def test_missing_folder_is_explained(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError, match="does not exist"):
        open_database(f"sqlite:///{tmp_path / 'nowhere' / 'rasd.db'}")


def test_postgres_down_is_explained() -> None:
    with pytest.raises(StoreError, match="cannot connect"):
        open_database("postgresql+psycopg://rasd:rasd@127.0.0.1:1/none")
