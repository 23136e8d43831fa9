"""`rasd spark`: the pipeline and fusion on Spark (local[N] here, or a cluster)."""

from __future__ import annotations

import click


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--output", required=True, type=click.Path(file_okay=False), help="Folder for the Parquet tables.")
@click.option("--master", default="local[2]", show_default=True, help="Spark master URL.")
@click.option("--partitions", type=click.IntRange(min=1), help="Work partitions (default: one per work unit of 200 lines or WARC records).")
def command(inputs: tuple[str, ...], output: str, master: str, partitions: int | None) -> None:
    """Extract events from JSON Lines, text folders and WARC files with PySpark.

    Writes OUTPUT/events (partitioned by year, month, country), OUTPUT/incidents,
    OUTPUT/documents and OUTPUT/failures as Parquet.
    """
    try:
        from rasd.scale.spark import run
    except ImportError as error:  # pragma: no cover - depends on the install
        raise click.ClickException("PySpark is not installed: pip install 'rasd[spark]'") from error
    report = run(list(inputs), output, master=master, partitions=partitions)
    click.echo(f"{report.documents} documents, {report.events} events, {report.failures} failures, "
               f"{report.incidents} incidents -> {output}")
