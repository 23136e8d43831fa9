"""Opening the event database: SQLite by default, PostgreSQL by URL, one schema.

`open_database()` resolves the URL (argument, else $RASD_DB, else ./rasd.db), connects,
brings the schema up to date with Alembic, and turns the usual operational problems
(locked file, read-only file, server down, schema newer than this rasd) into a
`StoreError` with a message a user can act on.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

DEFAULT_URL = "sqlite:///rasd.db"
SQLITE_BUSY_SECONDS = 30


class StoreError(RuntimeError):
    """A database problem explained for the user (locked, read-only, down, too new)."""


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else $RASD_DB, else ./rasd.db. A bare path means SQLite."""
    chosen = url or os.environ.get("RASD_DB") or DEFAULT_URL
    if "://" not in chosen:
        chosen = f"sqlite:///{chosen}"
    return chosen


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def _make_engine(url: str, write: bool) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        if write:
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last
            # batches, which a re-run stores again. FULL would fsync every batch.
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        # Writers take the write lock up front, so two concurrent ingests queue instead of
        # failing when a read transaction tries to become a write transaction.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _explain(error: Exception, url: str) -> StoreError:
    text = str(getattr(error, "orig", error))
    where = describe(url)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return StoreError(f"{where}: the database is locked by another process (waited {SQLITE_BUSY_SECONDS} s)")
    if "readonly" in lowered or "read-only" in lowered:
        return StoreError(f"{where}: the database file is read-only; use a writable copy or another --db")
    if "unable to open" in lowered:
        return StoreError(f"{where}: cannot open the database file (missing folder or no permission)")
    if "connection" in lowered or "connect" in lowered:
        return StoreError(f"{where}: cannot connect to the database server: {text.strip()}")
    return StoreError(f"{where}: {text.strip()}")


@dataclass
class Database:
    """An open database: an engine plus a session factory. Use `transaction()` to write."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back on any error."""
        session = self.sessions()
        try:
            with session.begin():
                yield session
        except OperationalError as error:
            raise _explain(error, self.url) from error
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def _alembic_config(connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("rasd.store") / "migrations"))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest version; refuse a database newer than this rasd."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with engine.begin() as connection:
        config = _alembic_config(connection)
        script = ScriptDirectory.from_config(config)
        head = script.get_current_head()
        current = MigrationContext.configure(connection).get_current_revision()
        if current == head:
            return
        if current is not None and current not in {r.revision for r in script.walk_revisions()}:
            raise StoreError(
                f"the database schema ({current}) is newer than this rasd knows (up to {head}): "
                "upgrade rasd"
            )
        if current is None and inspect(connection).has_table("documents"):
            raise StoreError("the database has rasd tables but no schema version: not a rasd database?")
        log.info("migrating database schema %s -> %s", current or "empty", head)
        command.upgrade(config, "head")


def open_database(url: str | None = None, *, write: bool = True, create: bool = True) -> Database:
    """Connect and migrate. `write=False` opens for reading only (serving, queries)."""
    resolved = database_url(url)
    parsed = make_url(resolved)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not path.exists() and not create:
            raise StoreError(f"{path}: no such database (run `rasd ingest` first)")
        if not path.parent.exists():
            raise StoreError(f"{path}: folder {path.parent} does not exist")
    try:
        engine = _make_engine(resolved, write)
        if write or create:
            migrate(engine)
        else:
            with engine.connect():
                pass
    except StoreError:
        raise
    except SQLAlchemyError as error:
        raise _explain(error, resolved) from error
    return Database(resolved, engine, sessionmaker(engine, expire_on_commit=False))
