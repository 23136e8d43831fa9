"""The HTTP API on real databases: SQLite and PostgreSQL, each filled by `rasd ingest` of the
dev documents plus reports we wrote (tests/serve_data.py) whose events we know exactly.

Filters are checked against the same predicate applied in Python to the full listing, pages
against the full listing, formats against the JSON, spans against the document text, /stats
against /events; bad input of every kind must give a 4xx with a JSON message.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rasd.serve.api import create_app
from rasd.store.database import open_database
from tests import serve_data as data

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOKEN = "test-token-5f0c"


@dataclass
class Api:
    url: str
    client: TestClient  # read-only, as `rasd serve` runs without RASD_TOKEN
    dev_events: int  # events the dev ingest stored (0 until extraction works)


def _client(url: str, token: str | None = None) -> TestClient:
    database = open_database(url, write=bool(token))
    return TestClient(create_app(database, token=token), raise_server_exceptions=False)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    if request.param == "sqlite":
        url = data.dev_sqlite(shared_dir, tmp_path_factory.mktemp("api") / "rasd.db")
    else:
        base = os.environ.get("RASD_TEST_PG")
        if not base:
            pytest.skip("RASD_TEST_PG is not set (scripts/test starts PostgreSQL and sets it)")
        url = data.postgres_database(base, "rasd_test_api")
        data.run_ingest(url, shared_dir / "eval" / "dev.docs.jsonl")
    client = _client(url)
    dev_events = len(_all(client, "/events", background="true"))
    database = open_database(url)
    data.store(database, data.drone_reports("2030-05-04") + [data.injection_report("2030-05-10")]
               + data.filter_reports())
    database.close()
    client.app.state.cache.clear()  # written behind the server's back: forget what it served
    yield Api(url, client, dev_events)
    client.close()


def _ok(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _all(client: TestClient, path: str, limit: int = 1000, **params: Any) -> list[dict[str, Any]]:
    """Every item of a listing, following the cursors."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = _ok(client, path, limit=limit, **params, **({"cursor": cursor} if cursor else {}))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


# --- filters ---------------------------------------------------------------------------------

def _in_month(item: dict[str, Any], month: str) -> bool:
    return bool(item["date_start"]) and item["date_start"].startswith(month)


FILTERS: list[tuple[dict[str, Any], Callable[[dict[str, Any]], bool]]] = [
    ({"country": "IRQ"}, lambda e: e["country"] == "IRQ"),
    ({"country": ["SYR", "LBN"]}, lambda e: e["country"] in ("SYR", "LBN")),
    ({"type": "ASSAULT"}, lambda e: e["type"] == "ASSAULT"),
    ({"acled_type": "Protests"}, lambda e: e["acled_event_type"] == "Protests"),
    ({"since": "2030-04", "until": "2030-04"}, lambda e: _in_month(e, "2030-04")),
    ({"since": "2021-11-07", "until": "2021-11-07"}, lambda e: e["date_start"] == "2021-11-07"),
    ({"min_fatalities": 3}, lambda e: e["fatalities"] is not None and e["fatalities"] >= 3),
    ({"language": "ar"}, lambda e: e["language"] == "ar"),
    ({"country": "IRQ", "type": "ASSAULT", "since": "2030"}, lambda e: e["country"] == "IRQ"
     and e["type"] == "ASSAULT" and e["date_start"] is not None and e["date_start"] >= "2030"),
]


@pytest.mark.parametrize(("params", "keep"), FILTERS, ids=lambda v: str(v) if isinstance(v, dict) else None)
def test_event_filters_keep_exactly_the_matching_events(api: Api, params: dict, keep: Callable) -> None:
    everything = _all(api.client, "/events")
    expected = {e["id"] for e in everything if keep(e)}
    assert expected, f"no event matches {params}: the test data should have some"
    assert {e["id"] for e in _all(api.client, "/events", **params)} == expected


def test_near_keeps_events_within_the_radius(api: Api) -> None:
    everything = _all(api.client, "/events")
    near = _all(api.client, "/events", near="36.20,37.16", km=25)
    assert "Aleppo" in [e["location_name"] for e in near]
    assert {e["id"] for e in near} == {e["id"] for e in everything if e["lat"] is not None
                                       and abs(e["lat"] - 36.20) < 0.25 and abs(e["lon"] - 37.16) < 0.3}
    assert [e["location_name"] for e in _all(api.client, "/events", near="36.20,37.16", km=25, since="2030")] == ["Aleppo"]
    assert not _all(api.client, "/events", near="-33.9,151.2", km=100)  # Sydney: nothing there


