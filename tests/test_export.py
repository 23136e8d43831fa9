"""Queries and exports over a real database filled with events we build."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from geojson_pydantic import FeatureCollection

from rasd.cli import main
from rasd.export.formats import ACLED_COLUMNS
from rasd.fuse.incremental import fuse_pending
from rasd.store.database import open_database
from rasd.store.query import Filter, FilterError, Near, Page, find_events, find_incidents
from rasd.store.repository import save_batch
from tests.test_store import BAGHDAD, BASRA, GREEN_ZONE, _attack, _processed


@pytest.fixture
def filled(database_url: str) -> str:
    db = open_database(database_url)
    protest = _attack("2030-05-03", BASRA, text="متظاهرون يحتجون أمام مبنى المحافظة")
    protest.type, protest.mode = "PROTEST", "demonstrate"
    protest.acled_event_type, protest.acled_sub_event_type = "Protests", "Peaceful protest"
    bomb = _attack("2030-05-04", BAGHDAD, 3, text="A car bomb exploded in a Baghdad market")
    bomb.acled_event_type, bomb.acled_sub_event_type = "Explosions/Remote violence", "Remote explosive/landmine/IED"
    bomb2 = _attack("2030-05-04", GREEN_ZONE, 5, text="انفجار سيارة مفخخة في بغداد")
    bomb2.acled_event_type, bomb2.acled_sub_event_type = bomb.acled_event_type, bomb.acled_sub_event_type
    with db.transaction() as session:
        save_batch(session, [_processed("doc one", bomb), _processed("doc two", bomb2),
                             _processed("doc three", protest)])
        fuse_pending(session)
    db.close()
    return database_url


def test_filters(filled: str) -> None:
    db = open_database(filled, write=False)
    with db.transaction() as session:
        assert len(find_events(session, Filter(countries=("IRQ",))).rows) == 3
        assert len(find_events(session, Filter(types=("PROTEST",))).rows) == 1
        assert len(find_events(session, Filter(min_fatalities=4)).rows) == 1
        near_baghdad = Filter(near=Near(33.33, 44.39, 30))
        assert len(find_events(session, near_baghdad).rows) == 2
        # text search folds Arabic letter forms: مفخخه (ta marbuta as ha) finds مفخخة
        assert len(find_events(session, Filter(text="مفخخه")).rows) == 1
        assert len(find_events(session, Filter(text="CAR BOMB")).rows) == 1
        assert len(find_events(session, Filter(text="100%_")).rows) == 0  # LIKE wildcards are literal
        incidents = find_incidents(session, Filter(countries=("IRQ",))).rows
        assert sorted(i.n_documents for i in incidents) == [1, 2]
        first = find_events(session, Filter(), Page(limit=2))
        rest = find_events(session, Filter(), Page(limit=2, after=first.next_cursor))
        assert len(first.rows) == 2 and len(rest.rows) == 1
        assert not {r.id for r in first.rows} & {r.id for r in rest.rows}


def test_bad_filters_are_refused() -> None:
    with pytest.raises(FilterError):
        Near(33.0, 44.0, -5)
    with pytest.raises(FilterError):
        Page(limit=10**9)
    runner = CliRunner()
    result = runner.invoke(main, ["events", "--since", "2021-13-45"])
    assert result.exit_code == 2 and "not a date" in result.output


def test_exports_load_in_the_usual_tools(filled: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    csv_path, geo_path, pq_path = tmp_path / "e.csv", tmp_path / "e.geojson", tmp_path / "e.parquet"
    for fmt, path in (("acled-csv", csv_path), ("geojson", geo_path), ("parquet", pq_path)):
        result = runner.invoke(main, ["export", "--db", filled, "--format", fmt, "-o", str(path)])
        assert result.exit_code == 0, result.output
    frame = pd.read_csv(csv_path)
    assert list(frame.columns) == ACLED_COLUMNS
    assert set(frame["iso"]) == {368} and set(frame["country"]) == {"Iraq"}
    assert set(frame["disorder_type"]) == {"Political violence", "Demonstrations"}
    collection = FeatureCollection.model_validate(json.loads(geo_path.read_text()))
    assert len(collection.features) == 3
    table = pq.read_table(pq_path)
    assert table.num_rows == 3
    assert str(table.schema.field("date_start").type) == "date32[day]"
    incidents = runner.invoke(main, ["export", "--db", filled, "--format", "plover-jsonl", "--incidents"])
    lines = [json.loads(line) for line in incidents.stdout.splitlines()]
    assert sorted(line["event_type"] for line in lines) == ["ASSAULT", "PROTEST"]
    merged = next(line for line in lines if line["event_type"] == "ASSAULT")
    assert merged["dead"] == 3 and merged["placename"] == "Green Zone"
