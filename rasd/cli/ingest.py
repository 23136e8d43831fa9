"""`rasd ingest`: read, extract, store and fuse; safe to interrupt and re-run."""

from __future__ import annotations

import sys

import click

from rasd.cli.common import Inputs, input_options
from rasd.cli.storeopts import db_option, open_db


@click.command()
@input_options
@db_option
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--no-fuse", is_flag=True, help="Store only; fuse later with `rasd fuse`.")
def command(inputs: Inputs, db_url: str | None, workers: int, batch_size: int, no_fuse: bool) -> None:
    """Extract events from FILE|DIR|- and store them (documents already stored are skipped)."""
    from rasd.batch import ingest, progress_printer
    from rasd.store.database import StoreError, describe

    database = open_db(db_url)
    update, close = progress_printer()
    try:
        report = ingest(
            database,
            inputs.read(),
            workers=workers,
            batch_size=batch_size,
            fuse=not no_fuse,
            command="ingest " + " ".join(inputs.sources),
            on_progress=update,
        )
    except StoreError as error:
        raise click.ClickException(str(error)) from error
    finally:
        close()
        database.close()
    click.echo(
        f"{describe(database.url)}: {report.documents} new documents, {report.skipped} already stored, "
        f"{report.events} events, {report.failures} failed"
    )
    if report.failures:
        click.echo("rasd: some documents failed; `rasd status` lists them", err=True)
        sys.exit(1)
