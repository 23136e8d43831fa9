"""`rasd status`: what the database holds — counts by language, country, type; failures."""

from __future__ import annotations

import click

from rasd.cli.common import json_line
from rasd.cli.storeopts import db_option, open_db


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
@click.option("--failures", "show_failures", type=int, default=20, show_default=True, help="How many failures to list.")
def command(db_url: str | None, fmt: str, show_failures: int) -> None:
    """Counts of documents, events, incidents and failures."""
    from sqlalchemy import func, select

    from rasd.store.database import describe
    from rasd.store.schema import DocumentRow, EventRow, FailureRow, IncidentRow

    database = open_db(db_url, write=False)
    with database.transaction() as session:
        def count(model) -> int:  # type: ignore[no-untyped-def]
            return session.scalar(select(func.count()).select_from(model)) or 0

        def by(column) -> dict[str, int]:  # type: ignore[no-untyped-def]
            rows = session.execute(select(column, func.count()).group_by(column).order_by(func.count().desc()))
            return {str(key): n for key, n in rows}

        status = {
            "database": describe(database.url),
            "documents": count(DocumentRow),
            "events": count(EventRow),
            "incidents": count(IncidentRow),
            "failures": count(FailureRow),
            "documents_by_language": by(DocumentRow.language),
            "events_by_country": by(EventRow.country),
            "events_by_type": by(EventRow.type),
            "recent_failures": [
                {"origin": f.origin, "stage": f.stage, "reason": f.reason}
                for f in session.scalars(
                    select(FailureRow).order_by(FailureRow.created_at.desc()).limit(show_failures)
                )
            ],
        }
    if fmt == "jsonl":
        click.echo(json_line(status))
        return
    click.echo(f"database   {status['database']}")
    for key in ("documents", "events", "incidents", "failures"):
        click.echo(f"{key:<10} {status[key]}")
    for title, key in (("languages", "documents_by_language"), ("countries", "events_by_country"),
                       ("types", "events_by_type")):
        parts = ", ".join(f"{k} {v}" for k, v in list(status[key].items())[:15])
        click.echo(f"{title:<10} {parts or '-'}")
    for failure in status["recent_failures"]:
        click.echo(f"failed     {failure['origin']}: {failure['stage']}: {failure['reason']}")
