"""The served application: the API plus, when it has been built, the web page."""

from __future__ import annotations

from fastapi import FastAPI

from rasd.serve.api import create_app
from rasd.store.database import Database


def build_app(database: Database, *, token: str | None = None) -> FastAPI:
    from rasd.serve.page import built_page_dir

    return create_app(database, token=token, page_dir=built_page_dir())
