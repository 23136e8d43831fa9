"""The `rasd` command. Each verb lives in its own module and imports its stage lazily,
so that `rasd --help` and short jobs start fast."""

from __future__ import annotations

import importlib
import logging

import click

# verb -> "module" under rasd.cli that defines `command`, or "module:attribute"
_VERBS: dict[str, str] = {
    "segment": "segment",
    "annotate": "annotate",
    "extract": "extract",
    "ingest": "ingest",
    "status": "status",
    "fuse": "fuse",
    "events": "query:events_command",
    "incidents": "query:incidents_command",
    "export": "export",
    "serve": "serve",
    "spark": "spark",
    "watch": "watch",
    "doc": "doc",
    "eval": "eval",
    "gazetteer": "gazetteer",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_VERBS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = _VERBS.get(name)
        if module is None:
            return None
        module, _, attribute = module.partition(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attribute or "command")


@click.group(cls=_LazyGroup)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="rasd")
def main(verbose: int) -> None:
    """rasd: political and conflict events from Arabic and English news."""
    from rasd.runtime import use_batch_collection

    use_batch_collection()  # this process runs batches (see rasd.runtime)
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
