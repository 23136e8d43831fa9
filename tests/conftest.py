"""Shared test fixtures. `shared/` (spec, examples, eval data) sits beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} not present (it sits beside the repository in CI)")
    return SHARED


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind: a SQLite file, and PostgreSQL ($RASD_TEST_PG)."""
    import os

    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rasd.db'}"
    url = os.environ.get("RASD_TEST_PG")
    if not url:
        pytest.skip("RASD_TEST_PG is not set (scripts/test starts PostgreSQL and sets it)")
    _reset_postgres(url)
    return url