def test_text_search_folds_arabic_and_case(api: Api) -> None:
    for text in ("اشتباكات", "اِشْتِبَاكَات", "ريف حلب"):  # plain, with diacritics, two words
        found = _all(api.client, "/events", text=text, since="2030")
        assert [e["location_name"] for e in found] == ["Aleppo"], text
    found = _all(api.client, "/events", text="ROADSIDE bomb", since="2030")
    assert [e["location_name"] for e in found] == ["Mosul"]
    incidents = _all(api.client, "/incidents", text="اشتباكات", since="2030")
    assert [i["location_name"] for i in incidents] == ["Aleppo"]


def test_background_events_are_left_out_unless_asked(api: Api) -> None:
    default = {e["id"] for e in _all(api.client, "/events")}
    every = _all(api.client, "/events", background="true")
    assert default == {e["id"] for e in every if not e["background"]}


def test_updated_since_gives_incremental_pulls(api: Api) -> None:
    everything = _all(api.client, "/events")
    assert len(_all(api.client, "/events", updated_since="2000-01-01T00:00:00Z")) == len(everything)
    assert _all(api.client, "/events", updated_since="2999-01-01T00:00:00+03:00") == []
    newest = max(e["updated_at"] for e in everything)
    assert {e["id"] for e in _all(api.client, "/events", updated_since=newest)} == \
        {e["id"] for e in everything if e["updated_at"] >= newest}


def test_incident_filters(api: Api) -> None:
    everything = _all(api.client, "/incidents")
    iraq = _all(api.client, "/incidents", country="IRQ", since="2030-05", until="2030-05")
    assert {i["id"] for i in iraq} == {
        i["id"] for i in everything if i["country"] == "IRQ" and _in_month(i, "2030-05")}
    assert {i["type"] for i in iraq} == {"ASSAULT", "PROTEST"}


# --- pages and formats -------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/events", "/incidents"])
def test_cursor_pages_visit_every_item_once_in_order(api: Api, path: str) -> None:
    everything = [i["id"] for i in _all(api.client, path)]
    for limit in (1, 3):
        paged, cursor, pages = [], None, 0
        while True:
            page = _ok(api.client, path, limit=limit, **({"cursor": cursor} if cursor else {}))
            assert len(page["items"]) <= limit
            paged += [i["id"] for i in page["items"]]
            cursor, pages = page["next_cursor"], pages + 1
            if cursor is None:
                break
        assert paged == everything == sorted(everything)
        assert pages >= len(everything) // limit
    filtered = _all(api.client, path, limit=2, country="IRQ")
    assert [i["id"] for i in filtered] == [i for i in everything if i in {f["id"] for f in filtered}]


