"""Data for the API, schema and page tests: documents we wrote, and the dev-set ingest.

The synthetic documents are our own texts (an Arabic and an English report of a drone attack
on a government building in Baghdad, a script-injection report, a few reports for filters),
with hand-built events whose evidence spans are located in the text, so the tests do not
depend on how good extraction is. The dev set (../shared/eval/dev.docs.jsonl) is stored by
running the real `rasd ingest` command; tests that need its events skip when it yields none.
"""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rasd.document import DatePrecision, Document, PostInfo, PublicationDate, Segment, SegmentKind
from rasd.event import Actor, DocumentResult, Event, EventDate, Evidence, Location
from rasd.pipeline import Processed
from rasd.store.database import Database

BAGHDAD = Location("Baghdad", 98182, "Baghdad", "IRQ", 33.34, 44.40, "city")
GREEN_ZONE = Location("Green Zone", "rasd:green-zone", "Baghdad", "IRQ", 33.30, 44.38, "site")
MOSUL = Location("Mosul", 99072, "Nineveh", "IRQ", 36.34, 43.13, "city")
ALEPPO = Location("Aleppo", 170063, "Aleppo", "SYR", 36.20, 37.16, "city")
BEIRUT = Location("Beirut", 276781, "Beirut", "LBN", 33.89, 35.50, "city")

# The payload of the injection document: each part sets a window flag if it ever runs.
SCRIPT_PAYLOAD = "<script>window.__rasdPwned = 'script'</script>"
IMG_PAYLOAD = "<img src=x onerror=\"window.__rasdPwned = 'img'; alert('img')\">"


@dataclass
class Piece:
    """A paragraph of a synthetic document: its text, language and kind."""

    text: str
    language: str
    kind: SegmentKind = SegmentKind.BODY
    post: PostInfo | None = None


@dataclass
class Report:
    """A synthetic document and the events a perfect extractor would find in it."""

    pieces: list[Piece]
    url: str
    title: str
    published: dt.date
    events: list[dict] = field(default_factory=list)  # Event kwargs + "evidence": [(field, words)]

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pieces)

    @property
    def language(self) -> str:
        return self.pieces[0].language

    def document(self) -> Document:
        return Document(text=self.text, url=self.url, origin=f"test:{self.url}", title=self.title)

    def segments(self) -> list[Segment]:
        out, start = [], 0
        for paragraph, piece in enumerate(self.pieces):
            out.append(Segment(start, start + len(piece.text), piece.kind, piece.language, paragraph, piece.post))
            start += len(piece.text) + 2
        return out

    def built_events(self) -> list[Event]:
        text, built = self.text, []
        for spec in self.events:
            spec = dict(spec)
            evidence = []
            for name, words in spec.pop("evidence"):
                start = text.index(words)
                evidence.append(Evidence(start, start + len(words), words, name))
            built.append(Event(evidence=evidence, language=spec.pop("language", self.language), **spec))
        return built

    def processed(self) -> Processed:
        document = self.document()
        result = DocumentResult(id=document.id, url=self.url, events=self.built_events(),
                                language=self.language, document_id=document.id)
        published = PublicationDate(self.published, DatePrecision.DAY, "header")
        return Processed(result, document, self.segments(), published)


def _drone(day: str, place: Location, injured: int, evidence: list[tuple[str, str]], language: str) -> dict:
    return dict(
        type="ASSAULT", mode="aerial", acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Air/drone strike", cameo="195", date=EventDate(day, None, "day"),
        location=place, actor1=Actor("unknown attackers", "unidentified armed group", "REB", None),
        actor2=Actor("guards", "government guards", "GOV", "IRQ"), injured=injured, weapon="drone",
        confidence=0.8, evidence=evidence, language=language,
    )


