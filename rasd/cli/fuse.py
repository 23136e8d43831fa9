"""`rasd fuse`: fuse stored events into incidents (pending ones, or all with --rebuild)."""

from __future__ import annotations

import click

from rasd.cli.storeopts import db_option, open_db


@click.command()
@db_option
@click.option("--rebuild", is_flag=True, help="Forget all incidents and fuse every event again.")
def command(db_url: str | None, rebuild: bool) -> None:
    """Group reports of the same incident across documents and languages."""
    from rasd.fuse.incremental import fuse_pending
    from rasd.fuse.incremental import rebuild as rebuild_all

    database = open_db(db_url)
    with database.transaction() as session:
        counts = rebuild_all(session) if rebuild else fuse_pending(session)
    click.echo(f"fused {counts.events} events; {counts.incidents_changed} incidents written")
