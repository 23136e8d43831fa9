"""`rasd gazetteer build|lookup`: build the place index once; look a name up in it.

The index is built into $RASD_CACHE (default ~/.cache/rasd) from the pinned packages'
GeoNames data and the curated supplement; it is also built on first use.
"""

from __future__ import annotations

import click


@click.group("gazetteer")
def command() -> None:
    """The offline gazetteer (GeoNames data + curated supplement)."""


@command.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when the index exists.")
def build_command(force: bool) -> None:
    """Build the index (about 20-40 s, once)."""
    from rasd.annotate.places import build

    path = build.index_path()
    if path.exists() and not force:
        click.echo(f"index exists: {path}")
        return
    stats = build.build(path)
    click.echo(f"{stats.places} places, {stats.keys} name keys in {stats.seconds:.1f} s -> {stats.path}")


@command.command("lookup")
@click.argument("name")
@click.option("--country", help="ISO 3166-1 alpha-3 code to restrict to.")
def lookup_command(name: str, country: str | None) -> None:
    """Every entry NAME may refer to, most likely first."""
    from rasd.annotate.places import gazetteer

    for c in gazetteer().lookup(name, country):
        click.echo(
            f"{c.geonameid}\t{c.name}\t{c.precision}\t{c.country or '-'}\t{c.admin1 or '-'}"
            f"\t{c.lat},{c.lon}\tpop {c.population}"
        )
