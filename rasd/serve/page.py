"""The web page at `/` (map, timeline, filters, evidence). Placeholder until the page lands."""

from __future__ import annotations

from fastapi import FastAPI


def built_page_dir() -> str | None:
    return None


def mount_page(app: FastAPI, page_dir: str) -> None:
    raise NotImplementedError
