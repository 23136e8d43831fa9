"""rasd (رصد): political and conflict events from Arabic and English news reports.

    >>> import rasd
    >>> events = rasd.extract(text, url=None, published="2021-11-07")

Heavy parts load on first use, so importing rasd is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from rasd.event import Event
    from rasd.pipeline import Pipeline

__all__ = ["extract", "Pipeline", "__version__"]


def extract(text: str, url: str | None = None, published: str | None = None) -> "list[Event]":
    """Events reported in one text (see `rasd.pipeline.Pipeline.extract_text`)."""
    from rasd.pipeline import default_pipeline

    return default_pipeline().extract_text(text, url=url, published=published).events


def __getattr__(name: str) -> Any:
    if name == "Pipeline":
        from rasd.pipeline import Pipeline

        return Pipeline
    raise AttributeError(name)
