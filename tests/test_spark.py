"""`rasd spark` in local[2] against `rasd ingest` on the same inputs: the same documents,
events, failures and incidents (incidents compared as sets of member event ids, and by
their figures). Inputs: JSON Lines and a WARC.gz written here, plus — read at test time —
the shared dev documents as JSON Lines and as a WARC. One Spark session for the module.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("pyspark")

from rasd.cli import main  # noqa: E402
from rasd.store.database import open_database  # noqa: E402
from rasd.store.schema import DocumentRow, EventRow, FailureRow, IncidentRow  # noqa: E402
from tests.pages import KARRADA_EN  # noqa: E402

pytestmark = pytest.mark.slow

KARRADA_AR = (
    "انفجار سيارة مفخخة في الكرادة\n\nقُتل ثلاثة أشخاص وأصيب سبعة آخرون في انفجار سيارة مفخخة في حي الكرادة وسط "
    "بغداد، صباح السبت، بحسب مصدر في الشرطة العراقية.\n\nوقال المصدر إن قوات الأمن فرضت طوقًا حول مكان الانفجار."
)
AMMAN = (
    "Protest in Amman over fuel prices\n\nHundreds of people protested in central Amman, the capital of Jordan, "
    "on Wednesday against rising fuel prices.\n\nPolice watched but did not intervene."
)
BASRA_MONTH = "Hundreds of protesters rallied in Basra against power cuts, witnesses said. Police fired tear gas to disperse them."
BASRA_DAY = "Hundreds of people protested in Basra on Thursday against power cuts, witnesses said. Police fired tear gas."

IDLIB_AR = """<html lang="ar"><head><title>قصف على إدلب</title>
<meta property="article:published_time" content="2020-02-10T07:00:00+02:00"></head><body>
<article><h1>قصف جوي على ريف إدلب</h1><p>قُتل خمسة مدنيين بينهم طفلان، فجر الاثنين، في غارات جوية استهدفت
بلدة في ريف إدلب الجنوبي شمال غربي سوريا، بحسب ما أفاد الدفاع المدني.</p></article></body></html>"""
IDLIB_EN = """<html lang="en"><head><title>Airstrikes in Idlib</title>
<meta property="article:published_time" content="2020-02-10T12:00:00+02:00"></head><body>
<article><h1>Airstrikes kill five civilians in Idlib</h1><p>Five civilians, including two children, were
killed early on Monday in air strikes on a town in southern Idlib province in north-west Syria, the civil
defence said.</p></article></body></html>"""


def write_warc(path: Path, pages: list[tuple[str, str, str]], truncate_last: bool = False) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    starts = []
    for url, body, content_type in pages:
        status = "404 Not Found" if url.endswith("/missing") else "200 OK"
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        starts.append(buffer.tell())
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode("utf-8")), http_headers=headers,
                                           warc_headers_dict={"WARC-Date": "2022-03-06T00:00:00Z"})
        writer.write_record(record)
    data = buffer.getvalue()
    if truncate_last:
        data = data[: starts[-1] + (len(data) - starts[-1]) // 2]
    path.write_bytes(data)
    return path


def html_page(text: str) -> str:
    paragraphs = "".join(f"<p>{p.strip()}</p>\n" for p in text.split("\n") if p.strip())
    return f"<html><head><title></title></head><body><article>\n{paragraphs}</article></body></html>"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, shared_dir: Path) -> list[str]:
    folder = tmp_path_factory.mktemp("spark-inputs")
    lines = [
        json.dumps({"id": "karrada-ar", "text": KARRADA_AR, "published": "2022-03-05"}, ensure_ascii=False),
        json.dumps({"id": "amman", "text": AMMAN, "published": "2023-08-16"}),
        "",
        json.dumps({"id": "basra-month", "text": BASRA_MONTH, "published": "2022-03"}),
        json.dumps({"id": "basra-day", "text": BASRA_DAY, "published": "2022-03-10"}),
        '{"id": "broken", "text": ',
        json.dumps({"id": "karrada-again", "text": KARRADA_AR, "published": "2022-03-05"}, ensure_ascii=False),
    ]
    ours = folder / "ours.jsonl"
    ours.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pages = [
        ("https://news.example/en/karrada", KARRADA_EN, "text/html; charset=utf-8"),
        ("https://news.example/ar/idlib", IDLIB_AR, "text/html; charset=utf-8"),
        ("https://news.example/missing", "<html><body>gone</body></html>", "text/html"),
        ("https://news.example/en/idlib", IDLIB_EN, "text/html"),
        ("https://news.example/en/cut", IDLIB_EN.replace("Idlib", "Hama"), "text/html"),
    ]
    archive = write_warc(folder / "ours.warc.gz", pages, truncate_last=True)
    dev = [json.loads(line) for line in (shared_dir / "eval" / "dev.docs.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    half = len(dev) // 2
    dev_jsonl = folder / "dev.jsonl"
    dev_jsonl.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dev[:half]), encoding="utf-8")
    dev_warc = write_warc(folder / "dev.warc.gz", [(d.get("url") or f"https://dev.example/{d['id']}", html_page(d["text"]), "text/html; charset=utf-8") for d in dev[half:]])
    return [str(ours), str(archive), str(dev_jsonl), str(dev_warc)]


@pytest.fixture(scope="module")
def spark():
    from rasd.scale.spark import session

    running = session("local[2]", app_name="rasd-tests")
    running.sparkContext.setLogLevel("ERROR")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def single(inputs, tmp_path_factory) -> dict:
    """What `rasd ingest` stores for the inputs."""
    db = f"sqlite:///{tmp_path_factory.mktemp('ingest') / 'rasd.db'}"
    result = CliRunner().invoke(main, ["ingest", *inputs, "--db", db], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # some inputs fail on purpose
    database = open_database(db)
    with database.transaction() as session:
        out = {
            "documents": {d.id: (d.origin, d.input_id, d.url) for d in session.query(DocumentRow)},
            "events": {e.id: _event_key(e) for e in session.query(EventRow)},
            "incidents": {_members(session, i.id): _incident_key(i) for i in session.query(IncidentRow)},
            "failures": {(f.origin, f.stage, f.reason) for f in session.query(FailureRow)},
        }
    database.close()
    return out


@pytest.fixture(scope="module")
def distributed(inputs, spark, tmp_path_factory) -> dict:
    """What `rasd spark` writes for the same inputs."""
    from rasd.scale.spark import run

    output = tmp_path_factory.mktemp("spark-out")
    report = run(inputs, str(output), spark=spark)
    events = spark.read.parquet(str(output / "events")).collect()
    incidents = spark.read.parquet(str(output / "incidents")).collect()
    return {
        "report": report,
        "output": output,
        "documents": {d.id: (d.origin, d.input_id, d.url) for d in spark.read.parquet(str(output / "documents")).collect()},
        "events": {e.id: _event_key(e) for e in events},
        "incidents": {frozenset(i.event_ids): _incident_key(i) for i in incidents},
        "failures": {(f.origin, f.stage, f.reason) for f in spark.read.parquet(str(output / "failures")).collect()},
        "event_incident": {e.id: e.incident_id for e in events},
    }


def _event_key(e) -> tuple:
    return (e.type, e.mode, e.date_start, e.date_precision, e.country, e.location_name, e.fatalities, e.injured, e.background)


def _incident_key(i) -> tuple:
    return (i.id, i.type, i.date_start, i.country, i.location_name, i.fatalities, i.fatalities_max, i.injured, i.injured_max, i.n_documents)


def _members(session, incident_id: str) -> frozenset[str]:
    return frozenset(session.scalars(EventRow.__table__.select().with_only_columns(EventRow.id).where(EventRow.incident_id == incident_id)))


def test_spark_gives_the_same_documents_and_failures(single: dict, distributed: dict) -> None:
    assert distributed["documents"] == single["documents"]
    assert len(single["documents"]) > 60
    assert distributed["failures"] == single["failures"]
    reasons = " | ".join(sorted(r for _, _, r in single["failures"]))
    assert "not valid JSON" in reasons and "truncated" in reasons


def test_spark_gives_the_same_events(single: dict, distributed: dict) -> None:
    assert len(single["events"]) > 50
    assert distributed["events"] == single["events"]


def test_spark_gives_the_same_incidents(single: dict, distributed: dict) -> None:
    assert distributed["incidents"] == single["incidents"]
    sizes = sorted(len(members) for members in single["incidents"])
    assert sizes[-1] >= 2  # some reports did fuse (across inputs: Karrada in JSON Lines and in the WARC)
    karrada = [m for m, key in single["incidents"].items() if key[4] == "Karrada" and key[1] == "ASSAULT"]
    assert len(karrada) == 1 and len(karrada[0]) == 2


def test_the_event_table_is_partitioned_by_year_month_and_country(distributed: dict) -> None:
    folders = {p.relative_to(distributed["output"] / "events").parts[:3] for p in (distributed["output"] / "events").rglob("*.parquet")}
    assert ("year=2022", "month=3", "country=IRQ") in folders
    report = distributed["report"]
    assert report.documents == len(distributed["documents"]) and report.events == len(distributed["events"])


def test_the_cli_and_module_entry_points() -> None:
    result = CliRunner().invoke(main, ["spark", "--help"])
    assert result.exit_code == 0 and "--output" in result.output
    from rasd.scale.spark import main as module_main

    with pytest.raises(SystemExit):
        module_main(["--help"])
