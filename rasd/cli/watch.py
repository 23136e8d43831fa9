"""`rasd watch`: poll feeds, ingest what is new, alert on matching incidents."""

from __future__ import annotations

import signal
import sys
import threading

import click

from rasd.cli.common import SizeType
from rasd.cli.storeopts import db_option, open_db


def _every(ctx: click.Context, param: click.Parameter, value: str) -> float:
    from rasd.watch.watcher import parse_every

    try:
        return parse_every(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


def _feed_list(path: str) -> list[str]:
    from rasd.ingest.url import urls_in

    try:
        with open(path, encoding="utf-8-sig") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path}: cannot read the feed list: {error}") from error
    feeds = []
    for entry in urls_in(lines, path):
        if isinstance(entry, tuple):
            feeds.append(entry[0])
        else:
            raise click.ClickException(f"{entry.origin}: {entry.reason}")
    return feeds


@click.command()
@click.argument("feeds", nargs=-1, metavar="FEED_URL...")
@click.option("--feeds", "feeds_file", type=click.Path(dir_okay=False), help="A file of feed URLs, one per line (# comments).")
@click.option("--every", default="10m", show_default=True, callback=_every, help="Polling period: 30s, 10m, 1h…")
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False), help="Alert rules (TOML or JSON).")
@db_option
@click.option("--once", is_flag=True, help="One cycle, then exit.")
@click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True, help="Seconds between requests to one host.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True, help="Seconds to wait for a server.")
@click.option("--retries", type=click.IntRange(min=0), default=2, show_default=True)
@click.option("--max-bytes", type=SizeType(), default="20M", show_default=True, help="Largest feed or page read.")
@click.option("--follow-links/--no-follow-links", default=True, show_default=True, help="Fetch each item's page (else use the feed's own text).")
@click.option("--ignore-robots", is_flag=True, help="Do not obey robots.txt (only for your own sites).")
def command(
    feeds: tuple[str, ...],
    feeds_file: str | None,
    every: float,
    rules_file: str | None,
    db_url: str | None,
    once: bool,
    delay: float,
    timeout: float,
    retries: int,
    max_bytes: int,
    follow_links: bool,
    ignore_robots: bool,
) -> None:
    """Poll feeds every period; ingest new items; send alerts for matching incidents.

    Conditional requests (ETag / Last-Modified) keep polling cheap; what was seen, the feed
    validators and the alerts sent are kept in the database, so a restart repeats nothing.
    A feed that is down or broken is logged, listed by `rasd status`, and tried again.
    Alerts ("stdout" actions) are printed as JSON lines; the cycle summaries go to stderr.
    """
    from rasd.ingest.base import ReadLimits
    from rasd.ingest.fetch import FetchConfig
    from rasd.watch import RulesError, Watcher, load_rules
    from rasd.watch.alerts import Notifier

    urls = list(feeds) + (_feed_list(feeds_file) if feeds_file else [])
    bad = [u for u in urls if not u.lower().startswith(("http://", "https://"))]
    if bad:
        raise click.UsageError(f"not an http(s) feed URL: {bad[0]}")
    if not urls:
        raise click.UsageError("give at least one FEED_URL or --feeds FILE")
    try:
        rules = load_rules(rules_file) if rules_file else []
    except RulesError as error:
        raise click.ClickException(str(error)) from error
    database = open_db(db_url)
    fetch = FetchConfig(
        connect_timeout=min(timeout, 10.0),
        read_timeout=timeout,
        retries=retries,
        host_delay=delay,
        robots=not ignore_robots,
        follow_links=follow_links,
    )
    watcher = Watcher(
        database,
        urls,
        rules,
        fetch=fetch,
        limits=ReadLimits(max_bytes=max_bytes, fetch=fetch),
        notifier=Notifier(stdout=sys.stdout),
    )
    stop = threading.Event()

    def _stop(signum: int, frame: object) -> None:
        click.echo("rasd watch: stopping after this step", err=True)
        stop.set()

    previous = {s: signal.signal(s, _stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        watcher.run(
            every,
            cycles=1 if once else None,
            stop=stop,
            on_cycle=lambda report: click.echo(f"rasd watch: {report.summary()}", err=True),
        )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        watcher.close()
        database.close()