@pytest.mark.parametrize("path", ["/events", "/incidents"])
def test_csv_and_geojson_carry_the_same_records_as_json(api: Api, path: str) -> None:
    from geojson_pydantic import FeatureCollection

    records = _ok(api.client, path, limit=50)["items"]
    response = api.client.get(path, params={"limit": 50, "format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    assert list(rows[0]) == list(records[0])
    assert [r["evidence"] for r in rows] == [r["evidence"] for r in records]  # Arabic survives

    response = api.client.get(path, params={"limit": 50, "format": "geojson"})
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = FeatureCollection.model_validate(response.json())
    located = [r for r in records if r["lat"] is not None and r["lon"] is not None]
    assert [f.id for f in collection.features] == [r["id"] for r in located]
    for feature, record in zip(collection.features, located, strict=True):
        assert tuple(feature.geometry.coordinates) == (record["lon"], record["lat"])
        assert feature.properties["type"] == record["type"]


# --- one incident, one document --------------------------------------------------------------

def test_incident_has_its_member_events_and_sources_in_both_languages(api: Api) -> None:
    [attack] = _all(api.client, "/incidents", type="ASSAULT", since="2030-05-04", until="2030-05-04")
    assert attack["n_documents"] == 2 and attack["country"] == "IRQ"
    assert (attack["injured"], attack["weapon"]) == (5, "drone")  # the lower of the two reports
    detail = _ok(api.client, f"/incidents/{attack['id']}")
    assert detail["incident"]["id"] == attack["id"]
    assert len(detail["events"]) == 2
    assert {e["incident_id"] for e in detail["events"]} == {attack["id"]}
    assert {s["language"] for s in detail["sources"]} == {"ar", "en"}
    assert {s["document_id"] for s in detail["sources"]} == {e["document_id"] for e in detail["events"]}
    assert {s["source"] for s in detail["sources"]} == {"ar.example.org", "en.example.org"}


def test_every_incident_lists_its_members_and_their_documents(api: Api) -> None:
    for incident in _all(api.client, "/incidents"):
        detail = _ok(api.client, f"/incidents/{incident['id']}")
        assert detail["events"] and {e["incident_id"] for e in detail["events"]} == {incident["id"]}
        assert len(detail["sources"]) == incident["n_documents"]


def test_document_spans_are_the_exact_text_they_claim(api: Api) -> None:
    documents = {e["document_id"] for e in _all(api.client, "/events", background="true")}
    assert len(documents) >= 6
    checked = 0
    for document_id in sorted(documents):
        doc = _ok(api.client, f"/documents/{document_id}")
        assert doc["id"] == document_id
        for segment in doc["segments"]:
            assert 0 <= segment["start"] <= segment["end"] <= len(doc["text"])
        for event in doc["events"]:
            assert event["document_id"] == document_id
            for span in event["spans"]:
                assert doc["text"][span["start"]:span["end"]] == span["text"], (document_id, span)
                checked += 1
    assert checked >= 20


def test_arabic_document_keeps_its_english_post_segment(api: Api) -> None:
    [attack] = _all(api.client, "/incidents", type="ASSAULT", since="2030-05-04", until="2030-05-04")
    sources = _ok(api.client, f"/incidents/{attack['id']}")["sources"]
    arabic = next(s for s in sources if s["language"] == "ar")
    doc = _ok(api.client, f"/documents/{arabic['document_id']}")
    assert doc["language"] == "ar" and doc["title"] == "طائرة مسيرة تضرب مبنى حكوميا في بغداد"
    kinds = [(g["kind"], g["language"]) for g in doc["segments"]]
    assert ("post", "en") in kinds and ("body", "ar") in kinds
    post = next(g for g in doc["segments"] if g["kind"] == "post")
    assert post["post"]["handle"] == "@field_reporter"
    fields = {s["field"]: s["text"] for e in doc["events"] for s in e["spans"]}
    assert fields["injured"] == "إصابة ستة من الحراس"


def test_unknown_ids_are_404_json(api: Api) -> None:
    for path in ("/incidents/inc-0000000000000000", "/documents/00000000000000000000"):
        response = api.client.get(path)
        assert response.status_code == 404 and "error" in response.json()


# --- statistics --------------------------------------------------------------------------------

@pytest.mark.parametrize("params", [{}, {"country": "IRQ"}, {"since": "2030", "type": "ASSAULT"}])
def test_stats_count_the_same_events_as_the_listing(api: Api, params: dict) -> None:
    stats = _ok(api.client, "/stats", **params)
    events = _all(api.client, "/events", **params)
    assert stats["events"] == len(events)
    assert stats["by_country"] == dict(Counter(e["country"] for e in events if e["country"]))
    assert stats["by_type"] == dict(Counter(e["type"] for e in events))
    assert stats["by_day"] == dict(Counter(e["date_start"] for e in events if e["date_start"]))


# --- the dev set -------------------------------------------------------------------------------

def test_dev_set_kadhimi_attack_is_one_incident_with_arabic_and_english_sources(api: Api) -> None:
    if not api.dev_events:
        pytest.skip("`rasd ingest` of the dev set stored no events (extraction not available yet?)")
    found = _all(api.client, "/incidents", country="IRQ", type="ASSAULT", since="2021-11-06", until="2021-11-08")
    assert found, "no IRQ ASSAULT incident around 2021-11-07 in the dev set"
    attack = max(found, key=lambda i: i["n_documents"])
    detail = _ok(api.client, f"/incidents/{attack['id']}")
    assert {"ar", "en"} <= {s["language"] for s in detail["sources"]}


# --- writing -----------------------------------------------------------------------------------

def test_writing_is_off_without_a_token(api: Api) -> None:
    response = api.client.post("/documents", json={"documents": [{"text": "A quiet day."}]})
    assert response.status_code == 403 and "RASD_TOKEN" in response.json()["error"]


def test_writing_needs_the_right_bearer_token(api: Api) -> None:
    writer = _client(api.url, token=TOKEN)
    body = {"documents": [{"text": "Residents of a quiet village said nothing unusual happened on Tuesday.",
                           "url": "https://example.org/quiet-village", "id": "quiet-1"}]}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": TOKEN}, {"Authorization": f"Bearer {TOKEN}x"}):
        response = writer.post("/documents", json=body, headers=headers)
        assert response.status_code == 401, headers
        assert response.json() == {"error": "missing or wrong bearer token"}
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = writer.post("/documents", json=body, headers=auth)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["stored"] + result["skipped"] == 1 and result["failed"] == 0
    stored = _ok(api.client, f"/documents/{result['ids'][0]}")
    assert stored["text"] == body["documents"][0]["text"] and stored["input_id"] == "quiet-1"
    again = writer.post("/documents", json=body, headers=auth).json()
    assert (again["stored"], again["skipped"]) == (0, 1)  # the same text twice changes nothing
    writer.close()


# --- bad input ---------------------------------------------------------------------------------

BAD_GETS = [
    "/events?bogus=1", "/incidents?countries=IRQ", "/stats?limit=5", "/stats?cursor=x",
    "/incidents/x?expand=1", "/documents/x?full=1",
    "/events?since=2021-13-01", "/events?since=yesterday", "/events?until=2021-02-30",
    "/events?since=-1", "/events?since=2022&until=2021", "/events?updated_since=notadate",
    "/events?updated_since=10000-01-01T00:00:00",
    "/events?limit=1000000000", "/events?limit=0", "/events?limit=-5", "/events?limit=ten",
    "/incidents?limit=1000000000",
    "/events?near=33.3,44.4&km=-5", "/events?near=33.3,44.4&km=0", "/events?near=33.3,44.4&km=nan",
    "/events?near=abc", "/events?near=95,44", "/events?near=1e999,0", "/events?near=33.3",
    "/events?min_fatalities=-1", "/events?min_fatalities=99999999999999999999",
    "/events?format=xml", "/events?background=maybe", "/events?cursor=" + "a" * 101,
    "/events?text=" + "x" * 201,
    "/events?text=%00", "/incidents?text=%00", "/events?country=%00", "/events?cursor=%00",
    "/events?type=%00", "/stats?language=%00", "/incidents/%00", "/documents/%00",
    "/documents/" + "a" * 41, "/incidents/" + "a" * 49,
]


def _assert_clean_4xx(response, expected: int | None = None) -> None:  # type: ignore[no-untyped-def]
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    if expected:
        assert response.status_code == expected, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    message = response.json()["error"]
    assert isinstance(message, str) and message
    assert "Traceback" not in response.text and 'File "' not in response.text


@pytest.mark.parametrize("path", BAD_GETS)
def test_bad_queries_get_a_4xx_json_message(api: Api, path: str) -> None:
    _assert_clean_4xx(api.client.get(path))


def test_wrong_method_and_unknown_path_are_json_too(api: Api) -> None:
    _assert_clean_4xx(api.client.put("/events"), 405)
    _assert_clean_4xx(api.client.delete("/documents/x"), 405)
    _assert_clean_4xx(api.client.get("/nowhere"), 404)


def test_sql_in_the_text_filter_is_only_text(api: Api) -> None:
    before = len(_all(api.client, "/events"))
    for text in ("'; DROP TABLE events; --", "%' OR 1=1 --", "\" OR \"\"=\"", "_%", "\\"):
        response = api.client.get("/events", params={"text": text})
        assert response.status_code == 200 and response.json()["items"] == [], text
    assert len(_all(api.client, "/events")) == before


BIG = 6 * 1024 * 1024
BAD_BODIES = [
    (b"\xff\xfe{\"documents\": []}", 400),  # not UTF-8
    (b"not json", 400),
    (b"[1, 2]", 400),
    (b"{}", 400),
    (b'{"documents": []}', 400),
    (b'{"documents": [{"text": ""}]}', 400),
    (b'{"documents": [{"text": "x", "evil": 1}]}', 400),
    (b'{"documents": [{"text": "a\\u0000b"}]}', 400),  # NUL: no database stores it
    (b'{"documents": [{"text": "\\ud800"}]}', 400),  # a lone surrogate
    (b'{"documents": [{"text": ' + b'"' + b"a" * BIG + b'"}]}', 413),
]


@pytest.mark.parametrize(("body", "status"), BAD_BODIES, ids=lambda v: repr(v[:24]) if isinstance(v, bytes) else str(v))
def test_bad_bodies_get_a_4xx_json_message(api: Api, body: bytes, status: int) -> None:
    writer = _client(api.url, token=TOKEN)
    response = writer.post("/documents", content=body,
                           headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    _assert_clean_4xx(response, status)
    writer.close()


def test_headers_keep_the_page_and_the_api_locked_down(api: Api) -> None:
    response = api.client.get("/events", params={"limit": 1})
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_openapi_schema_and_offline_docs(api: Api) -> None:
    schema = _ok(api.client, "/openapi.json")
    assert {"/events", "/incidents", "/incidents/{incident_id}", "/documents/{document_id}", "/stats",
            "/documents"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/documents"]
    docs = api.client.get("/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower() and "https://" not in docs.text  # served locally


# --- the response cache --------------------------------------------------------------------------

def test_cached_answers_follow_the_database(tmp_path: Path) -> None:
    """Answers are cached, but a write through the API shows at once and a write by another
    process (here: straight into the database) within the cache's one-second recheck."""
    import time

    url = f"sqlite:///{tmp_path / 'rasd.db'}"
    database = open_database(url)
    data.store(database, data.filter_reports())
    writer = _client(url, token=TOKEN)
    assert _ok(writer, "/stats")["events"] == 3
    assert _ok(writer, "/stats")["events"] == 3  # from the cache
    data.store(database, data.drone_reports("2030-05-04"))  # another writer
    time.sleep(writer.app.state.cache.recheck_seconds + 0.1)
    assert _ok(writer, "/stats")["events"] == 5
    response = writer.post("/documents", json={"documents": [{"text": "Nothing at all happened on the quiet road."}]},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 201
    assert len(writer.app.state.cache) == 0  # a write through the API drops every kept answer
    stored = response.json()["ids"][0]
    assert _ok(writer, f"/documents/{stored}")["id"] == stored
    assert writer.get("/stats").headers["content-security-policy"].startswith("default-src 'self'")
    writer.close()
    database.close()


# --- the page's settings -------------------------------------------------------------------------

def test_a_tile_server_is_optional_and_admitted_by_the_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasd.serve.page import PageConfigError, built_page_dir, tile_origin

    page_dir = built_page_dir()
    if page_dir is None:
        pytest.skip("the page is not built (scripts/build-page)")
    database = open_database(f"sqlite:///{tmp_path / 'rasd.db'}")
    offline = TestClient(create_app(database, page_dir=page_dir))
    assert _ok(offline, "/page-config.json") == {"tile_url": None, "tile_attribution": None}
    assert "img-src 'self' data:;" in offline.get("/").headers["content-security-policy"]

    monkeypatch.setenv("RASD_TILE_URL", "https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    monkeypatch.setenv("RASD_TILE_ATTRIBUTION", "© Example <b>maps</b>")
    online = TestClient(create_app(database, page_dir=page_dir))
    assert _ok(online, "/page-config.json")["tile_url"].startswith("https://{s}.tiles")
    assert "img-src 'self' data: https://*.tiles.example.org;" in online.get("/").headers["content-security-policy"]
    assert "script-src 'self';" in online.get("/").headers["content-security-policy"]

    for bad in ("javascript:alert(1)//{z}/{x}/{y}", "https://tiles.example.org/tile.png",
                "https://a.example.org;script-src *//{z}/{x}/{y}", "ftp://example.org/{z}/{x}/{y}"):
        with pytest.raises(PageConfigError):
            tile_origin(bad)
    database.close()


def test_types_are_a_closed_vocabulary(api: Api) -> None:
    for params in ({"type": "BOMBING"}, {"type": "false"}, {"acled_type": "Sports"}):
        response = api.client.get("/events", params=params)
        assert response.status_code == 400, (params, response.text)
        assert "error" in response.json()
