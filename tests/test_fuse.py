"""Fusion rules on reports we build: day-dated links, dayless attachment, order independence."""

from __future__ import annotations

import datetime as dt
import random

from rasd.fuse.cluster import cluster
from rasd.fuse.rules import FusionItem


def _item(key: str, day: str | None, place: str, lat: float, lon: float, text: str = "",
          precision: str = "day", type_: str = "ASSAULT", actor2: str | None = None) -> FusionItem:
    return FusionItem(
        key=key, document_id=key.split("-")[0], type=type_, mode="aerial",
        date_start=dt.date.fromisoformat(day) if day else None, date_end=None,
        date_precision=precision if day else None, country="IRQ", admin1="Baghdad",
        place=place, lat=lat, lon=lon, place_precision="site", actor1=None,
        actor1_sector="REB", actor2_sector="GOV", text=text, actor2=actor2,
    )


GREEN_ZONE = ("Green Zone", 33.30, 44.38)
AIRPORT = ("Baghdad International Airport", 33.26, 44.23)  # 15 km away
BASRA = ("Basra", 30.51, 47.78)


def test_same_day_same_place_fuse_and_other_days_or_places_do_not() -> None:
    items = [
        _item("a-0", "2031-03-02", *GREEN_ZONE),
        _item("b-0", "2031-03-02", *AIRPORT),  # within 25 km: one incident
        _item("c-0", "2031-03-03", *GREEN_ZONE),  # next day: another
        _item("d-0", "2031-03-02", *BASRA),  # far away: another
        _item("e-0", "2031-03-02", *GREEN_ZONE, type_="PROTEST"),  # other family: another
    ]
    incidents = cluster(items)
    assert incidents["a-0"] == incidents["b-0"]
    assert len({incidents[k] for k in ("a-0", "c-0", "d-0", "e-0")}) == 4


def test_a_dayless_report_joins_the_one_compatible_incident() -> None:
    items = [
        _item("a-0", "2031-03-02", *GREEN_ZONE, actor2="the prime minister"),
        _item("b-0", "2030-06-10", *AIRPORT),
        _item("c-0", None, *GREEN_ZONE, actor2="the prime minister"),  # same named place and target
        _item("d-0", None, *BASRA),  # nothing compatible: stays on its own
    ]
    incidents = cluster(items)
    assert incidents["c-0"] == incidents["a-0"] != incidents["b-0"]
    assert incidents["d-0"] not in {incidents["a-0"], incidents["b-0"]}


def test_month_precision_report_only_joins_an_incident_inside_its_month() -> None:
    items = [
        _item("a-0", "2031-03-02", *GREEN_ZONE),
        _item("b-0", "2031-04-01", *GREEN_ZONE, precision="month"),
    ]
    incidents = cluster(items)
    assert incidents["a-0"] != incidents["b-0"]


def test_result_does_not_depend_on_order() -> None:
    items = [
        _item("a-0", "2031-03-02", *GREEN_ZONE), _item("b-0", "2031-03-02", *AIRPORT),
        _item("c-0", None, *GREEN_ZONE), _item("d-0", "2031-03-02", *BASRA),
        _item("e-0", "2031-03-03", *AIRPORT),
    ]
    expected = cluster(items)
    for seed in range(5):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        assert cluster(shuffled) == expected


def test_identical_reports_of_one_document_stay_apart_and_copies_elsewhere_join_them() -> None:
    # two strikes reported alike in one document are two events; a copy of that report in
    # another document links to both, so all three become one incident
    alone = cluster([_item("a-0", "2031-03-02", *GREEN_ZONE), _item("a-1", "2031-03-02", *GREEN_ZONE)])
    assert alone["a-0"] != alone["a-1"]
    joined = cluster([_item("a-0", "2031-03-02", *GREEN_ZONE), _item("a-1", "2031-03-02", *GREEN_ZONE),
                      _item("b-0", "2031-03-02", *GREEN_ZONE)])
    assert joined["a-0"] == joined["a-1"] == joined["b-0"]


def test_many_copies_give_the_components_of_pairwise_links() -> None:
    # syndicated copies are compared once per kind of report: the incidents must still be
    # exactly the connected components of the pairwise rule
    from rasd.fuse.rules import same_incident

    places = [GREEN_ZONE, AIRPORT, BASRA]
    items = [_item(f"d{n}-{i}", "2031-03-02", *places[(n + i) % 3]) for n in range(12) for i in range(2)]
    incidents = cluster(items)
    for a in items:
        for b in items:
            if same_incident(a, b):
                assert incidents[a.key] == incidents[b.key]
    assert len(set(incidents.values())) == 2  # Green Zone + airport (15 km apart), and Basra