def drone_reports(day: str = "2021-11-07") -> list[Report]:
    """An Arabic report (with an English post embedded) and an English report of one attack."""
    published = dt.date.fromisoformat(day)
    arabic = Report(
        pieces=[
            Piece("قالت مصادر أمنية إن طائرة مسيرة محملة بالمتفجرات ضربت مبنى حكوميا في بغداد فجر يوم الأحد، "
                  "ما أدى إلى إصابة ستة من الحراس بجروح.", "ar"),
            Piece("ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن، فيما فرضت القوات الأمنية طوقا حول المكان.", "ar"),
            Piece("A drone hit a government building in Baghdad this morning. — Field Reporter (@field_reporter)",
                  "en", SegmentKind.POST, PostInfo("Field Reporter", "@field_reporter", day)),
            Piece("وأكد شهود أن دوي الانفجار سمع في أنحاء واسعة من العاصمة.", "ar"),
        ],
        url="https://ar.example.org/news/drone-baghdad",
        title="طائرة مسيرة تضرب مبنى حكوميا في بغداد",
        published=published,
        events=[_drone(day, GREEN_ZONE, 6, [
            ("trigger", "طائرة مسيرة محملة بالمتفجرات ضربت"),
            ("place", "بغداد"),
            ("date", "فجر يوم الأحد"),
            ("injured", "إصابة ستة من الحراس"),
        ], "ar")],
    )
    english = Report(
        pieces=[
            Piece("BAGHDAD - A drone loaded with explosives struck a government building in Baghdad early on "
                  "Sunday, wounding five guards, security officials said.", "en"),
            Piece("No group has said it carried out the attack.", "en"),
        ],
        url="https://en.example.org/world/baghdad-drone-attack",
        title="Drone strikes government building in Baghdad",
        published=published,
        events=[_drone(day, BAGHDAD, 5, [
            ("trigger", "A drone loaded with explosives struck"),
            ("place", "Baghdad early"),
            ("date", "Sunday"),
            ("injured", "wounding five guards"),
        ], "en")],
    )
    return [arabic, english]


def injection_report(day: str = "2021-11-10") -> Report:
    """A report whose text, title, place and actor carry HTML and script: it must stay inert."""
    place = Location(f"Mosul {IMG_PAYLOAD}", 99072, "Nineveh", "IRQ", 36.34, 43.13, "city")
    return Report(
        pieces=[Piece(f"Protesters gathered in Mosul {SCRIPT_PAYLOAD} on Wednesday to demand jobs "
                      f"{IMG_PAYLOAD} and clean water.", "en")],
        url="javascript:alert('url')",
        title=f"Protest in Mosul {SCRIPT_PAYLOAD}",
        published=dt.date.fromisoformat(day),
        events=[dict(
            type="PROTEST", mode="demonstrate", acled_event_type="Protests",
            acled_sub_event_type="Peaceful protest", date=EventDate(day, None, "day"), location=place,
            actor1=Actor("protesters", f"protesters {SCRIPT_PAYLOAD}", "CVL", "IRQ"),
            evidence=[("trigger", "Protesters gathered"), ("place", f"Mosul {SCRIPT_PAYLOAD}"),
                      ("actor1", IMG_PAYLOAD)],
        )],
    )


