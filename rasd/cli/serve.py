"""`rasd serve`: the HTTP API and the web page over a database."""

from __future__ import annotations

import os

import click

from rasd.cli.storeopts import db_option, open_db


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def command(db_url: str | None, host: str, port: int) -> None:
    """Serve /events, /incidents, /documents, /stats (OpenAPI at /docs) and the page at /.

    Read-only unless RASD_TOKEN is set, which enables POST /documents with that bearer token.
    """
    import uvicorn

    from rasd.serve.app import build_app

    token = os.environ.get("RASD_TOKEN") or None
    database = open_db(db_url, write=bool(token))
    click.echo(f"rasd: serving on http://{host}:{port}/ (writing {'on' if token else 'off'})", err=True)
    uvicorn.run(build_app(database, token=token), host=host, port=port, log_level="warning")
