"""Export writers: ACLED-style CSV, PLOVER JSON Lines, GeoJSON, Parquet.

Each takes flat records (rasd.export.records) and writes one file or stream. Column names
follow ACLED where a column has a meaning here, PLOVER's field names in JSON, and GeoJSON
(RFC 7946) so that QGIS opens the file as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import IO, Any

from rasd.export.countries import country

Record = dict[str, Any]

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "iso", "country", "admin1", "admin2", "location", "latitude", "longitude",
    "geo_precision", "source", "notes", "fatalities", "timestamp",
]
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
_GEO_PRECISION = {"site": 1, "city": 1, "admin2": 2, "admin1": 3, "country": 3}
# ACLED actor categories: 1 state forces, 2 rebels, 3 political militias, 5 rioters,
# 6 protesters, 7 civilians, 8 external/other.
_INTER = {"GOV": 1, "MIL": 1, "POL": 1, "REB": 2, "PTY": 3, "OPP": 3, "CVL": 7, "MED": 7,
          "NGO": 8, "IGO": 8, "BUS": 8, "REL": 7, "OTH": 8}


def _inter(sector: str | None, record: Record, first: bool) -> int | None:
    if sector is None:
        return None
    if first and sector == "CVL" and record["acled_event_type"] == "Protests":
        return 6
    if first and sector == "CVL" and record["acled_event_type"] == "Riots":
        return 5
    return _INTER.get(sector)


def _timestamp(value: str | None) -> int | None:
    return int(dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC).timestamp()) if value else None


def acled_row(record: Record) -> dict[str, Any]:
    info = country(record["country"])
    inter1 = _inter(record["actor1_sector"], record, True)
    inter2 = _inter(record["actor2_sector"], record, False)
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    interaction = (codes[0] * 10 + (codes[1] if len(codes) > 1 else 0)) if codes else None
    return {
        "event_id_cnty": f"{record['country'] or 'XXX'}-{record['id']}",
        "event_date": record["date_start"],
        "year": int(record["date_start"][:4]) if record["date_start"] else None,
        "time_precision": _TIME_PRECISION.get(record["date_precision"]),
        "disorder_type": _DISORDER.get(record["acled_event_type"] or ""),
        "event_type": record["acled_event_type"],
        "sub_event_type": record["acled_sub_event_type"],
        "actor1": record["actor1_name"],
        "assoc_actor_1": None,
        "inter1": inter1,
        "actor2": record["actor2_name"],
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": interaction,
        "iso": info.numeric if info else None,
        "country": info.name if info else None,
        "admin1": record["admin1"],
        "admin2": None,
        "location": record["location_name"],
        "latitude": record["lat"],
        "longitude": record["lon"],
        "geo_precision": _GEO_PRECISION.get(record["location_precision"] or ""),
        "source": record["sources"],
        "notes": record["evidence"],
        "fatalities": record["fatalities"],
        "timestamp": _timestamp(record["updated_at"]),
    }


def write_acled_csv(records: Iterable[Record], out: IO[str]) -> int:
    """ACLED-style CSV; only events that have an ACLED type (ACLED codes no verbal events)."""
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for record in records:
        if record["acled_event_type"]:
            writer.writerow(acled_row(record))
            count += 1
    return count


def plover_record(record: Record) -> dict[str, Any]:
    return {
        "id": record["id"],
        "date": record["date_start"],
        "date_end": record["date_end"],
        "date_resolution": record["date_precision"],
        "event_type": record["type"],
        "mode": record["mode"],
        "context": None,
        "actor": record["actor1_name"],
        "actor_sector": record["actor1_sector"],
        "actor_country": record["actor1_country"],
        "recipient": record["actor2_name"],
        "recipient_sector": record["actor2_sector"],
        "recipient_country": record["actor2_country"],
        "dead": record["fatalities"],
        "injured": record["injured"],
        "weapon": record["weapon"],
        "placename": record["location_name"],
        "geonameid": record["geonameid"],
        "admin1": record["admin1"],
        "country": record["country"],
        "lat": record["lat"],
        "lon": record["lon"],
        "geo_precision": record["location_precision"],
        "cameo": record["cameo"],
        "acled_event_type": record["acled_event_type"],
        "acled_sub_event_type": record["acled_sub_event_type"],
        "event_text": record["evidence"],
        "source": record["sources"],
        "url": record["urls"],
        "language": record["language"],
        "incident_id": record["incident_id"],
        "confidence": record["confidence"],
    }


def write_plover_jsonl(records: Iterable[Record], out: IO[str]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(plover_record(record), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_geojson(records: Iterable[Record], out: IO[str]) -> int:
    """A FeatureCollection of points; records without coordinates are left out."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    count = 0
    for record in records:
        if record["lat"] is None or record["lon"] is None:
            continue
        feature = {
            "type": "Feature",
            "id": record["id"],
            "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]},
            "properties": {k: v for k, v in record.items() if k not in ("lat", "lon")},
        }
        out.write((",\n" if count else "") + json.dumps(feature, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


def write_parquet(records: Iterable[Record], path: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("id", pa.string()), ("incident_id", pa.string()), ("document_id", pa.string()),
            ("type", pa.string()), ("mode", pa.string()), ("acled_event_type", pa.string()),
            ("acled_sub_event_type", pa.string()), ("cameo", pa.string()),
            ("date_start", pa.date32()), ("date_end", pa.date32()), ("date_precision", pa.string()),
            ("location_name", pa.string()), ("geonameid", pa.string()), ("admin1", pa.string()),
            ("country", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
            ("location_precision", pa.string()), ("actor1_name", pa.string()),
            ("actor1_sector", pa.string()), ("actor1_country", pa.string()),
            ("actor2_name", pa.string()), ("actor2_sector", pa.string()),
            ("actor2_country", pa.string()), ("fatalities", pa.int32()),
            ("fatalities_max", pa.int32()), ("injured", pa.int32()), ("weapon", pa.string()),
            ("background", pa.bool_()), ("confidence", pa.float64()), ("language", pa.string()),
            ("evidence", pa.string()), ("sources", pa.string()), ("urls", pa.string()),
            ("n_documents", pa.int32()), ("updated_at", pa.timestamp("us")),
        ]
    )
    converters: dict[str, Callable[[Any], Any]] = {
        "date_start": lambda v: dt.date.fromisoformat(v) if v else None,
        "date_end": lambda v: dt.date.fromisoformat(v) if v else None,
        "updated_at": lambda v: dt.datetime.fromisoformat(v) if v else None,
    }
    columns: dict[str, list[Any]] = {name: [] for name in schema.names}
    count = 0
    for record in records:
        for name in schema.names:
            value = record.get(name)
            columns[name].append(converters[name](value) if name in converters else value)
        count += 1
    pq.write_table(pa.table(columns, schema=schema), path)
    return count


FORMATS = ("acled-csv", "plover-jsonl", "geojson", "parquet")
