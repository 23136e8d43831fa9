"""`rasd eval DOCS GOLD` / `rasd eval GOLD --predictions PRED`: score events against gold."""

from __future__ import annotations

import json
import sys

import click


@click.command("eval")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--predictions",
    "-p",
    type=click.Path(dir_okay=False),
    help="Score this `rasd extract --format jsonl` output instead of running the pipeline on DOCS.",
)
@click.option("--errors", is_flag=True, help="List each false positive, false negative and failing pair.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True, help="Pipeline processes.")
@click.option(
    "--incidents",
    type=click.Path(dir_okay=False),
    help='Fusion result to score: JSON Lines {"id", "event", "incident"} (document id, index of '
    "the event in that document's predictions, incident id).",
)
@click.option(
    "--save-predictions",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write the pipeline's predictions (JSON Lines) to this file, to rescore with -p.",
)
def command(
    paths: tuple[str, ...],
    predictions: str | None,
    errors: bool,
    fmt: str,
    workers: int,
    incidents: str | None,
    save_predictions: str | None,
) -> None:
    """Score rasd's events against gold annotations (spec/gold-format.md).

    \b
    rasd eval DOCS GOLD                     run the pipeline on DOCS, score against GOLD
    rasd eval GOLD --predictions PRED       score saved predictions against GOLD

    The headline figure is core full F1. Exit status 0 when scored, 1 when an input is bad.
    """
    from rasd.evaluate import (
        EvalInputError,
        evaluate,
        incidents_from_predictions,
        load_gold,
        load_incidents,
        load_predictions,
        render_errors,
        render_text,
    )

    if predictions is not None and len(paths) != 1:
        raise click.UsageError("with --predictions give only GOLD")
    if predictions is None and len(paths) != 2:
        raise click.UsageError("give DOCS and GOLD, or GOLD with --predictions PRED")
    if predictions is not None and save_predictions:
        raise click.UsageError("--save-predictions needs DOCS (the pipeline runs only then)")
    try:
        gold = load_gold(paths[-1])
        if predictions is not None:
            predicted = load_predictions(predictions)
        else:
            predicted = _run_pipeline(paths[0], workers, save_predictions)
        incident_of = load_incidents(incidents) if incidents else incidents_from_predictions(predicted)
        report = evaluate(gold, predicted, incident_of=incident_of)
    except EvalInputError as error:
        click.echo(f"rasd eval: {error}", err=True)
        sys.exit(1)
    if fmt == "json":
        record = report.to_dict()
        if errors:
            record["errors"] = [issue.to_dict() for issue in report.issues]
        click.echo(json.dumps(record, ensure_ascii=False, indent=1))
        return
    click.echo(render_text(report))
    if errors:
        click.echo("")
        click.echo(render_errors(report))


def _run_pipeline(docs: str, workers: int, save: str | None):
    from rasd.evaluate import prediction_from_record
    from rasd.evaluate.run import predict_records

    out = []
    handle = open(save, "w", encoding="utf-8") if save else None
    try:
        for number, record in enumerate(predict_records(docs, workers=workers), 1):
            if handle:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.append(prediction_from_record(record, f"pipeline output {number}"))
    finally:
        if handle:
            handle.close()
    return out
