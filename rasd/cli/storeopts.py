"""Options shared by the verbs that use the database: `--db` and the event filters."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def db_option(command: F) -> F:
    return click.option(
        "--db",
        "db_url",
        envvar="RASD_DB",
        show_envvar=True,
        default=None,
        help="Database URL or SQLite path (default ./rasd.db); postgresql+psycopg://… for PostgreSQL.",
    )(command)


def open_db(db_url: str | None, *, write: bool = True):  # type: ignore[no-untyped-def]
    """Open the database or exit with its explained error (status 1)."""
    from rasd.store.database import StoreError, open_database

    try:
        return open_database(db_url, write=write, create=write)
    except StoreError as error:
        raise click.ClickException(str(error)) from error


def filter_options(command: F) -> F:
    """--country --type --acled-type --since --until --text --near --km --min-fatalities
    --language --background; the function receives one `flt: rasd.store.query.Filter`."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from rasd.store.query import Filter, FilterError, Near, parse_date

        try:
            near = kwargs.pop("near")
            km = kwargs.pop("km")
            flt = Filter(
                countries=tuple(c.upper() for c in kwargs.pop("country")),
                types=tuple(t.upper() for t in kwargs.pop("type_")),
                acled_event_types=tuple(kwargs.pop("acled_type")),
                since=parse_date(kwargs.pop("since"), "--since"),
                until=parse_date(kwargs.pop("until"), "--until", end=True),
                text=kwargs.pop("text"),
                near=Near.parse(near, km) if near else None,
                min_fatalities=kwargs.pop("min_fatalities"),
                languages=tuple(kwargs.pop("language")),
                include_background=kwargs.pop("background"),
            )
        except FilterError as error:
            raise click.UsageError(str(error)) from error
        return command(*args, flt=flt, **kwargs)

    options = [
        click.option("--country", multiple=True, help="ISO 3166-1 alpha-3 code (repeatable)."),
        click.option("--type", "type_", multiple=True, help="PLOVER type, e.g. ASSAULT (repeatable)."),
        click.option("--acled-type", multiple=True, help='ACLED event type, e.g. "Battles".'),
        click.option("--since", help="YYYY, YYYY-MM or YYYY-MM-DD."),
        click.option("--until", help="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)."),
        click.option("--text", help="Words in the evidence (Arabic or English)."),
        click.option("--near", metavar="LAT,LON", help="Centre of a circle; with --km."),
        click.option("--km", type=float, default=50.0, show_default=True, help="Radius for --near."),
        click.option("--min-fatalities", type=click.IntRange(min=0)),
        click.option("--language", multiple=True, help="Language of the report (ar, en, …)."),
        click.option("--background/--no-background", default=False, help="Include events cited as history."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]
