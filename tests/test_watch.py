"""`rasd watch` against a local web site: new items, conditional polling, alerts once (and
again when figures change), silence for other incidents, broken feeds survived.

The feeds and articles are written here; the real pipeline extracts and fuses them.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from rasd.cli import main
from rasd.ingest.fetch import FetchConfig
from rasd.store.database import open_database
from rasd.store.schema import DocumentRow, FailureRow, SeenItem
from rasd.watch import Notifier, RulesError, Watcher, parse_every, parse_rules
from tests.local_web import LocalSite, Reply
from tests.pages import KARRADA_EN

KARRADA_AR = """<html lang="ar"><head><title>انفجار في الكرادة</title>
<meta property="article:published_time" content="2022-03-05T11:00:00+03:00"></head><body>
<nav><a href="/">الرئيسية</a></nav><article><h1>انفجار سيارة مفخخة في الكرادة</h1>
<p>قُتل ثلاثة أشخاص وأصيب سبعة آخرون في انفجار سيارة مفخخة في حي الكرادة وسط بغداد، صباح السبت، بحسب
مصدر في الشرطة العراقية.</p>
<p>وقال المصدر إن قوات الأمن فرضت طوقًا حول مكان الانفجار.</p></article></body></html>"""


AMMAN_EN = """<html lang="en"><head><title>Protest in Amman</title>
<meta property="article:published_time" content="2023-08-16T18:00:00+03:00"></head><body>
<article><h1>Protest in Amman over fuel prices</h1>
<p>Hundreds of people protested in central Amman, the capital of Jordan, on Wednesday against rising
fuel prices.</p>
<p>Police watched but did not intervene.</p></article></body></html>"""

RULES = """
[[rules]]
name = "deaths in Iraq"
countries = ["IRQ"]
min_fatalities = 1
actions = [{{ type = "stdout" }}, {{ type = "webhook", url = "{hook}" }}, {{ type = "log" }}]
"""


def feed(base: str, *items: tuple[str, str, str]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><guid>{path}</guid>"
        f"<pubDate>{date}</pubDate></item>"
        for title, path, date in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example news</title>{entries}</channel></rss>'


AMMAN = ("Protest in Amman", "/en/amman.html", "Wed, 16 Aug 2023 18:00:00 +0300")
KARRADA1 = ("انفجار في الكرادة", "/ar/karrada.html", "Sat, 05 Mar 2022 11:00:00 +0300")
KARRADA2 = ("Car bomb in Baghdad", "/en/karrada.html", "Sat, 05 Mar 2022 14:00:00 +0300")


@pytest.fixture
def site():
    with LocalSite() as running:
        running.page("/ar/karrada.html", KARRADA_AR)
        running.page("/en/karrada.html", KARRADA_EN)
        running.page("/en/amman.html", AMMAN_EN)
        running.route("/hook", Reply("", status=204, content_type=None))
        yield running


def set_feed(site: LocalSite, *items) -> None:
    site.route("/rss.xml", Reply(feed(site.base, *items), content_type="application/rss+xml", conditional=True))


def watch_once(db: str, site: LocalSite, rules: Path) -> SimpleNamespace:
    result = CliRunner().invoke(
        main,
        ["watch", site.url("/rss.xml"), "--once", "--db", db, "--rules", str(rules), "--delay", "0", "--timeout", "1", "--retries", "0"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    alerts = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return SimpleNamespace(alerts=alerts, stderr=result.stderr)


def test_watch_ingests_new_items_alerts_once_and_survives_a_broken_feed(tmp_path: Path, site: LocalSite, database_url: str) -> None:
    db = database_url  # SQLite, and PostgreSQL when $RASD_TEST_PG is set
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES.format(hook=site.url("/hook")), encoding="utf-8")

    # 1. a protest in Jordan: ingested, no alert
    set_feed(site, AMMAN)
    run = watch_once(db, site, rules)
    assert run.alerts == [] and site.posts == []
    assert "1 new items, 1 new documents" in run.stderr

    # 2. a deadly bombing in Baghdad appears: one alert on each destination
    set_feed(site, AMMAN, KARRADA1)
    run = watch_once(db, site, rules)
    assert "1 new items, 1 new documents" in run.stderr
    assert len(run.alerts) == 1 and len(site.posts) == 1
    alert = run.alerts[0]
    assert alert == json.loads(site.posts[0][1])
    assert alert["rule"] == "deaths in Iraq" and alert["kind"] == "new"
    assert alert["incident"]["country"] == "IRQ" and alert["incident"]["fatalities"] == 3
    assert alert["sources"] == [site.url("/ar/karrada.html")]
    assert len(site.hits("/en/amman.html")) == 1  # old items are not fetched again
    assert site.hits("/rss.xml")[-1].headers.get("If-None-Match")  # a conditional request

    # 3. nothing changed: the feed answers 304, nothing is read, nothing alerted
    run = watch_once(db, site, rules)
    assert run.alerts == [] and len(site.posts) == 1
    assert "1 feeds (1 unchanged, 0 failed)" in run.stderr

    # 4. the feed breaks (500, then not a feed): recorded, the watcher goes on
    site.route("/rss.xml", Reply("internal error", status=500, content_type="text/plain"))
    run = watch_once(db, site, rules)
    assert "1 feeds (0 unchanged, 1 failed)" in run.stderr and run.alerts == []
    site.route("/rss.xml", Reply("<html><body>maintenance</body></html>"))
    watch_once(db, site, rules)
    database = open_database(db)
    with database.transaction() as session:
        failure = session.scalar(select(FailureRow).where(FailureRow.origin == site.url("/rss.xml")))
        assert failure is not None and "not an RSS or Atom feed" in failure.reason

    # 5. it comes back with a second report of the same bombing, with higher figures:
    #    the incident's figures change, so it alerts once more ("updated"); the failure is cleared
    set_feed(site, AMMAN, KARRADA1, KARRADA2)
    run = watch_once(db, site, rules)
    assert [a["kind"] for a in run.alerts] == ["updated"] and len(site.posts) == 2
    incident = run.alerts[0]["incident"]
    assert (incident["fatalities"], incident["fatalities_max"], incident["n_documents"]) == (3, 5, 2)
    with database.transaction() as session:
        assert session.scalar(select(FailureRow).where(FailureRow.origin == site.url("/rss.xml"))) is None
        assert session.query(DocumentRow).count() == 3

    # 6. and again nothing new: quiet
    set_feed(site, AMMAN, KARRADA1, KARRADA2)
    assert watch_once(db, site, rules).alerts == []
    database.close()


def test_the_loop_picks_up_a_new_item_within_one_period(tmp_path: Path, site: LocalSite) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'loop.db'}")
    rules = parse_rules({"rules": [{"name": "iraq", "countries": ["IRQ"], "min_fatalities": 1, "actions": [{"type": "webhook", "url": site.url("/hook")}]}]})
    set_feed(site, AMMAN)
    fast = FetchConfig(connect_timeout=1.0, read_timeout=1.0, retries=0, host_delay=0.0)
    watcher = Watcher(database, [site.url("/rss.xml")], rules, fetch=fast, notifier=Notifier(stdout=open("/dev/null", "w")))
    watcher.poll_once()  # warm: the pipeline's resources load in the first cycle
    period = 1.0
    reports = []
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(period,), kwargs={"stop": stop, "on_cycle": reports.append})
    thread.start()
    try:
        time.sleep(0.3)
        set_feed(site, AMMAN, KARRADA1)
        added = time.monotonic()
        while not site.posts and time.monotonic() - added < 10 * period:
            time.sleep(0.05)
        waited = time.monotonic() - added
    finally:
        stop.set()
        thread.join(timeout=30)
    watcher.close()
    assert not thread.is_alive()
    assert len(site.posts) == 1, reports
    last_cycle = max(r.alerts.sent for r in reports)
    assert last_cycle == 1
    assert waited < period + 3.0  # one period, plus the time the cycle itself takes
    database.close()


def test_an_item_whose_page_fails_is_retried_then_given_up(tmp_path: Path, site: LocalSite) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'retry.db'}")
    set_feed(site, ("Gone", "/gone.html", "Sat, 05 Mar 2022 11:00:00 +0300"))
    fast = FetchConfig(connect_timeout=1.0, read_timeout=1.0, retries=0, host_delay=0.0)
    watcher = Watcher(database, [site.url("/rss.xml")], fetch=fast)
    failures = [watcher.poll_once().item_failures for _ in range(4)]
    watcher.close()
    assert failures == [1, 1, 1, 0]  # three attempts (the feed is fetched whole meanwhile), then given up
    assert len(site.hits("/gone.html")) == 3
    with database.transaction() as session:
        assert session.query(SeenItem).filter(SeenItem.key.like("item:%")).count() == 1
    database.close()


def test_a_feed_that_never_answers_is_a_recorded_failure(tmp_path: Path) -> None:
    from tests.local_web import SilentServer

    database = open_database(f"sqlite:///{tmp_path / 'hung.db'}")
    with SilentServer() as silent:
        url = silent.url("/feed")
        fast = FetchConfig(connect_timeout=0.5, read_timeout=0.3, retries=0, host_delay=0.0, robots=False)
        watcher = Watcher(database, [url], fetch=fast)
        started = time.monotonic()
        report = watcher.poll_once()
        watcher.close()
    assert time.monotonic() - started < 5
    assert len(report.feed_failures) == 1 and "timed out" in report.feed_failures[0]
    with database.transaction() as session:
        assert "timed out" in session.scalar(select(FailureRow.reason).where(FailureRow.origin == url))
    database.close()


def test_a_webhook_that_is_down_is_tried_again_without_repeating_the_others(tmp_path: Path, site: LocalSite) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'hook.db'}")
    site.route("/hook", Reply("down", status=503, content_type="text/plain"))
    rules = parse_rules({"rules": [{"name": "iraq", "countries": ["IRQ"], "min_fatalities": 1, "actions": [{"type": "stdout"}, {"type": "webhook", "url": site.url("/hook"), "timeout": 1}]}]})
    set_feed(site, KARRADA1)
    lines = _Lines()
    fast = FetchConfig(connect_timeout=1.0, read_timeout=1.0, retries=0, host_delay=0.0)
    watcher = Watcher(database, [site.url("/rss.xml")], rules, fetch=fast, notifier=Notifier(stdout=lines))
    first = watcher.poll_once()
    assert (first.alerts.sent, first.alerts.failed, len(lines.lines)) == (1, 1, 1)
    site.route("/hook", Reply("", status=204, content_type=None))
    second = watcher.poll_once()
    watcher.close()
    assert (second.alerts.sent, second.alerts.failed, len(lines.lines)) == (1, 0, 1)
    assert len(site.posts) == 1
    database.close()


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.extend(line for line in text.splitlines() if line)

    def flush(self) -> None:
        pass


# --- rules -----------------------------------------------------------------------------------


def incident(**fields) -> SimpleNamespace:
    base = dict(type="ASSAULT", acled_event_type="Explosions/Remote violence", country="IRQ", admin1="Baghdad",
                lat=33.30, lon=44.42, fatalities=3, languages=["ar"])
    return SimpleNamespace(**{**base, **fields})


def test_rule_conditions() -> None:
    rules = {r.name: r for r in parse_rules({"rules": [
        {"name": "all"},
        {"name": "iraq", "country": "irq"},
        {"name": "baghdad", "admin1": ["baghdad", "Basra"]},
        {"name": "near", "near": [33.31, 44.36], "km": 20},
        {"name": "far", "near": "36.34,43.13", "km": 20},
        {"name": "types", "types": ["fight", "Explosions/Remote violence"]},
        {"name": "deadly", "min_fatalities": 4},
        {"name": "english", "languages": ["en"]},
    ]})}
    event = incident()
    assert {name for name, rule in rules.items() if rule.matches(event)} == {"all", "iraq", "baghdad", "near", "types"}
    assert rules["deadly"].matches(incident(fatalities=4)) and not rules["deadly"].matches(incident(fatalities=None))
    assert rules["english"].matches(incident(languages=["ar", "en"]))
    assert not rules["near"].matches(incident(lat=None, lon=None))
    assert not rules["iraq"].matches(incident(country="SYR"))


@pytest.mark.parametrize(
    "rules, message",
    [
        ({"rule": []}, "expected a list of rules"),
        ({"rules": [{"countries": ["IRQ"]}]}, "needs a 'name'"),
        ({"rules": [{"name": "x", "contry": "IRQ"}]}, "unknown key(s) contry"),
        ({"rules": [{"name": "x", "countries": ["Iraq"]}]}, "alpha-3"),
        ({"rules": [{"name": "x", "km": 5}]}, "'km' needs 'near'"),
        ({"rules": [{"name": "x", "near": [100, 0]}]}, "is not a latitude,longitude"),
        ({"rules": [{"name": "x", "min_fatalities": -1}]}, "min_fatalities"),
        ({"rules": [{"name": "x", "actions": [{"type": "email"}]}]}, "one of stdout, log, webhook"),
        ({"rules": [{"name": "x", "actions": [{"type": "webhook", "url": "ftp://x"}]}]}, "http(s) 'url'"),
        ({"rules": [{"name": "x"}, {"name": "x"}]}, "must be unique"),
    ],
)
def test_bad_rules_are_refused_with_the_reason(rules, message: str) -> None:
    with pytest.raises(RulesError) as caught:
        parse_rules(rules)
    assert message in str(caught.value)


def test_a_rules_file_that_is_not_toml_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[[rules]\nname = ")
    result = CliRunner().invoke(main, ["watch", "http://127.0.0.1:9/feed", "--once", "--rules", str(path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "not valid TOML" in result.output


def test_periods() -> None:
    assert [parse_every(p) for p in ("30s", "10m", "1h30m", "2h", "0.5s", "45")] == [30, 600, 5400, 7200, 0.5, 45]
    for bad in ("soon", "0", "-5m", "10x"):
        with pytest.raises(ValueError):
            parse_every(bad)


def test_feeds_from_a_file_and_bad_feed_lists(tmp_path: Path, site: LocalSite) -> None:
    set_feed(site, AMMAN)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# Jordan\n{site.url('/rss.xml')}\n\n", encoding="utf-8")
    db = str(tmp_path / "feeds.db")
    result = CliRunner().invoke(main, ["watch", "--feeds", str(feeds), "--once", "--db", db, "--delay", "0"])
    assert result.exit_code == 0, result.output
    assert "1 feeds (0 unchanged, 0 failed), 1 new items, 1 new documents" in result.stderr
    feeds.write_text("news.example/rss\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["watch", "--feeds", str(feeds), "--once", "--db", db])
    assert result.exit_code == 1 and "line 1: not an http(s) URL" in result.output
    result = CliRunner().invoke(main, ["watch", "--once", "--db", db])
    assert result.exit_code == 2 and "at least one FEED_URL" in result.output