def filter_reports() -> list[Report]:
    """Reports in other countries, dates and languages, for the filter and paging tests."""
    return [
        Report(
            pieces=[Piece("اندلعت اشتباكات عنيفة بين فصيلين مسلحين في ريف حلب الشمالي يوم الثلاثاء وقتل ثلاثة مقاتلين.", "ar")],
            url="https://ar.example.org/syria/aleppo-clashes", title="اشتباكات في ريف حلب",
            published=dt.date(2030, 3, 5),
            events=[dict(type="FIGHT", mode="firearms", acled_event_type="Battles",
                         acled_sub_event_type="Armed clash", date=EventDate("2030-03-05", None, "day"),
                         location=ALEPPO, actor1=Actor("فصيل", "armed faction", "REB", "SYR"), fatalities=3,
                         evidence=[("trigger", "اشتباكات عنيفة"), ("place", "ريف حلب"),
                                   ("fatalities", "قتل ثلاثة مقاتلين")])],
        ),
        Report(
            pieces=[Piece("Thousands of people marched through central Beirut on Saturday against rising prices.", "en")],
            url="https://en.example.org/lebanon/beirut-march", title="Beirut march against prices",
            published=dt.date(2030, 4, 6),
            events=[dict(type="PROTEST", mode="demonstrate", acled_event_type="Protests",
                         acled_sub_event_type="Peaceful protest", date=EventDate("2030-04-06", None, "day"),
                         location=BEIRUT, actor1=Actor("people", "protesters", "CVL", "LBN"),
                         evidence=[("trigger", "marched"), ("place", "central Beirut")])],
        ),
        Report(
            pieces=[Piece("A roadside bomb killed two soldiers near Mosul on Monday, the army said.", "en")],
            url="https://en.example.org/iraq/mosul-bomb", title="Roadside bomb near Mosul",
            published=dt.date(2030, 4, 8),
            events=[dict(type="ASSAULT", mode="explosion", acled_event_type="Explosions/Remote violence",
                         acled_sub_event_type="Remote explosive/landmine/IED",
                         date=EventDate("2030-04-08", None, "day"), location=MOSUL,
                         actor2=Actor("soldiers", "Iraqi army", "MIL", "IRQ"), fatalities=2,
                         evidence=[("trigger", "A roadside bomb killed"), ("place", "near Mosul"),
                                   ("fatalities", "killed two soldiers")])],
        ),
    ]


def store(database: Database, reports: list[Report]) -> None:
    """Save the reports and fuse them into incidents, as the ingest job would."""
    from rasd.fuse.incremental import fuse_pending
    from rasd.store.repository import save_batch

    with database.transaction() as session:
        save_batch(session, [r.processed() for r in reports])
        fuse_pending(session)


# --- the dev set, stored by the real `rasd ingest` -------------------------------------------

def run_ingest(url: str, docs: Path) -> str:
    """`rasd ingest --db URL DOCS` in a subprocess; returns its summary line."""
    command = [sys.executable, "-c", "from rasd.cli import main; main()", "ingest", "--db", url, str(docs)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    if done.returncode not in (0, 1):  # 1: some documents failed (they are recorded)
        raise RuntimeError(f"rasd ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout.strip()


@lru_cache(maxsize=None)
def _dev_template(docs: Path) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="rasd-dev-"))
    atexit.register(shutil.rmtree, folder, True)
    run_ingest(f"sqlite:///{folder / 'dev.db'}", docs)
    return folder / "dev.db"


def dev_sqlite(shared_dir: Path, destination: Path) -> str:
    """A SQLite file holding the ingested dev set (ingested once per test process, then copied)."""
    shutil.copyfile(_dev_template(shared_dir / "eval" / "dev.docs.jsonl"), destination)
    return f"sqlite:///{destination}"


# --- a real `rasd serve` process --------------------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`rasd serve --db URL` on 127.0.0.1 and a free port, in a subprocess; stop() ends it."""

    def __init__(self, url: str, env: dict[str, str] | None = None) -> None:
        import os
        import time

        import httpx

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-c", "from rasd.cli import main; main()", "serve", "--db", url,
                   "--host", "127.0.0.1", "--port", str(self.port)]
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                        env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"rasd serve exited ({self.process.returncode}): {self.output()}")
            try:
                if httpx.get(f"{self.base}/stats", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"rasd serve did not start in 60 s: {self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-4000:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def postgres_database(base_url: str, name: str) -> str:
    """An empty PostgreSQL database of our own beside $RASD_TEST_PG's (created once), so the
    module-long data of these tests is not reset by other tests using the shared database."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tests.conftest import _reset_postgres

    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    _reset_postgres(url)
    return url
